/**
 * The grounding check: every figure in a generated text (an insight, a chat answer) must be a
 * value our code computed, as rounded by the text. The model explains numbers; it does not
 * make them. Pure: no clock, no I/O; every function is total and never throws.
 *
 * What counts as a figure (`extractFigures`):
 * - Rupee amounts: `₹1,23,456`, `₹ 5,000`, `Rs. 1,23,456.50`, `Rs 500/-`, `INR 12,345`, `Re. 1`,
 *   `5,000 rupees`; Indian grouping (`1,23,456`, `3,44,38,772`) and western grouping
 *   (`123,456`); a comma pattern that is neither (`1,2,3`, `12,34`) is read as a list of
 *   separate numbers.
 * - Scaled amounts, always rupees even without `₹`: `1.2 lakh`/`lakhs`/`lac`/`lacs`/`1.2L`,
 *   `3.4 crore`/`crores`/`cr`/`Cr`, `12k`/`12K`/`12 thousand`, `1.5 million`/`mn`, `bn`/`billion`.
 * - Percentages: `45%`, `45 %`, `45 percent`, `45 per cent`, `45 pct`, `2 percentage points`, `2 pp`.
 * - Durations: `8 years`/`8 yrs`/`8-year`, `18 months`/`18 mo`/`18 mths`/`12-month`.
 * - Everything else numeric is a plain figure (`780`, `1.5x`, `90 days`, `$1,200`).
 * - Digits of other scripts count as digits (`₹४५,०००`, full-width `４５%`), and the Hindi
 *   `रु`, `लाख`, `करोड़`, `हज़ार` and `प्रतिशत` are read like `Rs`, lakh, crore, thousand and percent.
 * - Signs: `-₹5,000`, `₹-5,000`, `−5%` (U+2212) and `-5` are negative. `(₹5,000)` is NOT read as
 *   negative (prose uses brackets for asides); since signs are not compared (below), this only
 *   changes `Figure.value`.
 * - Ranges `10-15%`, `₹1–1.5 lakh`, `₹10,000 to 15,000`: the bare end takes the unit (and the
 *   lakh/crore scale) of the other end.
 *
 * What is NOT a figure (never checked):
 * - Dates: `2026-11-20` (and ISO timestamps), `20/11/2026`, `20-11-2026`, `2026/11/20`,
 *   `20 Nov 2026`, `20th of November`, `Nov 20, 2026`, `Nov 2026`, `Nov '26`, `March 2026`,
 *   day-month pairs (`5 March`). Month names are matched capitalised or in capitals (`may`
 *   is a verb).
 * - Years: `FY 2025-26`, `FY26`, `AY 2026-27`, `2025-26`, `2024–2026`; and a lone 1900–2099
 *   integer written without grouping, currency or unit when the word before it is one of
 *   in/by/since/from/until/till/to/through/of/year/before/after/during/early/late/mid/end/start
 *   or a quarter or half (`Q3 2026`, `H1 2026`), or it is followed by `'s`. A lone `2026` anywhere else IS checked (it may be
 *   an amount: "you save 2000 a month").
 * - Times: `10:30`, `10:30 am`, `6 pm`, `6pm`.
 * - Ordered-list markers: `1.` or `1)` at the start of a line (after indentation, `>`, `#`, `-`).
 * - Ordinals: `1st`, `22nd`, `5th`.
 * - Numbers inside identifiers: touching a letter, `_`, `@`, `#`, `/` or `\` (`XX1234`, `80C`,
 *   `UPI/DR/641240739575`, `4575XXXXXXXX8484`, `H1`, `COVID-19`, `0xDEADBEEF`), dotted runs
 *   (`v1.2.3`, `1.2.3`), fractions and ratios (`1/3`, `24/7`, `3:1`), unformatted runs of 9+
 *   digits without a currency marker (account, card, phone numbers), integers with a leading
 *   zero (`0616`), and numbers right after `ending`, `ending in`, `a/c`, `acct`,
 *   `account no`/`number`, `card no`/`number`, `section`, `sec.`, `form`, `rule`, `clause`,
 *   `article`, `schedule`, `step`, `option`, `no.`.
 * - Numbers inside URLs, e-mail addresses and host/path strings, and phone numbers
 *   (`1800-123-4567`, `+91 98765 43210`, `98765-43210`).
 * - Numbers written as words ("three cards", "two lakh") are not read at all.
 * - A bare decimal point opens a number (`.5%` is 0.5%) unless a letter or digit precedes it.
 */

/** The unit a figure is written in; `plain` when the text names none. */
export type FigureUnit = 'inr' | 'percent' | 'years' | 'months' | 'plain';

/** One number as the text writes it. */
export interface Figure {
  /** The text as written, from the sign or currency marker to the unit (`-₹5,000`, `₹1.2 lakh`, `45%`). */
  readonly raw: string;
  /** In base units (rupees, percent, years, months; plain as is); negative when written with a minus. */
  readonly value: number;
  readonly unit: FigureUnit;
  /** UTF-16 offset of `raw` in the text. */
  readonly index: number;
  /**
   * The precision the text shows, in the base unit: 1 for `₹5,000`, 0.5 of it either way is
   * accepted; 10,000 for `₹1.2 lakh`; 0.1 for `12.3%`. See `GROUNDING_RULES`.
   */
  readonly step: number;
}

