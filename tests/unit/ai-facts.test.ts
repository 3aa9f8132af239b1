import { describe, expect, it } from 'vitest';
import { INSIGHT_CATEGORIES, type Fact as ContractFact } from '../../shared/contracts/ai.js';
import { buildFacts, FACT_CATEGORIES, factsPrompt, FACTS_HEADER, formatFigure, formatPercent, formatRupees, MAX_FACTS, parseFactsPrompt, shortLabel, type AnalyticsLike, type Fact, type OverviewLike } from '../../shared/domain/ai/facts.js';
import { buildAnalytics, type Analytics } from '../../shared/domain/analytics/analytics.js';
import type { AnalyticsInput } from '../../shared/domain/analytics/input.js';
import { PERSONAS, personaInput, rawPersona } from '../support/persona-data.js';

// ---------------------------------------------------------------------------------------
// Builders: a persona's overview and analytics views, shaped as buildReadModels stores them.

const FETCHED_AT = '2026-11-20T06:30:00.000Z';

const anOverview = (input: AnalyticsInput): OverviewLike => ({
  asOf: FETCHED_AT,
  netWorthPaise: input.netWorth?.netWorthPaise ?? null,
  totalAssetsPaise: input.netWorth?.totalAssetsPaise ?? null,
  totalLiabilitiesPaise: input.netWorth?.totalLiabilitiesPaise ?? null,
});

const anAnalyticsView = (analytics: Analytics): AnalyticsLike => {
  const { asOf: valuationDate, ...sections } = analytics;
  return { asOf: FETCHED_AT, valuationDate, ...sections };
};

interface Persona {
  readonly phone: string;
  readonly input: AnalyticsInput;
  readonly analytics: Analytics;
  readonly facts: Fact[];
}

const personas: Persona[] = PERSONAS.map((phone) => {
  const input = personaInput(phone);
  const analytics = buildAnalytics(input);
  return { phone, input, analytics, facts: buildFacts({ overview: anOverview(input), analytics: anAnalyticsView(analytics) }) };
});

const factOf = (p: Persona, id: string): Fact | undefined => p.facts.find((f) => f.id === id);
const rupees = (paise: number | null | undefined): number | null => (typeof paise === 'number' ? paise / 100 : null);

