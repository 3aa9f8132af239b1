import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GROUND_LIMITS,
  checkGrounding,
  extractFigures,
  groundValuesFrom,
  removeUngrounded,
  type GroundUnit,
  type GroundValue,
} from '../../shared/domain/ai/grounding.js';

const SEED = 20261120;

const gv = (unit: GroundUnit) => (value: number): GroundValue => ({ value, unit, path: 'test' });
const inr = gv('inr');
const pct = gv('percent');
const months = gv('months');
const years = gv('years');
const plain = gv('plain');
const count = gv('count');
const score = gv('score');

/** 1234567 -> "12,34,567": the Indian grouping, written here independently of the code under test. */
function indian(n: number): string {
  const s = String(n);
  if (s.length <= 3) return s;
  const last3 = s.slice(-3);
  let rest = s.slice(0, -3);
  const groups: string[] = [];
  while (rest.length > 2) {
    groups.unshift(rest.slice(-2));
    rest = rest.slice(0, -2);
  }
  if (rest !== '') groups.unshift(rest);
  return `${groups.join(',')},${last3}`;
}

/** 1234567 -> "1,234,567". */
function western(n: number): string {
  const s = String(n);
  const groups: string[] = [];
  for (let end = s.length; end > 0; end -= 3) groups.unshift(s.slice(Math.max(0, end - 3), end));
  return groups.join(',');
}

const ungroundedRaws = (text: string, allowed: readonly GroundValue[]): string[] => checkGrounding(text, allowed).ungrounded.map((f) => f.raw);