/** Units of values a text may quote: the key suffixes and the `Fact` units that carry numbers. */
export type GroundUnit = 'inr' | 'percent' | 'months' | 'years' | 'count' | 'score' | 'days' | 'plain';

/** A number a text may quote, with where it was found (for logs and tests). */
export interface GroundValue {
  readonly value: number;
  readonly unit: GroundUnit;
  /** JSON path of the first place the value was found, e.g. `figures.netWorthRupees`. */
  readonly path: string;
}

/** A figure that passed, with the value it matched (null when exempt as a small count). */
export interface GroundedFigure extends Figure {
  readonly match: GroundValue | null;
}

export interface GroundingResult {
  /** Every figure found, in text order. */
  readonly figures: readonly Figure[];
  readonly grounded: readonly GroundedFigure[];
  readonly ungrounded: readonly Figure[];
  /** The rules applied, in words (for logs and for the "figures removed" notice). */
  readonly toleranceNote: string;
}

export interface GroundingOptions {
  /**
   * Plain integers from 0 to this, written without decimals, need no source ("3 cards",
   * "top 5"). Default 10; -1 checks every number. Never applies to ₹ or %; to years and
   * months only with `exemptSmallDurations`.
   */
  readonly smallIntegerMax?: number;
  /**
   * Also exempt years and months that are integers from 0 to `smallIntegerMax` ("every 6
   * months"). Default false: emergency-fund months and debt-free dates are headline figures,
   * small by nature, and are checked; supply the horizons your prompt uses as allowed values.
   */
  readonly exemptSmallDurations?: boolean;
}

/** Default for `GroundingOptions.smallIntegerMax`. */
export const SMALL_INTEGER_MAX = 10;

/**
 * The product's promise, in words the docs can quote. `checkGrounding` implements exactly this.
 */
export const GROUNDING_RULES = [
  'A figure is grounded when one supplied value of a compatible unit rounds to it at the precision the text shows: within half of the last digit written, both ends included (₹5,000 accepts 4,999.50–5,000.50; 12.3% accepts 12.25–12.35; 45% accepts 44.5–45.5).',
  'Lakh, crore, thousand (k), million and billion amounts are read to at least two significant figures: ₹1.2 lakh accepts ₹1,15,000–1,25,000, ₹12 lakh accepts ₹11.5–12.5 lakh, but ₹1 lakh accepts only ₹95,000–1,05,000 and ₹3 crore only ₹2.95–3.05 crore.',
  'Trailing zeros are significant (₹45,000 does not accept 44,870) unless the figure follows about, around, approximately, approx., roughly, nearly, almost, close to, circa, ~ or ≈; then a round number is read to two significant figures (about ₹45,000 accepts 44,500–45,500; about ₹40,000 accepts 39,500–40,500).',
  'Units: ₹ and lakh/crore/k amounts match rupee values only (keys ending in Rupees or Paise, facts in inr); percentages match percent values only; years and months match years or months values, converted (2.5 years matches 30 months); numbers without a unit match a value of any unit.',
  'Signs are not compared: "a loss of ₹5,000" and "-₹5,000" both match -5000 or 5000, because wording carries the direction.',
  'Strict by design: a difference, sum, ratio, average or any other number derived from supplied values is NOT grounded unless it is itself supplied.',
  'Plain integers 0–10 written without decimals (counts: "3 cards", "2 loans", "top 5") are exempt; money and percentages are always checked, and so are years and months unless the caller opts in (emergency-fund months and debt-free horizons are headline figures).',
  'Not figures, never checked: dates, years after in/by/since/… and FY labels, times, list numbers at line starts, ordinals, numbers inside identifiers, URLs, e-mail addresses and phone numbers, numbers at least 9 digits long without a currency marker, and numbers written as words (not read at all).',
] as const;

// ---------------------------------------------------------------------------------------------
// Extraction