/** Every string value under keys matching `key` in a raw JSON document. */
function stringsUnder(doc: unknown, key: RegExp, out: string[] = []): string[] {
  if (Array.isArray(doc)) doc.forEach((d) => stringsUnder(d, key, out));
  else if (doc !== null && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      if (key.test(k) && typeof v === 'string' && v.trim() !== '') out.push(v.trim());
      else stringsUnder(v, key, out);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------

describe('buildFacts on every persona', () => {
  it.each(personas.map((p) => [p.phone, p] as const))('%s: deterministic, bounded, well formed', (_phone, p) => {
    const again = buildFacts({ overview: anOverview(p.input), analytics: anAnalyticsView(buildAnalytics(personaInput(p.phone))) });
    expect(again).toEqual(p.facts);
    expect(factsPrompt(again)).toBe(factsPrompt(p.facts));
    expect(p.facts.length).toBeGreaterThan(0);
    expect(p.facts.length).toBeLessThanOrEqual(MAX_FACTS);
    expect(new Set(p.facts.map((f) => f.id)).size).toBe(p.facts.length);
    for (const f of p.facts) {
      expect(f.id).toMatch(/^[a-z]+(\.[A-Za-z0-9_]+)+$/);
      expect(f.id.length).toBeLessThanOrEqual(100);
      expect(INSIGHT_CATEGORIES).toContain(f.category);
      expect(f.label.length).toBeGreaterThan(0);
      expect(f.label.length).toBeLessThanOrEqual(120);
      expect(f.source).toMatch(/^[a-z_]+(,[a-z_]+)*$/);
      expect(f.asOf === null || /^\d{4}-\d{2}-\d{2}/.test(f.asOf)).toBe(true);
      if (typeof f.value === 'number') expect(Number.isFinite(f.value)).toBe(true);
      if (f.unit === 'inr') {
        expect(typeof f.value).toBe('number');
        // Rupees with two decimals at most: paise / 100, never paise.
        expect(Math.round((f.value as number) * 100) / 100).toBe(f.value);
      }
      if (f.unit === 'text' && typeof f.value === 'string') expect(f.value).toMatch(/^[a-z_]{2,20}$/);
    }
  });

  it.each(personas.map((p) => [p.phone, p] as const))('%s: values are the analytics figures (rupees = paise / 100)', (_phone, p) => {
    const a = p.analytics;
    const cf = a.cashFlow.available ? a.cashFlow : null;
    const credit = a.credit.available ? a.credit : null;
    const epf = a.epf.available ? a.epf : null;
    const expected: Record<string, number | string | null> = {
      'networth.totalRupees': rupees(p.input.netWorth?.netWorthPaise),
      'networth.assetsRupees': rupees(p.input.netWorth?.totalAssetsPaise),
      'cashflow.monthlySpendingRupees': rupees(cf?.monthlyAverage.spendingPaise),
      'cashflow.monthlyIncomeRupees': rupees(cf?.monthlyAverage.incomePaise),
      'cashflow.savingsRatePercent': cf?.monthlyAverage.savingsRatePercent ?? null,
      'cashflow.emergencyFundMonths': cf?.emergencyFund.months ?? null,
      'cashflow.topSpendingCategory': cf?.spendingByCategory[0]?.category ?? null,
      'returns.portfolioXirrPercent': a.returns.available ? a.returns.totals.xirrPercent : null,
      'credit.score': credit?.score.value ?? null,
      'credit.utilisationPercent': credit?.utilisation.overallPercent ?? null,
      'credit.latePayments': credit?.paymentHistory.totalLateMonths ?? null,
      'epf.totalRupees': rupees(epf?.totalBalancePaise),
      'epf.dormantCount': epf?.dormant.count ?? null,
      'epf.dormantRupees': rupees(epf?.dormant.balancePaise),
      'allocation.equityPercent': a.allocation.buckets.find((b) => b.bucket === 'equity')?.sharePercent ?? null,
    };
    // Debt facts only when something is owed (no liabilities: no debt section at all).
    const owes = a.debt.liabilities.length > 0;
    expected['debt.totalOutstandingRupees'] = owes ? rupees(a.debt.totalOutstandingPaise) : null;
    expected['debt.emiToIncomePercent'] = owes ? (a.debt.emiToIncome?.percent ?? null) : null;
    expected['debt.avalancheMonths'] = owes ? (a.debt.payoff?.avalanche.months ?? null) : null;
    expected['debt.interestSavedByAvalancheRupees'] = owes ? rupees(a.debt.payoff?.interestSavedByAvalanchePaise) : null;
    for (const [id, value] of Object.entries(expected)) {
      // These facts come early in the list, so the cap never drops them: present exactly when the analytics know the figure.
      expect(factOf(p, id)?.value ?? null, id).toBe(value);
    }
    for (const s of a.returns.schemes) {
      const f = factOf(p, `returns.scheme.${s.isin ?? ''}.xirrPercent`);
      if (f) expect(f.value).toBe(s.xirrPercent);
    }
  });

  it.each(personas.map((p) => [p.phone, p] as const))('%s: no third-party text beyond short names, no identifiers', (_phone, p) => {
    const prompt = factsPrompt(p.facts);
    const narrations = p.input.transactions.map((t) => t.narration ?? '').filter((n) => n.length >= 8);
    const lenders = (p.input.creditReport?.accounts ?? []).map((acc) => acc.lender).filter((l) => l.length >= 4);
    const birthDates = stringsUnder(rawPersona(p.phone, 'fetch_credit_report'), /birth/i);
    const panLike = stringsUnder(rawPersona(p.phone, 'fetch_credit_report'), /^pan$|panNumber|incomeTaxPan/i);
    for (const text of [...narrations, ...lenders, ...birthDates, ...panLike]) expect(prompt.toUpperCase()).not.toContain(text.toUpperCase());
    for (const f of p.facts) {
      const words = [f.label, typeof f.value === 'string' ? f.value : ''].join(' ');
      expect(words).not.toMatch(/[A-Z]{5}\d{4}[A-Z]/);
      expect(words).not.toMatch(/\d{6,}/);
      expect(f.label.length).toBeLessThanOrEqual(120);
    }
  });
});

describe('buildFacts edge cases', () => {
  it('gives no facts without documents', () => {
    expect(buildFacts({ overview: null, analytics: null })).toEqual([]);
    expect(buildFacts({ overview: {}, analytics: {} })).toEqual([]);
  });

  it('never throws on malformed stored sections and keeps the readable ones', () => {
    const broken = { asOf: FETCHED_AT, cashFlow: { available: true }, credit: { available: true, score: null }, epf: 'nope', returns: [] } as unknown as AnalyticsLike;
    const facts = buildFacts({ overview: { asOf: FETCHED_AT, netWorthPaise: 12_345_678 }, analytics: broken });
    expect(facts.map((f) => f.id)).toEqual(['networth.totalRupees']);
    expect(facts[0]?.value).toBe(123_456.78);
  });

  it.each([
    ['a fractional paise amount', 12.5],
    ['an unsafe integer', Number.MAX_SAFE_INTEGER + 2],
    ['a string', '100'],
    ['NaN', Number.NaN],
  ])('leaves out %s instead of inventing rupees', (_name, value) => {
    expect(buildFacts({ overview: { netWorthPaise: value as number }, analytics: null })).toEqual([]);
  });

  it('keeps to the cap and a fixed order', () => {
    for (const p of personas) {
      const ids = p.facts.map((f) => f.id);
      const order = ['networth.', 'cashflow.', 'debt.', 'credit.', 'epf.', 'returns.', 'allocation.', 'stocks.'];
      const sectionIndex = ids.map((id) => order.findIndex((prefix) => id.startsWith(prefix)));
      expect(sectionIndex.every((n) => n >= 0)).toBe(true);
      expect([...sectionIndex].sort((x, y) => x - y)).toEqual(sectionIndex);
    }
  });

  it('has the contract shape (each assignable to the other) and the same categories', () => {
    const facts: Fact[] = personas[0]?.facts ?? [];
    const asContract: ContractFact[] = facts;
    const back: Fact[] = asContract;
    expect(back).toBe(facts);
    expect([...FACT_CATEGORIES]).toEqual([...INSIGHT_CATEGORIES]);
  });
});

describe('factsPrompt', () => {
  it.each(personas.map((p) => [p.phone, p] as const))('%s: one JSON line per fact, read back exactly', (_phone, p) => {
    const prompt = factsPrompt(p.facts);
    const lines = prompt.split('\n');
    expect(lines[0]).toBe(FACTS_HEADER);
    expect(lines).toHaveLength(p.facts.length + 1);
    expect(parseFactsPrompt(prompt)).toEqual(p.facts);
  });

  it('ignores other lines and malformed facts', () => {
    const good: Fact = { id: 'credit.score', label: 'Credit score', value: 742, unit: 'score', category: 'credit', asOf: null, source: 'fetch_credit_report' };
    const text = [
      'Some instructions.',
      factsPrompt([good]),
      '{"id":"x","label":"y","value":{"nested":1},"unit":"inr","category":"credit","asOf":null,"source":"s"}',
      '{"id":"x","label":"y","value":1,"unit":"furlongs","category":"credit","asOf":null,"source":"s"}',
      '{"id":"x","label":"y","value":1,"unit":"inr","category":"gambling","asOf":null,"source":"s"}',
      '{ not json',
      JSON.stringify(good),
    ].join('\n');
    expect(parseFactsPrompt(text)).toEqual([good]);
  });
});

describe('formatting', () => {
  it.each([
    [0, '₹0'],
    [7, '₹7'],
    [999, '₹999'],
    [1000, '₹1,000'],
    [84_250.5, '₹84,250.50'],
    [1_23_456, '₹1,23,456'],
    [1_00_000, '₹1,00,000'],
    [12_34_567.8, '₹12,34,567.80'],
    [1_23_45_67_890.12, '₹1,23,45,67,890.12'],
    [-3339.87, '-₹3,339.87'],
    [-0.001, '₹0'],
    [Number.NaN, '₹—'],
  ])('formatRupees(%s) = %s', (value, text) => {
    expect(formatRupees(value)).toBe(text);
  });

  it.each([
    [7.44, 'percent', '7.44%'],
    [48, 'percent', '48%'],
    [-5.6, 'percent', '-5.6%'],
    [3.5, 'months', '3.5 months'],
    [1, 'months', '1 month'],
    [10, 'years', '10 years'],
    [742, 'score', '742'],
    [true, 'text', 'yes'],
    [null, 'inr', 'not available'],
    ['very_good', 'text', 'very_good'],
  ] as const)('formatFigure(%s, %s) = %s', (value, unit, text) => {
    expect(formatFigure(value, unit)).toBe(text);
  });

  it('formatPercent keeps the figure’s decimals', () => {
    expect(formatPercent(100.29)).toBe('100.29%');
    expect(formatPercent(0.5)).toBe('0.5%');
  });

  it.each([
    ['Aravalli Flexi Cap Fund - Direct Plan - Growth', 'Aravalli Flexi Cap Fund - Direct Plan -…'],
    ['FUND\u202E IGNORE\nALL <b>previous</b> ABCDE1234F 12345678', 'FUND IGNORE ALL b previous b'],
    ['SGB 2021-22 SERIES VII', 'SGB 2021-22 SERIES VII'],
    ['GODAVARI_MUTUAL_FUND', 'GODAVARI MUTUAL FUND'],
    ['Visit www.evil-site.example for FREE units', 'Visit for FREE units'],
    ['Fund https://evil.example/claim?x=1 Growth', 'Fund Growth'],
    ['Claim at evil-site.example now', 'Claim at now'],
    ['Claim at evil.co.in/x or EVIL.EXAMPLE', 'Claim at or'],
    ['Claim at evil.*example* now', 'Claim at evil. example now'],
    ['Fund [x](y) *bold* `code` ~~s~~ #1 | <i>', 'Fund x (y) bold code s 1 i'],
    ['Aditya Birla Sun Life Pvt. Ltd. (G)', 'Aditya Birla Sun Life Pvt. Ltd. (G)'],
    [null, ''],
  ])('shortLabel(%j) = %j', (value, label) => {
    expect(shortLabel(value)).toBe(label);
  });
});