describe('extractFigures: what it reads', () => {
  it.each([
    ['₹1,23,456', 123456, 'inr', 1],
    ['₹ 5,000', 5000, 'inr', 1],
    ['Rs. 1,23,456.50', 123456.5, 'inr', 0.01],
    ['Rs 500/-', 500, 'inr', 1],
    ['INR 12,345', 12345, 'inr', 1],
    ['Re. 1', 1, 'inr', 1],
    ['5,000 rupees', 5000, 'inr', 1],
    ['1,23,456', 123456, 'plain', 1],
    ['123,456', 123456, 'plain', 1],
    ['₹3,44,38,772', 34438772, 'inr', 1],
    ['₹1.2 lakh', 120000, 'inr', 10000],
    ['1.2 lakhs', 120000, 'inr', 10000],
    ['1.2L', 120000, 'inr', 10000],
    ['12 lac', 1200000, 'inr', 100000],
    ['₹1 lakh', 100000, 'inr', 10000],
    ['3.4 crore', 34000000, 'inr', 1000000],
    ['3.4 cr', 34000000, 'inr', 1000000],
    ['₹3 Cr', 30000000, 'inr', 1000000],
    ['12k', 12000, 'inr', 1000],
    ['12K', 12000, 'inr', 1000],
    ['5k', 5000, 'inr', 100],
    ['12 thousand', 12000, 'inr', 1000],
    ['45%', 45, 'percent', 1],
    ['12.3 %', 12.3, 'percent', 0.1],
    ['45 percent', 45, 'percent', 1],
    ['45 per cent', 45, 'percent', 1],
    ['2 percentage points', 2, 'percent', 1],
    ['8 years', 8, 'years', 1],
    ['8 yrs', 8, 'years', 1],
    ['an 8-year loan', 8, 'years', 1],
    ['18 months', 18, 'months', 1],
    ['18 mo', 18, 'months', 1],
    ['2.5 years', 2.5, 'years', 0.1],
    ['-₹5,000', -5000, 'inr', 1],
    ['₹-5,000', -5000, 'inr', 1],
    ['−4.5%', -4.5, 'percent', 0.1],
    ['(₹5,000)', 5000, 'inr', 1],
    ['1.5x', 1.5, 'plain', 0.1],
    ['780', 780, 'plain', 1],
    ['about ₹45,000', 45000, 'inr', 1000],
    ['around ₹40,000', 40000, 'inr', 1000],
    ['~₹5,00,000', 500000, 'inr', 10000],
    ['about ₹48,237', 48237, 'inr', 1],
    ['a fee of .5%', 0.5, 'percent', 0.1],
    ['₹४५,०००', 45000, 'inr', 1],
    ['４５%', 45, 'percent', 1],
    ['रु. 5,000', 5000, 'inr', 1],
    ['1.2 लाख', 120000, 'inr', 10000],
    ['3.4 करोड़', 34000000, 'inr', 1000000],
    ['12 प्रतिशत', 12, 'percent', 1],
    ['(-.25%)', -0.25, 'percent', 0.01],
  ])('%s', (text, value, unit, step) => {
    const figures = extractFigures(text);
    expect(figures).toHaveLength(1);
    expect(figures[0]).toMatchObject({ value, unit });
    expect(figures[0]?.step).toBeCloseTo(step, 9);
    expect(text.slice(figures[0]!.index, figures[0]!.index + figures[0]!.raw.length)).toBe(figures[0]!.raw);
  });

  it('gives the bare end of a range the unit and scale of the other end', () => {
    const read = (t: string) => extractFigures(t).map((f) => [f.value, f.unit]);
    expect(read('10-15% of income')).toEqual([[10, 'percent'], [15, 'percent']]);
    expect(read('10 - 15% of income')).toEqual([[10, 'percent'], [15, 'percent']]);
    expect(read('₹1–1.5 lakh')).toEqual([[100000, 'inr'], [150000, 'inr']]);
    expect(read('₹10,000 to 15,000')).toEqual([[10000, 'inr'], [15000, 'inr']]);
    expect(read('₹5,000–1.2 lakh')).toEqual([[5000, 'inr'], [120000, 'inr']]);
    expect(read('₹60000-70000')).toEqual([[60000, 'inr'], [70000, 'inr']]);
  });

  it('reads a comma pattern that is no grouping as separate numbers', () => {
    expect(extractFigures('options 1,2,3 or 12,34').map((f) => f.value)).toEqual([1, 2, 3, 12, 34]);
  });

  it.each([
    ['ISO date', 'On 2026-11-20 you paid it'],
    ['ISO timestamp', 'fetched 2026-11-20T06:30:00Z'],
    ['day month year', 'due 20 Nov 2026'],
    ['ordinal day of month', 'due on the 20th of November'],
    ['month day, year', 'due Nov 20, 2026'],
    ['month year', 'since Nov 2026'],
    ['month and short year', "in Nov '26"],
    ['numeric dates', 'between 20/11/2026 and 20-11-2026 or 2026/11/20'],
    ['a year after "in"', 'in 2026 you'],
    ['a year after "since"', 'since 2021'],
    ["a year with 's", "2026's budget"],
    ['financial years', 'FY 2025-26, FY26 and AY 2026-27'],
    ['year range', 'the 2024–2026 period'],
    ['times', 'at 10:30 am, 18:45 or 6pm'],
    ['ordered list markers', '1. first\n2) second\n  - 3. third'],
    ['ordinals', 'your 1st, 2nd and 23rd payments'],
    ['masked account', 'account XX1234'],
    ['masked card', 'card 4575XXXXXXXX8484'],
    ['UPI reference', 'UPI/DR/641240739575/FreshCart'],
    ['long digit run', 'ref 641240739575'],
    ['account ending', 'the card ending in 0606 and a/c 4821'],
    ['leading zero', 'branch 0616'],
    ['section', 'Section 80C and section 24(b)'],
    ['version', 'v1.2.3 and 1.2.3'],
    ['fraction, ratio', '24/7 support, split 3:1'],
    ['URL', 'see https://x.example/a?b=12345 and www.x99.example'],
    ['host with path', 'visit evil.example/claim?amount=50000'],
    ['e-mail address', 'write to user123@x.example'],
    ['identifier', 'IFSC EVIL0000001, COVID-19, H1, 0xDEADBEEF'],
    ['phone numbers', 'call 1800-123-4567, +91 98765 43210 or 98765-43210'],
  ])('does not read %s', (_label, text) => {
    expect(extractFigures(text)).toEqual([]);
  });

  it('reads a lone year-like number that is not after a year word (it may be an amount)', () => {
    expect(extractFigures('You save 2000 a month.').map((f) => f.raw)).toEqual(['2000']);
  });

  it('returns [] for non-strings and empty text', () => {
    expect(extractFigures('')).toEqual([]);
    expect(extractFigures(undefined as unknown as string)).toEqual([]);
    expect(extractFigures(42 as unknown as string)).toEqual([]);
  });
});