interface Span {
  readonly start: number;
  readonly end: number;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December', 'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec'];
/** Capitalised or upper-case month names, longest first, then no letter. */
const MONTH = `(?:${[...MONTH_NAMES, ...MONTH_NAMES.map((m) => m.toUpperCase())].sort((a, b) => b.length - a.length).join('|')})(?![A-Za-z])\\.?`;

/**
 * Spans whose digits are never figures. Quantifiers are bounded so that the work stays
 * linear in the text's length.
 */
const EXCLUDED: readonly RegExp[] = [
  // URLs, www hosts, e-mail addresses, hosts with a path.
  /\b[a-z][a-z0-9+.-]{0,15}:\/\/[^\s<>()]{0,2000}/gi,
  /\bwww\d{0,3}\.[^\s<>()]{0,2000}/gi,
  /[\w.%+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,10}/g,
  /\b(?:[a-z0-9-]{1,63}\.){1,10}[a-z]{2,24}\/[^\s<>()]{0,2000}/gi,
  // ISO dates and timestamps; numeric dates with one separator throughout.
  /\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g,
  /\b\d{1,2}([/.-])\d{1,2}\1\d{2,4}\b/g,
  /\b\d{4}([/.])\d{1,2}\1\d{1,2}\b/g,
  // Dates with month names.
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?[\\s-]{1,3}(?:of\\s{1,3})?${MONTH}(?:,?[\\s-]{1,3}'?\\d{2,4}\\b)?`, 'g'),
  new RegExp(`\\b${MONTH}[\\s-]{0,3}(?:\\d{1,2}(?:st|nd|rd|th)?\\b(?:,?\\s{1,3}\\d{4}\\b)?|'?\\d{4}\\b|'\\d{2}\\b)`, 'g'),
  // Times.
  /\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?(?:[ap]\.m\.|[AaPp][Mm]\b))?/g,
  /\b\d{1,2}\s?(?:[ap]\.m\.|(?:am|pm|AM|PM)\b)/g,
  // Financial / assessment years and year ranges (not after a currency marker).
  /\b(?:FY|CY|AY|fy)\s?'?\d{2,4}(?:\s?[-–/]\s?'?\d{2,4})?\b/g,
  /(?<!(?:₹|₨|Rs\.?|INR)\s?)\b(?:19|20)\d{2}\s?[-–/]\s?(?:19|20)?\d{2}\b/g,
  // Phone numbers: `1800-123-4567`, `+91 98765 43210`, `98765-43210`.
  /\b\d{3,5}-\d{3,4}-\d{4}\b/g,
  /\b1800[\s-]\d{3}[\s-]\d{4}\b/g,
  /\+\d{1,3}[\s-]?\d{2,5}(?:[\s-]?\d{2,5}){1,3}\b/g,
  /(?<!(?:₹|₨|Rs\.?|INR)\s?)\b[6-9]\d{4}[\s-]\d{5}\b/g,
  // Ordered-list markers at the start of a line.
  /^[ \t]{0,12}(?:[>#]{1,6}[ \t]{0,3})?(?:[-*+][ \t]{1,3})?\d{1,3}[.)](?=[ \t])/gm,
];

function excludedSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const pattern of EXCLUDED) {
    const re = new RegExp(pattern.source, pattern.flags);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (m[0] === '') {
        re.lastIndex += 1;
        continue;
      }
      spans.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, s.end) };
    else merged.push(s);
  }
  return merged;
}

const NUMBER = /\d+(?:,\d+)*(?:\.\d+)?/g;
/** The rest of an identifier once one of its digits has been seen. */
const IDENTIFIER_TAIL = /(?:[\p{L}\p{N}_]|[./@#:\\-](?=[\p{L}\p{N}_]))*/uy;

const CURRENCY_BEFORE = /(?:₹|₨|(?<![\p{L}\p{N}])(?:Rs|RS|rs|Re|INR|रु|रू)\.?)[ \u00a0]?([-−])?[ \u00a0]?$/u;
const HEDGE_BEFORE = /(?:\b(?:about|around|approximately|approx\.?|roughly|nearly|almost|close\s+to|circa)|[~≈∼])[ \u00a0]*$/i;
const NOT_A_FIGURE_AFTER_WORD =
  /(?:\b(?:ending(?:\s+(?:in|with))?|a\/c(?:\s+no\.?)?|acct\.?|account\s+(?:no\.?|number)|card\s+(?:no\.?|number)|section|sec\.|form|rule|clause|article|schedule|step|option|no\.))[ \u00a0:]*$/i;
const YEAR_WORD_BEFORE = /\b(?:in|by|since|from|until|till|to|through|of|year|before|after|during|early|late|mid|end|start|Q[1-4]|H[12])[ \u00a0]+$/i;

const SCALE_WORDS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^[ \u00a0-]?(?:lakhs?|lacs?)(?![\p{L}\p{N}])/iu, 1e5],
  [/^[ \u00a0-]?crores?(?![\p{L}\p{N}])/iu, 1e7],
  [/^[ \u00a0]?crs?\.?(?![\p{L}\p{N}])/iu, 1e7],
  [/^[ \u00a0-]?thousand(?![\p{L}\p{N}])/iu, 1e3],
  [/^[ \u00a0-]?(?:million|mn)(?![\p{L}\p{N}])/iu, 1e6],
  [/^[ \u00a0-]?(?:billion|bn)(?![\p{L}\p{N}])/iu, 1e9],
  // Hindi: लाख, करोड़ (with or without the nukta), हज़ार/हजार.
  [/^[ \u00a0]?लाख/u, 1e5],
  [/^[ \u00a0]?करो(?:\u095C|\u0921\u093C|\u0921)/u, 1e7],
  [/^[ \u00a0]?ह(?:\u095B|\u091C\u093C|\u091C)ार/u, 1e3],
  [/^[kK](?![\p{L}\p{N}])/u, 1e3],
  [/^[ \u00a0]?L(?![\p{L}\p{N}])/u, 1e5],
];
const RUPEES_AFTER = /^[ \u00a0]?(?:rupees?|INR|Rs)(?![\p{L}\p{N}])(?:\/-)?/iu;
const SLASH_DASH_AFTER = /^\/-/;
const UNIT_WORDS: ReadonlyArray<readonly [RegExp, FigureUnit]> = [
  [/^[ \u00a0]?%/, 'percent'],
  [/^[ \u00a0]?(?:percent(?:age)?(?:\s{1,3}points?)?|per\s?cent|pct|pp)(?![\p{L}\p{N}])/iu, 'percent'],
  [/^[ \u00a0]?प्रतिशत/u, 'percent'],
  [/^[ \u00a0-]?(?:years?|yrs?)(?![\p{L}\p{N}])/iu, 'years'],
  [/^[ \u00a0-]?(?:months?|mos?|mths?)(?![\p{L}\p{N}])/iu, 'months'],
  [/^[xX×](?![\p{L}\p{N}])/u, 'plain'],
];

/** One candidate number: its digits and where they sit. */
interface Candidate {
  readonly start: number;
  readonly digits: string;
}

/** Outcome of reading one candidate: a figure, or nothing, with where scanning resumes. */
interface Reading {
  readonly figure: Figure | null;
  /** Where scanning resumes (past an identifier or the unit). */
  readonly resumeAt?: number;
  readonly scale: number;
  /** A currency marker or a unit word fixes the unit. */
  readonly explicitUnit: boolean;
  /** A unit or scale word follows the digits. */
  readonly suffixed: boolean;
}

/** Indian (`1,23,45,678`) or western (`12,345,678`) grouping of an integer part with commas. */
function validGrouping(intPart: string): boolean {
  const groups = intPart.split(',');
  const first = groups[0] ?? '';
  const rest = groups.slice(1);
  if (first.length < 1 || first.length > 3 || first.startsWith('0')) return false;
  if (rest.every((g) => g.length === 3)) return true;
  const last = rest[rest.length - 1] ?? '';
  return first.length <= 2 && last.length === 3 && rest.slice(0, -1).every((g) => g.length === 2);
}

/** The power of ten of the second significant digit of `m` (m > 0): 1,20,000 -> 10,000. */
function twoSignificantStep(m: number): number {
  let e = Math.floor(Math.log10(m));
  if (10 ** (e + 1) <= m) e += 1;
  if (10 ** e > m) e -= 1;
  return 10 ** (e - 1);
}