describe('checkGrounding: planted wrong, rounded and Indian-format numbers', () => {
  const rows: ReadonlyArray<readonly [string, readonly GroundValue[], readonly string[]]> = [
    // Exact and rounded to the rupee.
    ['Your net worth is ₹3,44,38,772.', [inr(34438772.39)], []],
    ['Your net worth is ₹3,44,38,773.', [inr(34438772.39)], ['₹3,44,38,773']],
    ['Your net worth is ₹34,438,772.', [inr(34438772.39)], []],
    ['Savings of Rs. 1,23,456.50 this year.', [inr(123456.5)], []],
    ['Savings of Rs. 1,23,456.50 this year.', [inr(123456.56)], ['Rs. 1,23,456.50']],
    ['INR 12,345 went to rent.', [inr(12345)], []],
    ['1,23,456 rupees were invested.', [inr(123456)], []],
    ['Rent is Rs 16,000/- a month.', [inr(16000)], []],
    // Lakh, crore, k: the shown precision, at least two significant figures.
    ['You hold ₹1.2 lakh in savings.', [inr(118000)], []],
    ['You hold ₹1.2 lakh in savings.', [inr(124999)], []],
    ['You hold ₹1.2 lakh in savings.', [inr(115000)], []],
    ['You hold ₹1.2 lakh in savings.', [inr(126000)], ['₹1.2 lakh']],
    ['You hold 1.2L in savings.', [inr(113000)], ['1.2L']],
    ['Your portfolio is ₹3.4 crore.', [inr(34438772.39)], []],
    ['Your portfolio is ₹3.5 crore.', [inr(34438772.39)], ['₹3.5 crore']],
    ['Your portfolio is 3.44 cr.', [inr(34438772.39)], []],
    ['You spent ₹12k on food.', [inr(12400)], []],
    ['You spent ₹12k on food.', [inr(12600)], ['₹12k']],
    ['Your EPF is 12 lac.', [inr(1234000)], []],
    ['You have ₹1 lakh liquid.', [inr(60000)], ['₹1 lakh']],
    ['You have ₹0.5 lakh liquid.', [inr(46000)], ['₹0.5 lakh']],
    ['You have ₹0.5 lakh liquid.', [inr(50300)], []],
    // Hedged round numbers: two significant figures.
    ['You spend about ₹45,000 a month.', [inr(44870)], []],
    ['You spend ₹45,000 a month.', [inr(44870)], ['₹45,000']],
    ['You spend about ₹40,000 a month.', [inr(36000)], ['₹40,000']],
    ['About ₹1.2 lakh is idle.', [inr(114000)], ['₹1.2 lakh']],
    // Percentages.
    ['Your savings rate is 12.3%.', [pct(12.34)], []],
    ['Your savings rate is 12.3%.', [pct(12.36)], ['12.3%']],
    ['Utilisation is 45%.', [pct(45.49)], []],
    ['Utilisation is 46%.', [pct(45.49)], ['46%']],
    ['Utilisation is 45 per cent.', [pct(45)], []],
    ['XIRR of 12.34% beats 11.2%.', [pct(12.34)], ['11.2%']],
    // Units must agree.
    ['Utilisation is 45%.', [inr(45)], ['45%']],
    ['You paid ₹45 in fees.', [pct(45)], ['₹45']],
    ['You paid ₹1,23,456 in total.', [plain(123456)], ['₹1,23,456']],
    ['The total is 1,23,456.', [inr(123456)], []],
    ['A rate of 12.3 overall.', [pct(12.34)], []],
    // Durations, converted between years and months.
    ['You have 8 years of EPF history.', [years(8.3)], []],
    ['Debt-free in 18 months.', [months(18)], []],
    ['Debt-free in 1.5 years.', [months(18)], []],
    ['Debt-free in 2 years.', [months(31)], ['2 years']],
    ['Your emergency fund covers 3 months.', [months(2.4)], ['3 months']],
    ['Your emergency fund covers 3 months.', [years(3)], ['3 months']],
    // Small counts are exempt; bigger ones are checked.
    ['You have 3 cards and 2 loans.', [], []],
    ['You have 11 cards.', [], ['11']],
    ['You have 11 cards.', [count(11)], []],
    ['You hold 2.5 cards.', [], ['2.5']],
    ['Your credit score is 780.', [score(780)], []],
    ['Your credit score is 900.', [score(745)], ['900']],
    // Derived numbers are not accepted (strict by design).
    ['Your spending rose by ₹2,000.', [inr(12000), inr(10000)], ['₹2,000']],
    ['Together they hold ₹22,000.', [inr(12000), inr(10000)], ['₹22,000']],
    // Signs are not compared.
    ['A net outflow of -₹5,000.', [inr(5000)], []],
    ['A loss of ₹5,000.', [inr(-5000)], []],
    ['Last month (₹5,000) left the account.', [inr(5000)], []],
    // Ranges.
    ['Aim for 10-15% of income.', [pct(10), pct(15)], []],
    ['Aim for 10-15% of income.', [pct(15), plain(10)], ['10']],
    ['An emergency fund of ₹1–1.5 lakh.', [inr(100000), inr(150000)], []],
    // Not figures, so nothing to ground.
    ['On 2026-11-20 your balance was ₹6,490.', [inr(6490)], []],
    ['In Nov 2026 you spent ₹9,999.', [inr(5000)], ['₹9,999']],
    ['Since 2021 you have invested ₹50,000.', [inr(50000)], []],
    ['You save 2000 a month.', [], ['2000']],
    ['1. Pay the card XX1234 ending 0606.\n2. Keep 6 months aside.', [months(6)], []],
    ['UPI ref 641240739575 and UPI/DR/641240739575 at 10:30 am on 20 Nov 2026.', [], []],
    ['Section 80C allows ₹1.5 lakh.', [inr(150000)], []],
    ['For FY 2025-26 you paid ₹1,200.', [inr(1200)], []],
    ['Invest 1.5x your income, not 2.5x.', [plain(1.5)], ['2.5x']],
    ['Use v1.2.3, 24/7, at 3:1.', [], []],
    // Other scripts' digits are read too.
    ['आपकी बचत ₹४५,००० है।', [inr(45000)], []],
    ['आपकी बचत ₹४५,००० है।', [inr(5000)], ['₹४५,०००']],
    ['Full-width ４５% is read.', [pct(12)], ['４５%']],
  ];

  it('has at least 40 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  it.each(rows)('%s  (allowed %j) -> ungrounded %j', (text, allowed, expected) => {
    expect(ungroundedRaws(text, allowed)).toEqual(expected);
  });

  it('reports what each grounded figure matched, null for exempt counts', () => {
    const r = checkGrounding('You have 3 cards and ₹5,000 due.', [inr(5000)]);
    expect(r.grounded.map((g) => [g.raw, g.match?.value ?? null])).toEqual([
      ['3', null],
      ['₹5,000', 5000],
    ]);
    expect(r.figures).toHaveLength(2);
    expect(r.toleranceNote).toMatch(/0–10/);
  });

  it('checks small durations unless the caller exempts them', () => {
    const text = 'Review it every 6 months.';
    expect(checkGrounding(text, []).ungrounded.map((f) => f.raw)).toEqual(['6 months']);
    expect(checkGrounding(text, [], { exemptSmallDurations: true }).ungrounded).toEqual([]);
    expect(checkGrounding('Review it every 18 months.', [], { exemptSmallDurations: true }).ungrounded.map((f) => f.raw)).toEqual(['18 months']);
  });

  it('checks every number when the small-integer exemption is off', () => {
    expect(checkGrounding('You have 3 cards.', [], { smallIntegerMax: -1 }).ungrounded.map((f) => f.raw)).toEqual(['3']);
    expect(checkGrounding('You have 12 cards.', [], { smallIntegerMax: 12 }).ungrounded).toEqual([]);
  });

  it('tolerates garbage in the allowed list', () => {
    const junk = [null, { value: Number.NaN, unit: 'inr' }, { value: 'x', unit: 'inr' }, inr(5000)] as unknown as GroundValue[];
    expect(checkGrounding('₹5,000', junk).ungrounded).toEqual([]);
    expect(checkGrounding('₹5,000', null as unknown as GroundValue[]).ungrounded.map((f) => f.raw)).toEqual(['₹5,000']);
  });
});