function readCandidate(text: string, c: Candidate): Reading {
  const { start, digits } = c;
  const end = start + digits.length;
  const skip = (at: number): Reading => {
    IDENTIFIER_TAIL.lastIndex = at;
    IDENTIFIER_TAIL.exec(text);
    return { figure: null, resumeAt: Math.max(IDENTIFIER_TAIL.lastIndex, end), scale: 1, explicitUnit: false, suffixed: false };
  };
  const none: Reading = { figure: null, scale: 1, explicitUnit: false, suffixed: false };
  const before = text.slice(Math.max(0, start - 40), start);
  const prev = text[start - 1] ?? '';
  const prev2 = text[start - 2] ?? '';

  let rawStart = start;
  let negative = false;
  let currency = false;
  let leadingDot = false;
  const cur = CURRENCY_BEFORE.exec(before);
  if (cur) {
    currency = true;
    rawStart = start - (before.length - cur.index);
    if (cur[1] !== undefined) negative = true;
    const signChar = text[rawStart - 1];
    if ((signChar === '-' || signChar === '−') && !/[\p{L}\p{N}]/u.test(text[rawStart - 2] ?? '')) {
      negative = true;
      rawStart -= 1;
    }
  } else {
    if (/[\p{L}\p{N}_@#/\\]/u.test(prev)) return skip(end);
    if (prev === '.' && /[\p{L}\p{N}]/u.test(prev2)) return skip(end);
    // `.5%`: a bare decimal point opens the number.
    if (prev === '.' && !/[.,]/.test(digits)) {
      leadingDot = true;
      rawStart = start - 1;
      if ((prev2 === '-' || prev2 === '−') && !/[\p{L}\p{N}]/u.test(text[start - 3] ?? '')) {
        negative = true;
        rawStart -= 1;
      }
    }
    if (prev === ':' && /\p{N}/u.test(prev2)) return skip(end);
    if (prev === '-' || prev === '−') {
      if (/\p{L}/u.test(prev2)) return skip(end);
      if (!/\p{N}/u.test(prev2)) {
        negative = true;
        rawStart = start - 1;
      }
    } else if (prev === '+' && !/[\p{L}\p{N}]/u.test(prev2)) rawStart = start - 1;
  }

  const after = text.slice(end, end + 40);
  if (/^\.\d/.test(after)) return skip(end);
  if (/^[/:]\d/.test(after) || /^[_@]/.test(after)) return skip(end);

  const hasComma = digits.includes(',');
  const dot = digits.indexOf('.');
  const decimals = leadingDot ? digits.length : dot < 0 ? 0 : digits.length - dot - 1;
  const intDigits = leadingDot ? '0' : (dot < 0 ? digits : digits.slice(0, dot)).replace(/,/g, '');
  const fraction = leadingDot ? `.${digits}` : dot < 0 ? '' : digits.slice(dot);

  let scale = 1;
  let unit: FigureUnit = currency ? 'inr' : 'plain';
  let explicitUnit = currency;
  let suffixLength = 0;
  for (const [re, value] of SCALE_WORDS) {
    const m = re.exec(after);
    if (m) {
      scale = value;
      suffixLength = m[0].length;
      unit = 'inr';
      explicitUnit = true;
      const tail = RUPEES_AFTER.exec(after.slice(suffixLength));
      if (tail) suffixLength += tail[0].length;
      break;
    }
  }
  if (scale === 1) {
    const rupees = RUPEES_AFTER.exec(after);
    if (rupees) {
      unit = 'inr';
      explicitUnit = true;
      suffixLength = rupees[0].length;
    } else if (currency) {
      const slash = SLASH_DASH_AFTER.exec(after);
      if (slash) suffixLength = slash[0].length;
    } else {
      for (const [re, u] of UNIT_WORDS) {
        const m = re.exec(after);
        if (m) {
          unit = u;
          explicitUnit = u !== 'plain';
          suffixLength = m[0].length;
          break;
        }
      }
    }
  }
  // A letter right after the digits that is no unit: an ordinal (`5th`) or an identifier (`80C`).
  if (suffixLength === 0 && /^\p{L}/u.test(after)) return skip(end);

  const contextBefore = text.slice(Math.max(0, rawStart - 40), rawStart);
  if (!currency && NOT_A_FIGURE_AFTER_WORD.test(contextBefore)) return skip(end);
  if (!currency && !hasComma && decimals === 0 && scale === 1) {
    if (intDigits.length >= 9) return skip(end);
    if (intDigits.length >= 2 && intDigits.startsWith('0')) return skip(end);
    const asYear = Number(intDigits);
    if (unit === 'plain' && intDigits.length === 4 && asYear >= 1900 && asYear <= 2099 && !negative) {
      if (YEAR_WORD_BEFORE.test(contextBefore) || /^['’]s\b/.test(after)) return none;
    }
  }

  const magnitude = Number(intDigits + fraction) * scale;
  if (!Number.isFinite(magnitude)) return skip(end);
  let step = 10 ** -decimals * scale;
  if (scale > 1 && magnitude > 0) step = Math.min(step, twoSignificantStep(magnitude));
  if (decimals === 0 && magnitude > 0 && HEDGE_BEFORE.test(contextBefore)) {
    const zeros = /0*$/.exec(intDigits)?.[0].length ?? 0;
    const roundStep = Math.min(10 ** zeros * scale, twoSignificantStep(magnitude));
    step = Math.max(step, roundStep);
  }
  const rawEnd = end + suffixLength;
  const figure: Figure = {
    raw: text.slice(rawStart, rawEnd),
    value: negative && magnitude !== 0 ? -magnitude : magnitude,
    unit,
    index: rawStart,
    step,
  };
  return { figure, resumeAt: rawEnd, scale, explicitUnit, suffixed: scale > 1 || (explicitUnit && !currency) };
}

interface ScannedFigure {
  figure: Figure;
  readonly scale: number;
  readonly explicitUnit: boolean;
  readonly suffixed: boolean;
}

/** Gives the bare end of a range (`10-15%`, `₹1–1.5 lakh`) the unit and scale of the other end. */
function spreadRangeUnits(text: string, scanned: ScannedFigure[]): void {
  for (let i = 0; i + 1 < scanned.length; i += 1) {
    const a = scanned[i];
    const b = scanned[i + 1];
    if (!a || !b) continue;
    const fa = a.figure;
    const fb = b.figure;
    const gap = text.slice(fa.index + fa.raw.length, fb.index);
    const bSigned = fb.raw.startsWith('-') || fb.raw.startsWith('−');
    const joined = /^\s{0,3}(?:[-–—]|to)\s{0,3}$/.test(gap) || (bSigned && /^\s{1,3}$/.test(gap));
    if (!joined) continue;
    if (bSigned) {
      // `10 - 15%`: the minus joined a range; it is not a sign.
      b.figure = { ...fb, value: Math.abs(fb.value), raw: fb.raw.slice(1), index: fb.index + 1 };
    }
    const nb = b.figure;
    if (a.scale === 1 && b.scale > 1 && !a.suffixed && (fa.unit === 'plain' || fa.unit === 'inr') && Math.abs(fa.value) <= Math.abs(nb.value) / b.scale) {
      // `₹1–1.5 lakh`, `1-2 crore`: the lower end is written in the upper end's scale.
      const value = fa.value * b.scale;
      const step = value !== 0 ? Math.min(fa.step * b.scale, twoSignificantStep(Math.abs(value))) : fa.step * b.scale;
      a.figure = { ...fa, unit: 'inr', value, step };
    } else if (!a.explicitUnit && b.explicitUnit && nb.unit !== 'plain') {
      a.figure = { ...fa, unit: nb.unit };
    } else if (a.explicitUnit && !b.explicitUnit && fa.unit !== 'plain') {
      b.figure = { ...nb, unit: fa.unit };
    }
  }
}

/**
 * Every figure in `text`, in order, with its unit, value in base units and shown precision
 * (see the module comment for what is and is not a figure). Total: never throws, returns []
 * for non-strings; linear in the text's length.
 */
export function extractFigures(original: string): Figure[] {
  if (typeof original !== 'string' || original === '') return [];
  // Scan a copy with every BMP decimal digit as ASCII (same length, so offsets hold), so that
  // `₹४५,०००` or full-width `４５%` cannot slip past the check.
  const text = asciiDigits(original);
  const excluded = excludedSpans(text);
  const scanned: ScannedFigure[] = [];
  const re = new RegExp(NUMBER.source, 'g');
  let spanAt = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = m.index;
    while (spanAt < excluded.length && (excluded[spanAt]?.end ?? 0) <= start) spanAt += 1;
    const span = excluded[spanAt];
    if (span && span.start <= start) {
      re.lastIndex = span.end;
      continue;
    }
    const whole = m[0];
    const dot = whole.indexOf('.');
    const intPart = dot < 0 ? whole : whole.slice(0, dot);
    let candidates: Candidate[];
    if (!intPart.includes(',') || validGrouping(intPart)) candidates = [{ start, digits: whole }];
    else {
      // Not a grouping: commas separate numbers (`1,2,3`). Read each part on its own.
      candidates = [];
      let at = start;
      const parts = whole.split(',');
      for (const part of parts) {
        candidates.push({ start: at, digits: part });
        at += part.length + 1;
      }
    }
    let consumedTo = start;
    for (const c of candidates) {
      if (c.start < consumedTo) continue; // an earlier part's identifier ran over this one
      const reading = readCandidate(text, c);
      if (reading.figure) scanned.push({ figure: reading.figure, scale: reading.scale, explicitUnit: reading.explicitUnit, suffixed: reading.suffixed });
      consumedTo = Math.max(c.start + c.digits.length, reading.resumeAt ?? 0);
    }
    re.lastIndex = Math.max(consumedTo, start + whole.length);
  }
  spreadRangeUnits(text, scanned);
  return scanned.map((s) => (text === original ? s.figure : { ...s.figure, raw: original.slice(s.figure.index, s.figure.index + s.figure.raw.length) }));
}

const NON_ASCII_DIGIT = /(?![0-9])\p{Nd}/gu;

/**
 * Decimal digits of other scripts (Devanagari `४`, full-width `４`, ...) as ASCII, keeping the
 * string's length: a digit's value is its distance from the start of its run of ten (Unicode
 * lays each script's 0-9 out consecutively). Digits outside the BMP (two UTF-16 units, e.g.
 * mathematical bold) are left as they are, so they are not read.
 */
function asciiDigits(text: string): string {
  return text.replace(NON_ASCII_DIGIT, (d) => {
    if (d.length !== 1) return d;
    const cp = d.charCodeAt(0);
    let zero = cp;
    while (zero > 0 && cp - zero < 9 && /\p{Nd}/u.test(String.fromCharCode(zero - 1))) zero -= 1;
    return String((cp - zero) % 10);
  });
}

// ---------------------------------------------------------------------------------------------
// Values a text may quote

/** Bounds of `groundValuesFrom`: work stops (keeping what it found) past these. */
export const GROUND_LIMITS = { maxNodes: 100_000, maxDepth: 40, maxValues: 20_000 } as const;

type KeyUnit = GroundUnit | 'paise';

const KEY_SUFFIXES: ReadonlyArray<readonly [RegExp, KeyUnit]> = [
  [/(?:^paise|Paise|_paise)$/, 'paise'],
  [/(?:^rupees|Rupees|_rupees)$/, 'inr'],
  [/(?:^percent|Percent|_percent)$/, 'percent'],
  [/(?:^months|Months|_months)$/, 'months'],
  [/(?:^years|Years|_years)$/, 'years'],
];
const FACT_UNITS: ReadonlySet<string> = new Set(['inr', 'percent', 'months', 'years', 'count', 'score', 'days']);
const NUMERIC_TEXT = /^-?\d{1,16}(?:\.\d{1,6})?$/;

function unitOfKey(key: string): KeyUnit | null {
  for (const [re, unit] of KEY_SUFFIXES) if (re.test(key)) return unit;
  return null;
}

function asNumber(value: unknown, allowText: boolean): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (allowText && typeof value === 'string' && NUMERIC_TEXT.test(value.trim())) return Number(value.trim());
  return null;
}

/**
 * The numbers a text may quote, read from any JSON value (facts, tool results, arrays of
 * them). Units come from key suffixes: `...Paise` (rupees = value / 100), `...Rupees`,
 * `...Percent`, `...Months`, `...Years` (camelCase, snake_case or the bare word); a suffix
 * applies to everything under its key (arrays, nested objects) until a deeper key names
 * another. An object `{ value, unit }` with a numeric `unit` of the Fact contract
 * (inr, percent, months, years, count, score, days) gives its value in that unit. Every
 * other finite number is `plain`. Numeric strings count only under a unit key or as a
 * fact's value (so ids like "0616" never do); text is never mined for numbers. Booleans,
 * nulls and non-finite numbers are skipped; duplicates (same unit and value) are kept once.
 * Work is bounded by `GROUND_LIMITS`; cycles cannot loop. Never throws.
 */
export function groundValuesFrom(data: unknown): GroundValue[] {
  const out: GroundValue[] = [];
  const seen = new Set<string>();
  const visited = new Set<object>();
  const add = (value: number, unit: KeyUnit, path: string): void => {
    if (out.length >= GROUND_LIMITS.maxValues) return;
    const v = unit === 'paise' ? value / 100 : value;
    const u: GroundUnit = unit === 'paise' ? 'inr' : unit;
    const key = `${u}|${v}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ value: v, unit: u, path });
  };
  const stack: Array<{ node: unknown; unit: KeyUnit | null; path: string; depth: number }> = [{ node: data, unit: null, path: '', depth: 0 }];
  let nodes = 0;
  while (stack.length > 0 && nodes < GROUND_LIMITS.maxNodes && out.length < GROUND_LIMITS.maxValues) {
    const { node, unit, path, depth } = stack.pop()!;
    nodes += 1;
    const n = asNumber(node, unit !== null);
    if (n !== null) {
      add(n, unit ?? 'plain', path);
      continue;
    }
    if (node === null || typeof node !== 'object' || depth >= GROUND_LIMITS.maxDepth || visited.has(node)) continue;
    visited.add(node);
    const children: Array<{ node: unknown; unit: KeyUnit | null; path: string; depth: number }> = [];
    if (Array.isArray(node)) {
      const length = Math.min(node.length, GROUND_LIMITS.maxNodes);
      for (let i = 0; i < length; i += 1) children.push({ node: node[i], unit, path: `${path}[${i}]`, depth: depth + 1 });
    } else {
      const record = node as Record<string, unknown>;
      let skipValue = false;
      const factUnit = record['unit'];
      if (typeof factUnit === 'string' && FACT_UNITS.has(factUnit) && 'value' in record) {
        const v = asNumber(record['value'], true);
        if (v !== null) add(v, factUnit as GroundUnit, path === '' ? 'value' : `${path}.value`);
        skipValue = true;
      }
      let count = 0;
      for (const key in record) {
        if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
        if (++count > GROUND_LIMITS.maxNodes) break;
        if (skipValue && key === 'value') continue;
        children.push({ node: record[key], unit: unitOfKey(key) ?? unit, path: path === '' ? key : `${path}.${key}`, depth: depth + 1 });
      }
    }
    // Depth first, in document order.
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]!);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The check

interface Indexed {
  readonly magnitude: number;
  readonly source: GroundValue;
}

function sorted(entries: Indexed[]): Indexed[] {
  return entries.sort((a, b) => a.magnitude - b.magnitude);
}

/** The first entry with magnitude in [lo, hi], by binary search. */
function findIn(entries: readonly Indexed[], lo: number, hi: number): Indexed | null {
  let a = 0;
  let b = entries.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if ((entries[mid]?.magnitude ?? Infinity) < lo) a = mid + 1;
    else b = mid;
  }
  const found = entries[a];
  return found && found.magnitude <= hi ? found : null;
}

function toleranceNote(smallIntegerMax: number, exemptDurations: boolean): string {
  const exempt = smallIntegerMax >= 0 ? `Integers 0–${smallIntegerMax} without a unit${exemptDurations ? ' or in years/months' : ''} are exempt.` : 'No number is exempt.';
  return (
    'Each figure must equal a computed value of a compatible unit after the rounding it shows ' +
    '(half its last digit either way; lakh/crore/k amounts to at least 2 significant figures; round figures after "about"/"around" to 2 significant figures). ' +
    '₹ matches rupee values, % matches percent values, years/months match years or months, bare numbers match any unit. ' +
    `Signs are not compared; derived numbers (differences, sums) are not accepted unless supplied. ${exempt}`
  );
}

/**
 * Checks every figure of `text` against `allowed` (from `groundValuesFrom`), under exactly the
 * rules in `GROUNDING_RULES`. Run it on the text the user will see (after `safeAnswer`), and
 * pass the same text to `removeUngrounded`. Pure; never throws; O((figures + values) log values).
 */
export function checkGrounding(text: string, allowed: readonly GroundValue[], options: GroundingOptions = {}): GroundingResult {
  const smallIntegerMax = options.smallIntegerMax ?? SMALL_INTEGER_MAX;
  const exemptDurations = options.exemptSmallDurations === true;
  const figures = extractFigures(text);
  const inr: Indexed[] = [];
  const percent: Indexed[] = [];
  const years: Indexed[] = [];
  const months: Indexed[] = [];
  const any: Indexed[] = [];
  for (const g of Array.isArray(allowed) ? allowed : []) {
    if (!g || typeof g.value !== 'number' || !Number.isFinite(g.value)) continue;
    const magnitude = Math.abs(g.value);
    any.push({ magnitude, source: g });
    if (g.unit === 'inr') inr.push({ magnitude, source: g });
    else if (g.unit === 'percent') percent.push({ magnitude, source: g });
    else if (g.unit === 'years') {
      years.push({ magnitude, source: g });
      months.push({ magnitude: magnitude * 12, source: g });
    } else if (g.unit === 'months') {
      months.push({ magnitude, source: g });
      years.push({ magnitude: magnitude / 12, source: g });
    }
  }
  const byUnit: Record<FigureUnit, Indexed[]> = { inr: sorted(inr), percent: sorted(percent), years: sorted(years), months: sorted(months), plain: sorted(any) };

  const grounded: GroundedFigure[] = [];
  const ungrounded: Figure[] = [];
  for (const f of figures) {
    const magnitude = Math.abs(f.value);
    const exemptUnit = f.unit === 'plain' || (exemptDurations && (f.unit === 'years' || f.unit === 'months'));
    if (exemptUnit && Number.isInteger(magnitude) && magnitude <= smallIntegerMax && !/[.,]/.test(f.raw)) {
      grounded.push({ ...f, match: null });
      continue;
    }
    // Half a step, plus a few units in the last place for binary rounding (never a paisa's worth).
    const slack = (f.step / 2) * (1 + 1e-9) + magnitude * 1e-15;
    const hit = findIn(byUnit[f.unit], magnitude - slack, magnitude + slack);
    if (hit) grounded.push({ ...f, match: hit.source });
    else ungrounded.push(f);
  }
  return { figures, grounded, ungrounded, toleranceNote: toleranceNote(smallIntegerMax, exemptDurations) };
}

// ---------------------------------------------------------------------------------------------
// Removing what failed

const ABBREVIATIONS = new Set(['rs', 're', 'mr', 'mrs', 'ms', 'dr', 'st', 'vs', 'etc', 'eg', 'ie', 'approx', 'no', 'sr', 'jr', 'pvt', 'ltd', 'co', 'inc', 'ca', 'cf', 'sec', 'nos', 'acct', 'am', 'pm', 'pa', 'yr', 'yrs', 'mo', 'mos', 'cr', 'fig', 'viz', 'govt', 'dept']);
/** Indentation, quote, heading and list markers that open a line and belong to no sentence. */
const LINE_PREFIX = /^[ \t]*(?:>[ \t]?)*(?:#{1,6}[ \t]+)?(?:(?:[-*+]|\d{1,3}[.)])[ \t]+)?/;

interface Sentence {
  readonly start: number;
  readonly end: number;
}

/** Sentences of one line `[from, to)`: each includes the spaces after it. */
function sentencesOfLine(text: string, from: number, to: number): Sentence[] {
  const out: Sentence[] = [];
  let s = from;
  let i = from;
  while (i < to) {
    const ch = text[i];
    if (ch === '.' || ch === '!' || ch === '?' || ch === '।') {
      let j = i + 1;
      while (j < to && /[.!?"'”’)\]*_]/.test(text[j] ?? '')) j += 1;
      const atBreak = j >= to || /\s/.test(text[j] ?? '');
      let boundary = atBreak;
      if (boundary && ch === '.' && j === i + 1) {
        const word = /([\p{L}.]{1,12})$/u.exec(text.slice(Math.max(from, i - 12), i))?.[1] ?? '';
        if (ABBREVIATIONS.has(word.replace(/\./g, '').toLowerCase())) boundary = false;
        else if (word.length === 1 && /\p{Lu}/u.test(word)) boundary = false; // an initial: "A. Kumar"
      }
      if (boundary) {
        while (j < to && /\s/.test(text[j] ?? '')) j += 1;
        out.push({ start: s, end: j });
        s = j;
        i = j;
        continue;
      }
      i = j;
      continue;
    }
    i += 1;
  }
  if (s < to) out.push({ start: s, end: to });
  return out;
}

/**
 * The text without every sentence that holds an ungrounded figure: the "safe answer without
 * them". Sentences end at `.`, `!`, `?` or `।` followed by a space or the end of the line (not at
 * decimal points, `Rs.`, `e.g.`, `approx.` and similar, or list numbers), and at line ends, so
 * a list item, heading or table row is removed on its own. A line whose sentences are all
 * removed disappears, with its list or quote marker; blank lines left behind collapse.
 * Returns '' when nothing but headings or markup is left, and also when `result` does not
 * belong to `text` (an ungrounded figure is not where it says): failing closed. Unchanged
 * text when nothing is ungrounded. Pure; never throws.
 */
export function removeUngrounded(text: string, result: GroundingResult): string {
  if (typeof text !== 'string') return '';
  const bad = result.ungrounded;
  if (bad.length === 0) return text;
  if (bad.some((f) => text.slice(f.index, f.index + f.raw.length) !== f.raw)) return '';
  const positions = bad.map((f) => f.index).sort((a, b) => a - b);
  const hits = (s: Sentence): boolean => {
    // Any ungrounded figure starting inside the sentence.
    let a = 0;
    let b = positions.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if ((positions[mid] ?? Infinity) < s.start) a = mid + 1;
      else b = mid;
    }
    return (positions[a] ?? Infinity) < s.end;
  };

  const lines: string[] = [];
  let contentLeft = false;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    const line = text.slice(lineStart, lineEnd);
    const prefix = LINE_PREFIX.exec(line)?.[0] ?? '';
    const sentences = sentencesOfLine(text, lineStart + prefix.length, lineEnd);
    const prefixHit = positions.some((p) => p >= lineStart && p < lineStart + prefix.length);
    const kept = prefixHit ? [] : sentences.filter((s) => !hits(s));
    if (kept.length === sentences.length && !prefixHit) {
      lines.push(line);
      if (/[\p{L}\p{N}]/u.test(line) && !/^[ \t]*#{1,6}[ \t]/.test(line)) contentLeft = true;
    } else if (kept.length > 0) {
      const body = kept.map((s) => text.slice(s.start, s.end)).join('').trimEnd();
      if (/[\p{L}\p{N}]/u.test(body)) {
        lines.push(prefix + body);
        if (!/^[ \t]*#{1,6}[ \t]/.test(prefix)) contentLeft = true;
      }
    }
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  if (!contentLeft) return '';
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