describe('checkGrounding: the figures the user sees, however they are written', () => {
  // Each row: text, allowed values, the ungrounded figures as written (slices of the text).
  const rows: ReadonlyArray<readonly [string, string, readonly GroundValue[], readonly string[]]> = [
    ['markdown splitting digits', 'Net worth ₹**9**0,00,000.', [inr(9)], ['₹**9**0,00,000']],
    ['markdown splitting digits, grounded', 'Net worth ₹**9**0,00,000.', [inr(9000000)], []],
    ['emphasis and code around parts', 'You hold *1*2`3`,456 rupees.', [plain(1), plain(2)], ['1*2`3`,456 rupees']],
    ['a Hangul filler inside', 'Net worth ₹5\u11600,00,000.', [inr(5)], ['₹5\u11600,00,000']],
    ['combining grapheme joiners', 'You have 9\u034F0\u034F0 cards.', [], ['9\u034F0\u034F0']],
    ['variation selectors', 'You have 9\uFE0F0\uFE0F0 cards.', [], ['9\uFE0F0\uFE0F0']],
    ['a combining mark after a digit', 'You have 9\u03010\u03010 cards.', [], ['9\u03010\u03010']],
    ['mathematical bold digits', 'Net worth ₹𝟓𝟎,𝟎𝟎,𝟎𝟎𝟎.', [inr(50)], ['₹𝟓𝟎,𝟎𝟎,𝟎𝟎𝟎']],
    ['mathematical bold digits, grounded', 'Net worth ₹𝟓𝟎,𝟎𝟎,𝟎𝟎𝟎.', [inr(5000000)], []],
    ['superscript digits', 'Net worth ₹⁵⁰⁰⁰⁰⁰⁰.', [inr(5)], ['₹⁵⁰⁰⁰⁰⁰⁰']],
    ['decimal entities', 'You hold 5&#48;&#48;&#48;&#48;&#48;&#48; rupees.', [inr(5)], ['5&#48;&#48;&#48;&#48;&#48;&#48; rupees']],
    ['an entity for ₹', 'You hold &#8377;5&#48;,&#x30;00.', [inr(5)], ['&#8377;5&#48;,&#x30;00']],
    ['a named entity for the comma', 'You hold ₹5&comma;000.', [inr(5)], ['₹5&comma;000']],
    ['an invisible named entity', 'You hold ₹5&zwnj;000.', [inr(5)], ['₹5&zwnj;000']],
    ['a tag inside a number', 'Utilisation <b>4</b>2%.', [pct(4)], ['4</b>2%']],
    ['a link target inside a number', 'You hold ₹[9](x)0,00,000.', [inr(9)], ['₹[9](x)0,00,000']],
    ['a small number joined by an invisible character is not exempt', 'You have 1\u034F0 cards.', [], ['1\u034F0']],
    ['markup between a word and a number', 'You hold rupees~~55 now.', [], ['55']],
    ['an escape and markup before a number', 'You hold \\~~39 now.', [], ['39']],
    ['an underscore and markup before a number', 'You hold _~~65 now.', [], ['65']],
    ['markup between a number and a word', 'You hold 55**abc** now.', [], ['55']],
    ['markup between a number and its scale', 'You hold ₹5**k** now.', [inr(5)], ['₹5**k']],
    ['a long run made by joining is not skipped as an account number', 'Worth 59957575*4 now.', [], ['59957575*4']],
    ['a leading zero made by joining is not skipped as an identifier', 'Worth 0**5**0 now.', [], ['0**5**0']],
    ['number words with rupees', 'You could save fifty lakh rupees.', [inr(5000000)], ['fifty lakh rupees']],
    ['number words with percent', 'Your savings rate is twenty percent.', [pct(20)], ['twenty percent']],
    ['number words with a scale', 'Your portfolio is one crore.', [inr(10000000)], ['one crore']],
    ['number words after ₹', 'Keep ₹ five thousand aside.', [inr(5000)], ['₹ five thousand']],
    ['compound number words', 'About twenty-five lakh, or one and a half percent, is idle.', [], ['twenty-five lakh', 'one and a half percent']],
    ['a scale after a / an', 'Keep a lakh aside, not half a percent.', [], ['a lakh', 'half a percent']],
    ['Hindi number words', 'बचत पचास लाख रुपये है।', [inr(5000000)], ['पचास लाख रुपये']],
    ['a month before an amount', 'You paid rent in March 45,000 rupees.', [inr(45)], ['45,000 rupees']],
    ['a month before an amount, grounded', 'You paid rent in March 45,000 rupees.', [inr(45000)], []],
    ['a month before a day that cannot be one', 'In March 45 rupees went on fees.', [], ['45 rupees']],
    ['a day-month before an amount', 'On 5 March 12,000 rupees left.', [inr(5)], ['12,000 rupees']],
    ['a month and year-like amount', 'In March 2000 rupees went on fees.', [], ['2000 rupees']],
    ['a month and a number that is no year', 'In March 4500 went on fees.', [], ['4500']],
  ];

  it.each(rows)('%s: %j (allowed %j) -> ungrounded %j', (_label, text, allowed, expected) => {
    expect(ungroundedRaws(text, allowed)).toEqual(expected);
  });

  it.each([
    ['bold figures', 'Net worth **₹50,00,000** and **12.3%**.', [inr(5000000), pct(12.3)]],
    ['a bold small count stays exempt', 'You have **3** cards.', []],
    ['dates with months stay dates', 'Paid on March 5, 2026 and 5 March 2026, due Nov 20.', []],
    ['a date before an amount', 'On Nov 20, 2026 ₹5,000 and in March 2026 Rs. 1,200 left.', [inr(5000), inr(1200)]],
    ['number words without a money or percent unit', 'You have three cards and two loans.', []],
    ['emoji and a variation selector', '⚠️ Utilisation is 45%.', [pct(45)]],
    ['Hindi text with nukta and vowel signs', '3.4 करोड़ और 12 प्रतिशत', [inr(34000000), pct(12)]],
  ] as const)('still grounds %s', (_label, text, allowed) => {
    expect(ungroundedRaws(text, allowed)).toEqual([]);
  });

  it('reports figures where the original text has them, so removeUngrounded removes the right sentence', () => {
    const text = 'Rent is ₹16,000. Net worth ₹**9**0,00,000. Savings &#8377;5&#48;,000.';
    const result = checkGrounding(text, [inr(16000)]);
    for (const f of result.figures) expect(text.slice(f.index, f.index + f.raw.length)).toBe(f.raw);
    expect(removeUngrounded(text, result)).toBe('Rent is ₹16,000.');
  });

  it('every figure is where it says, in order, also through markup, entities and invisible characters (fast-check, fixed seed)', () => {
    const messy = fc.string({
      unit: fc.constantFrom('₹', '1', '0', '5', ',', '.', ' ', '%', '**', '*', '_', '`', '~~', '\\', '[', ']', '(', ')', '<b>', '</b>', '&#48;', '&#x30;', '&comma;', '&zwnj;', '&amp;', '\u034F', '\uFE0F', '\u1160', '\u0301', '𝟓', '⁵', '½', '⑴', '२', ' lakh', ' crore', ' rupees', ' percent', 'fifty', 'one', 'March ', '-', '\n'),
      maxLength: 60,
    });
    fc.assert(
      fc.property(messy, (text) => {
        const figures = extractFigures(text);
        let last = -1;
        for (const f of figures) {
          expect(text.slice(f.index, f.index + f.raw.length)).toBe(f.raw);
          expect(f.index).toBeGreaterThan(last);
          last = f.index + f.raw.length - 1;
          expect(Number.isFinite(f.value)).toBe(true);
          expect(f.step).toBeGreaterThan(0);
        }
        const result = checkGrounding(text, []);
        expect(removeUngrounded(text, result).length).toBeLessThanOrEqual(text.length);
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });
});

describe('groundValuesFrom', () => {
  it('reads units from key suffixes, paise as rupees', () => {
    const toolResult = {
      ok: true,
      tool: 'get_overview',
      asOf: '2026-11-20T06:30:00Z',
      sources: ['fetch_net_worth'],
      figures: { netWorthRupees: 417877.54, savingsRatePercent: 12.34, emergencyFundMonths: 2.4, oldestAccountYears: 5, accounts: 3 },
      items: [{ name: 'Deccan Federal Bank', balancePaise: 13009754, share_percent: 31.1 }],
    };
    const values = groundValuesFrom(toolResult).map((v) => [v.unit, v.value, v.path]);
    expect(values).toEqual([
      ['inr', 417877.54, 'figures.netWorthRupees'],
      ['percent', 12.34, 'figures.savingsRatePercent'],
      ['months', 2.4, 'figures.emergencyFundMonths'],
      ['years', 5, 'figures.oldestAccountYears'],
      ['plain', 3, 'figures.accounts'],
      ['inr', 130097.54, 'items[0].balancePaise'],
      ['percent', 31.1, 'items[0].share_percent'],
    ]);
  });

  it('reads facts by their unit and skips dates and text', () => {
    const facts = [
      { id: 'networth.totalRupees', label: 'Net worth', value: 417877.54, unit: 'inr', category: 'savings', asOf: '2026-11-20', source: 'overview' },
      { id: 'credit.score', label: 'Credit score', value: 745, unit: 'score', category: 'credit', asOf: null, source: 'analytics' },
      { id: 'debt.openCards', label: 'Open cards', value: 1, unit: 'count', category: 'debt', asOf: null, source: 'analytics' },
      { id: 'x.days', label: 'Days', value: '90', unit: 'days', category: 'debt', asOf: null, source: 'analytics' },
      { id: 'x.when', label: 'When', value: '2026-11-20', unit: 'date', category: 'debt', asOf: null, source: 'analytics' },
      { id: 'x.status', label: 'Status', value: 'ok', unit: 'text', category: 'debt', asOf: null, source: 'analytics' },
    ];
    expect(groundValuesFrom(facts).map((v) => [v.unit, v.value])).toEqual([
      ['inr', 417877.54],
      ['score', 745],
      ['count', 1],
      ['days', 90],
    ]);
  });

  it('carries a suffix to everything under its key, and reads numeric text only there', () => {
    const data = { spendByCategoryRupees: { food: 1200, rent: [16000, '16500.50'] }, ids: ['0616', 42], monthlyPaise: ['100'] };
    expect(groundValuesFrom(data).map((v) => [v.unit, v.value])).toEqual([
      ['inr', 1200],
      ['inr', 16000],
      ['inr', 16500.5],
      ['plain', 42],
      ['inr', 1],
    ]);
  });

  it('keeps each (unit, value) once and ignores booleans, nulls and non-finite numbers', () => {
    expect(groundValuesFrom({ aRupees: 5, bRupees: 5, c: 5, d: true, e: null, f: Number.POSITIVE_INFINITY, g: Number.NaN }).map((v) => [v.unit, v.value])).toEqual([
      ['inr', 5],
      ['plain', 5],
    ]);
  });

  it('survives cycles, deep nesting and huge inputs with bounded work', () => {
    const cyclic: Record<string, unknown> = { aRupees: 1 };
    cyclic['self'] = cyclic;
    expect(groundValuesFrom(cyclic).map((v) => v.value)).toEqual([1]);

    let deep: unknown = { valueRupees: 7 };
    for (let i = 0; i < 10_000; i += 1) deep = { child: deep };
    expect(groundValuesFrom(deep)).toEqual([]);

    const huge = Array.from({ length: 1_000_000 }, (_, i) => i);
    const values = groundValuesFrom({ amountsRupees: huge });
    expect(values.length).toBeLessThanOrEqual(GROUND_LIMITS.maxValues);
  });

  it('returns [] for scalars other than numbers', () => {
    expect(groundValuesFrom(undefined)).toEqual([]);
    expect(groundValuesFrom('12345')).toEqual([]);
    expect(groundValuesFrom(12)).toEqual([{ value: 12, unit: 'plain', path: '' }]);
  });

  it('feeds checkGrounding end to end', () => {
    const allowed = groundValuesFrom({ figures: { netWorthPaise: 4178775400, savingsRatePercent: 12.34 } });
    expect(ungroundedRaws('Net worth ₹4,17,87,754, about ₹4.2 crore, saving 12.3%; 15% would be better.', allowed)).toEqual(['15%']);
  });
});

describe('removeUngrounded', () => {
  const remove = (text: string, allowed: readonly GroundValue[]) => removeUngrounded(text, checkGrounding(text, allowed));

  it.each([
    ['keeps grounded text unchanged', 'You spent ₹5,000.  Good.', [inr(5000)], 'You spent ₹5,000.  Good.'],
    ['removes the sentence with the wrong figure', 'You spent ₹5,000. Rent was ₹9,999. Keep going!', [inr(5000)], 'You spent ₹5,000. Keep going!'],
    ['keeps decimals, Rs. and e.g. inside a sentence', 'Rs. 1,234.50 went out, e.g. on food. Then ₹7 more.', [inr(1234.5)], 'Rs. 1,234.50 went out, e.g. on food.'],
    ['removes a list item and keeps the others', '- Food: ₹5,000.\n- Rent: ₹9,999.\n- Fuel: ₹1,200.', [inr(5000), inr(1200)], '- Food: ₹5,000.\n- Fuel: ₹1,200.'],
    ['keeps the list marker of a surviving sentence', '1. Rent was ₹9,999. Pay on time.\n2. Save more.', [], '1. Pay on time.\n2. Save more.'],
    ['returns empty when nothing is left', 'Rent was ₹9,999.', [], ''],
    ['returns empty when only headings are left', '## Spending\nRent was ₹9,999.', [], ''],
    ['collapses blank lines left behind', 'Intro.\n\nRent was ₹9,999.\n\nOutro.', [], 'Intro.\n\nOutro.'],
    ['splits Hindi sentences at the danda', 'बचत ₹५,००० है। किराया ₹९,९९९ है।', [inr(5000)], 'बचत ₹५,००० है।'],
  ] as const)('%s', (_label, text, allowed, expected) => {
    expect(remove(text, allowed)).toBe(expected);
  });

  it('fails closed when the result belongs to another text', () => {
    const result = checkGrounding('Rent was ₹9,999.', []);
    expect(removeUngrounded('Something else entirely, longer.', result)).toBe('');
  });
});

describe('grounding: properties (fast-check, fixed seed)', () => {
  const paise = fc.integer({ min: 0, max: 10 ** 14 });

  it('any rupee value written in Indian or western grouping, to the rupee or the paisa, is grounded', () => {
    fc.assert(
      fc.property(paise, fc.constantFrom('₹', 'Rs. ', 'INR ', '₹ '), fc.boolean(), fc.boolean(), (p, marker, indianGrouping, withPaise) => {
        const group = indianGrouping ? indian : western;
        const whole = Math.floor(p / 100);
        const text = withPaise ? `${marker}${group(whole)}.${String(p % 100).padStart(2, '0')}` : `${marker}${group(Math.round(p / 100))}`;
        const result = checkGrounding(`Your balance is ${text} today.`, [inr(p / 100)]);
        expect(result.figures).toHaveLength(1);
        expect(result.ungrounded).toEqual([]);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('any value of a lakh or more in lakh or crore with 1-2 decimals is grounded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_000, max: 10 ** 12 }), fc.constantFrom(1, 2), fc.constantFrom(' lakh', ' lakhs', 'L', ' lac'), fc.constantFrom(' crore', ' cr', ' Cr'), (rupees, decimals, lakhWord, croreWord) => {
        const inLakh = `₹${(rupees / 1e5).toFixed(decimals)}${lakhWord}`;
        expect(checkGrounding(`About ${inLakh} sits idle.`, [inr(rupees)]).ungrounded).toEqual([]);
        if (rupees >= 1e7) {
          const inCrore = `₹${(rupees / 1e7).toFixed(decimals)}${croreWord}`;
          expect(checkGrounding(`It is ${inCrore}.`, [inr(rupees)]).ungrounded).toEqual([]);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('a value off by more than half the shown precision is not grounded', () => {
    fc.assert(
      fc.property(paise, fc.integer({ min: 51, max: 10 ** 8 }), fc.boolean(), (p, offPaise, up) => {
        const shown = Math.round(p / 100);
        const allowed = up ? shown + offPaise / 100 : shown - offPaise / 100;
        fc.pre(allowed >= 0);
        expect(ungroundedRaws(`You owe ₹${indian(shown)} now.`, [inr(allowed)])).toEqual([`₹${indian(shown)}`]);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('a lakh or crore figure off by more than half its written step is not grounded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_000, max: 10 ** 12 }), fc.constantFrom(1, 2), fc.constantFrom(1e5, 1e7), fc.integer({ min: 1, max: 10 ** 6 }), fc.boolean(), (rupees, decimals, scale, extra, up) => {
        fc.pre(rupees >= scale);
        const written = Number((rupees / scale).toFixed(decimals));
        const writtenStep = scale / 10 ** decimals;
        const off = writtenStep / 2 + extra;
        const allowed = written * scale + (up ? off : -off);
        fc.pre(allowed >= 0);
        const text = `₹${written.toFixed(decimals)} ${scale === 1e5 ? 'lakh' : 'crore'}`;
        expect(ungroundedRaws(`It is ${text}.`, [inr(allowed)])).toEqual([text]);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('a percentage is grounded by the value it rounds from, and not by one 0.06 or more away', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_00 }), fc.integer({ min: 6, max: 10_000 }), (hundredths, offHundredths) => {
        const value = hundredths / 100;
        const text = `${value.toFixed(1)}%`;
        expect(ungroundedRaws(`A rate of ${text}.`, [pct(value)])).toEqual([]);
        const shown = Number(value.toFixed(1));
        expect(ungroundedRaws(`A rate of ${text}.`, [pct(shown + offHundredths / 100)])).toEqual([text]);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  const textish = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({
      unit: fc.constantFrom('₹', 'Rs.', ' ', '1', '2', '0', ',', '.', '-', '−', '%', ' lakh', 'L', 'k', ' cr', ' years', ' months', '\n', '1. ', 'Nov ', '2026', '/', ':', 'about ', '(', ')', 'XX', 'https://', '@', 'to', '–'),
      maxLength: 120,
    }),
  );

  it('extractFigures never throws, and every figure is where it says, in order, with a finite value and a positive step', () => {
    fc.assert(
      fc.property(textish, (text) => {
        const figures = extractFigures(text);
        let last = -1;
        for (const f of figures) {
          expect(text.slice(f.index, f.index + f.raw.length)).toBe(f.raw);
          expect(f.index).toBeGreaterThan(last);
          last = f.index;
          expect(Number.isFinite(f.value)).toBe(true);
          expect(f.step).toBeGreaterThan(0);
        }
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });

  it('a text is grounded by its own figures, and removeUngrounded never throws or grows the text', () => {
    fc.assert(
      fc.property(textish, fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { maxLength: 5 }), (text, numbers) => {
        const own = extractFigures(text).map((f) => ({ value: f.value, unit: f.unit, path: 'own' }) as GroundValue);
        expect(checkGrounding(text, own).ungrounded).toEqual([]);
        const result = checkGrounding(text, groundValuesFrom(numbers));
        const safe = removeUngrounded(text, result);
        expect(safe.length).toBeLessThanOrEqual(text.length);
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });

  it('handles long hostile text (speed is measured by bench:ai, not here)', () => {
    const text = `${'1,'.repeat(50_000)} ${'₹1.2 lakh '.repeat(5_000)} ${'a'.repeat(50_000)}@ ${'9'.repeat(50_000)}`;
    const result = checkGrounding(text, [inr(120000)]);
    expect(result.ungrounded.some((f) => f.raw === '₹1.2 lakh')).toBe(false);
  });
});
