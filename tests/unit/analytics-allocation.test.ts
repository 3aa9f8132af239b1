import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALLOCATION_BUCKETS,
  AMC_CONCENTRATION_PERCENT,
  HOLDING_CONCENTRATION_PERCENT,
  allocation,
  etfBucket,
  fundBucket,
  type Allocation,
  type AllocationBucket,
} from '../../shared/domain/analytics/allocation.js';
import type { AnalyticsInput } from '../../shared/domain/analytics/input.js';
import type { Holding, NetWorthSummary } from '../../shared/domain/fi/types.js';
import { PERSONA_DATE, PERSONAS, personaInput, rawPersona } from '../support/persona-data.js';

/**
 * Asset allocation and concentration. Hand-built cases state where each expected value comes
 * from; persona cases derive the buckets from the raw JSON by hand (asset types, scheme asset
 * classes, holding names), never through our normalisers.
 */

const SEED = 20261120;
const ASOF = '2026-11-20';

let serial = 0;
const aNetWorth = (assetsByType: Record<string, number>): NetWorthSummary => {
  const total = Object.values(assetsByType).reduce((a, b) => a + b, 0);
  return { assetsByType, liabilitiesByType: { home_loan: 999_999 }, totalAssetsPaise: total, totalLiabilitiesPaise: 999_999, netWorthPaise: total - 999_999, mismatchPaise: 0, mismatch: false };
};
const aFund = (o: Partial<Holding> = {}): Holding => ({ id: `h${++serial}`, kind: 'mutual_fund', isin: `INF${serial}`, name: 'A Fund', valuePaise: 100, currency: 'INR', assetClass: 'EQUITY', amc: 'A_MF', ...o });
const aHolding = (kind: Holding['kind'], o: Partial<Holding> = {}): Holding => ({ id: `h${++serial}`, kind, isin: `IN${serial}`, name: `${kind} ${serial}`, valuePaise: 100, currency: 'INR', ...o });
const anInput = (o: Partial<AnalyticsInput> = {}): AnalyticsInput => ({ asOf: ASOF, accounts: [], holdings: [], netWorth: null, transactions: [], creditReport: null, epf: null, ...o });

const bucketValues = (a: Allocation): Record<AllocationBucket, number> => Object.fromEntries(a.buckets.map((b) => [b.bucket, b.valuePaise])) as Record<AllocationBucket, number>;
const only = (values: Partial<Record<AllocationBucket, number>>): Record<AllocationBucket, number> => ({ ...Object.fromEntries(ALLOCATION_BUCKETS.map((b) => [b, 0])), ...values }) as Record<AllocationBucket, number>;

const expectPlainJson = (value: unknown): void => {
  const text = JSON.stringify(value);
  expect(text).not.toMatch(/NaN|Infinity/);
  expect(JSON.parse(text)).toEqual(value);
};

describe('allocation: net-worth asset types', () => {
  it.each([
    ['savings_accounts', 'cash'],
    ['deposits', 'debt'],
    ['epf', 'epf'],
    ['indian_securities', 'equity'],
    ['us_securities', 'international'],
    ['sgb', 'gold'],
    ['nps', 'other'],
    ['reit', 'other'],
  ] as const)('%s goes to %s whole', (type, bucket) => {
    const a = allocation(anInput({ netWorth: aNetWorth({ [type]: 12_345 }) }));
    expect(bucketValues(a)).toEqual(only({ [bucket]: 12_345 }));
    expect(a.buckets.find((b) => b.bucket === bucket)?.sharePercent).toBe(100);
    expect(a.totalAssetsPaise).toBe(12_345);
  });

  it('an unknown type is other, with a note; liabilities never enter', () => {
    const a = allocation(anInput({ netWorth: aNetWorth({ reit: 5, savings_accounts: 5 }) }));
    expect(a.totalAssetsPaise).toBe(10);
    expect(a.notes).toEqual(['reit: an asset type we do not classify; counted as other.']);
  });

  it('shares are of total assets, 2 decimals: thirds give 33.33 each', () => {
    const a = allocation(anInput({ netWorth: aNetWorth({ savings_accounts: 100, epf: 100, deposits: 100 }) }));
    expect(a.buckets.filter((b) => b.valuePaise > 0).map((b) => b.sharePercent)).toEqual([33.33, 33.33, 33.33]);
  });

  it('no net worth: unavailable, every bucket zero with no share', () => {
    const a = allocation(anInput());
    expect(a).toMatchObject({ available: false, sources: [], totalAssetsPaise: null, byAssetType: [] });
    expect(a.buckets.map((b) => [b.bucket, b.valuePaise, b.sharePercent])).toEqual(ALLOCATION_BUCKETS.map((b) => [b, 0, null]));
    expectPlainJson(a);
  });

  it('total assets of zero or less: no shares, said so; a negative type stays negative', () => {
    const a = allocation(anInput({ netWorth: aNetWorth({ savings_accounts: -500, deposits: 200 }) }));
    expect(bucketValues(a)).toEqual(only({ cash: -500, debt: 200 }));
    expect(a.buckets.every((b) => b.sharePercent === null)).toBe(true);
    expect(a.notes.join(' ')).toMatch(/not positive.*negative asset values kept/);
  });
});

describe('allocation: mutual funds and ETFs split by holding', () => {
  it("splits the MF value by each fund's asset class and category; the sum is exact", () => {
    const holdings = [
      aFund({ valuePaise: 1_000, assetClass: 'EQUITY', category: 'FLEXI_CAP_FUND' }),
      aFund({ valuePaise: 2_000, assetClass: 'DEBT', category: 'GILT_FUND' }),
      aFund({ valuePaise: 3_000, assetClass: 'HYBRID', category: 'DYNAMIC_ASSET_ALLOCATION' }),
      aFund({ valuePaise: 4_000, assetClass: 'CASH', category: 'LIQUID_FUND' }),
      aFund({ valuePaise: 5_000, assetClass: 'COMMODITY', category: 'FUND_OF_FUNDS_GOLD' }),
      aFund({ valuePaise: 6_000, assetClass: 'EQUITY', category: 'FUND_OF_FUNDS_OVERSEAS' }),
    ];
    const a = allocation(anInput({ netWorth: aNetWorth({ mutual_fund: 21_000 }), holdings }));
    expect(bucketValues(a)).toEqual(only({ equity: 1_000, debt: 2_000, hybrid: 3_000, cash: 4_000, gold: 5_000, international: 6_000 }));
    expect(a.notes).toEqual([]);
  });

  it.each([
    ['MF holdings short of the type value', 10_000, 7_000, 3_000, 'difference ₹30.00'],
    ['MF holdings above the type value', 10_000, 12_000, -2_000, 'difference ₹-20.00'],
  ])('%s: the difference goes to other, with a note', (_label, typeValue, held, other, note) => {
    const a = allocation(anInput({ netWorth: aNetWorth({ mutual_fund: typeValue }), holdings: [aFund({ valuePaise: held })] }));
    expect(bucketValues(a)).toEqual(only({ equity: held, other }));
    expect(a.notes.join(' ')).toContain(note);
    expect(a.buckets.reduce((s, b) => s + b.valuePaise, 0)).toBe(typeValue);
  });

  it('an MF value with no holdings at all is other, with a note', () => {
    const a = allocation(anInput({ netWorth: aNetWorth({ mutual_fund: 700 }) }));
    expect(bucketValues(a)).toEqual(only({ other: 700 }));
    expect(a.notes[0]).toContain('no holdings to split');
  });

  it('ETFs by name: a gold ETF is gold, a Nifty ETF equity', () => {
    const holdings = [aHolding('etf', { name: 'Himgiri Gold ETF', valuePaise: 300 }), aHolding('etf', { name: 'Himgiri Nifty 50 ETF', valuePaise: 700 })];
    const a = allocation(anInput({ netWorth: aNetWorth({ etf: 1_000 }), holdings }));
    expect(bucketValues(a)).toEqual(only({ gold: 300, equity: 700 }));
  });

  it.each([
    [{ assetClass: 'EQUITY', category: 'LARGE_CAP_FUND', name: 'X Bluechip' }, 'equity'],
    [{ assetClass: 'EQUITY', category: 'INTERNATIONAL_FOF', name: 'X' }, 'international'],
    [{ assetClass: 'EQUITY', name: 'X Nasdaq 100 Fund of Fund' }, 'international'],
    [{ assetClass: 'DEBT', category: 'OVERNIGHT_FUND', name: 'X' }, 'cash'],
    [{ category: 'MONEY_MARKET_FUND', name: 'X' }, 'cash'],
    [{ assetClass: 'COMMODITY', category: 'FUND_OF_FUNDS_SILVER', name: 'X' }, 'other'],
    [{ assetClass: 'COMMODITY', name: 'X Gold Savings Fund' }, 'gold'],
    [{ category: 'ARBITRAGE_FUND', name: 'X' }, 'hybrid'],
    [{ category: 'CORPORATE_BOND_FUND', name: 'X' }, 'debt'],
    [{ category: 'SMALL_CAP_FUND', name: 'X' }, 'equity'],
    [{ name: 'Mystery Fund' }, null],
  ])('fundBucket(%o) is %s', (fund, bucket) => {
    expect(fundBucket(fund)).toBe(bucket);
  });

  it.each([
    ['Himgiri Gold ETF', 'gold'],
    ['X Silver ETF', 'other'],
    ['X Nasdaq 100 ETF', 'international'],
    ['X Bank ETF', 'equity'],
    // Liquid ETFs hold overnight money: cash. Bond and gilt ETFs: debt. Checked before equity.
    ['Nippon India ETF Liquid BeES', 'cash'],
    ['X LIQUIDBEES', 'cash'],
    ['Bharat Bond ETF April 2030', 'debt'],
    ['X Nifty 5 yr Benchmark G-Sec ETF', 'debt'],
    ['X GSEC 2033 ETF', 'debt'],
    ['X GILT5YBEES', 'debt'],
    ['X Nifty SDL Apr 2027 ETF', 'debt'],
    ['X Corporate Bond ETF', 'debt'],
  ])('etfBucket(%s) is %s', (name, bucket) => {
    expect(etfBucket({ name })).toBe(bucket);
  });

  it('an unclassifiable fund is other, with a note naming it', () => {
    const a = allocation(anInput({ netWorth: aNetWorth({ mutual_fund: 100 }), holdings: [aFund({ assetClass: undefined, name: 'Mystery Fund' })] }));
    expect(bucketValues(a)).toEqual(only({ other: 100 }));
    expect(a.notes[0]).toContain('"Mystery Fund"');
  });
});

describe('allocation: concentration', () => {
  it('top 5 holdings by value with their share of investments; USD converted at the rate implied by us_securities', () => {
    // Six holdings worth 100..600 paise in INR plus one US stock: 1000 cents, us_securities
    // 88,400 paise -> 88.40 paise a cent. Investments 2100 + 88400 = 90500.
    const holdings = [100, 200, 300, 400, 500, 600].map((v, i) => aHolding('equity', { name: `S${i}`, valuePaise: v }));
    const us = aHolding('us_equity', { name: 'US1', valuePaise: 1_000, currency: 'USD' });
    const a = allocation(anInput({ netWorth: aNetWorth({ indian_securities: 2_100, us_securities: 88_400 }), holdings: [...holdings, us] }));
    const c = a.concentration;
    expect(c.investmentsPaise).toBe(90_500);
    expect(c.topHoldings.map((h) => [h.name, h.valuePaise])).toEqual([['US1', 88_400], ['S5', 600], ['S4', 500], ['S3', 400], ['S2', 300]]);
    expect(c.topHoldings[0]!.sharePercent).toBe(97.68); // 88400 / 90500
    expect(c.flags).toEqual([{ kind: 'holding', holdingKind: 'us_equity', name: 'US1', sharePercent: 97.68, thresholdPercent: HOLDING_CONCENTRATION_PERCENT }]);
    expect(c.excluded).toEqual([]);
  });

  it('a foreign holding with no INR figure to convert by is left out, said so', () => {
    const a = allocation(anInput({ netWorth: aNetWorth({ savings_accounts: 1 }), holdings: [aHolding('us_equity', { name: 'US1', currency: 'USD' })] }));
    expect(a.concentration.excluded).toEqual([{ name: 'US1', reason: 'value in USD with no INR figure to convert by' }]);
  });

  it(`thresholds: a holding at exactly ${HOLDING_CONCENTRATION_PERCENT}% is not flagged, above it is; an AMC above ${AMC_CONCENTRATION_PERCENT}% is`, () => {
    // Funds of 20, 20, 20, 20, 20 (%): none flagged; AMCs A (40%) and B (60%): only B.
    const exact = [1, 2, 3, 4, 5].map((i) => aFund({ name: `F${i}`, valuePaise: 2_000, amc: i <= 2 ? 'A' : 'B' }));
    const a = allocation(anInput({ netWorth: aNetWorth({ mutual_fund: 10_000 }), holdings: exact }));
    expect(a.concentration.byAmc).toEqual([
      { amc: 'B', valuePaise: 6_000, funds: 3, sharePercent: 60 },
      { amc: 'A', valuePaise: 4_000, funds: 2, sharePercent: 40 },
    ]);
    expect(a.concentration.flags).toEqual([{ kind: 'amc', holdingKind: null, name: 'B', sharePercent: 60, thresholdPercent: AMC_CONCENTRATION_PERCENT }]);
    const above = allocation(anInput({ netWorth: aNetWorth({ mutual_fund: 10_001 }), holdings: [...exact.slice(1), aFund({ name: 'F1', valuePaise: 2_001, amc: 'C' })] }));
    expect(above.concentration.flags.filter((f) => f.kind === 'holding').map((f) => [f.name, f.sharePercent])).toEqual([['F1', 20.01]]);
  });
});

describe('allocation: properties (fast-check, fixed seed)', () => {
  const TYPES = ['savings_accounts', 'deposits', 'epf', 'indian_securities', 'us_securities', 'sgb', 'nps', 'etf', 'mutual_fund', 'reit'] as const;
  const CLASSES = ['EQUITY', 'DEBT', 'HYBRID', 'CASH', 'COMMODITY', undefined] as const;
  const anAmount = fc.integer({ min: 0, max: 1e13 });

  it('buckets sum exactly to total assets; with positive total the shares sum to 100 within rounding', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...TYPES), anAmount),
        fc.array(fc.record({ value: anAmount, cls: fc.constantFrom(...CLASSES), kind: fc.constantFrom('mutual_fund' as const, 'etf' as const) }), { maxLength: 12 }),
        (types, funds) => {
          const holdings = funds.map((f) => aFund({ kind: f.kind, valuePaise: f.value, assetClass: f.cls }));
          const a = allocation(anInput({ netWorth: aNetWorth(types), holdings }));
          const total = Object.values(types).reduce((s, v) => s + v, 0);
          expect(a.totalAssetsPaise).toBe(total);
          expect(a.buckets.reduce((s, b) => s + b.valuePaise, 0)).toBe(total);
          for (const t of a.byAssetType) expect(t.parts.reduce((s, p) => s + p.valuePaise, 0)).toBe(t.valuePaise);
          if (total > 0) {
            const shares = a.buckets.reduce((s, b) => s + b.sharePercent!, 0);
            // Eight shares each rounded to 0.01: at most 8 x 0.005 away.
            expect(Math.abs(shares - 100)).toBeLessThanOrEqual(0.04 + 1e-9);
          }
          expectPlainJson(a);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('odd data never throws and gives plain JSON', () => {
    const odd = fc.oneof(fc.integer(), fc.constant(Number.NaN), fc.constant(Infinity), fc.double());
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), odd), odd, fc.array(fc.record({ value: odd, cur: fc.constantFrom('INR', 'USD', ''), amc: fc.option(fc.string(), { nil: undefined }) }), { maxLength: 6 }), (types, total, hs) => {
        const netWorth = { ...aNetWorth({}), assetsByType: types, totalAssetsPaise: total };
        const holdings = hs.map((h, i) => aHolding(i % 2 ? 'mutual_fund' : 'us_equity', { valuePaise: h.value, currency: h.cur, amc: h.amc }));
        expectPlainJson(allocation(anInput({ netWorth, holdings })));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

// --- personas: expectations derived from the raw JSON by hand ---------------------------

type Json = any;

const paiseOf = (m: Json): number => {
  const nanos = Number(m?.nanos ?? 0);
  return Number(m?.units ?? 0) * 100 + Math.sign(nanos) * Math.round(Math.abs(nanos) / 1e7);
};

/** Raw asset entries (ASSET_TYPE_* only: mixed-in LIABILITY_TYPE_* entries are liabilities). */
function rawAssets(nw: Json): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of nw?.netWorthResponse?.assetValues ?? []) {
    if (!String(e.netWorthAttribute).startsWith('ASSET_TYPE_')) continue;
    const key = String(e.netWorthAttribute).slice('ASSET_TYPE_'.length);
    m.set(key, (m.get(key) ?? 0) + paiseOf(e.value));
  }
  return m;
}

/** The buckets by hand from the raw document, following the documented mapping. */
function expectedBuckets(nw: Json): Record<AllocationBucket, number> {
  const assets = rawAssets(nw);
  const b = only({});
  const add = (bucket: AllocationBucket, v: number): void => void (b[bucket] += v);
  add('cash', assets.get('SAVINGS_ACCOUNTS') ?? 0);
  add('debt', assets.get('DEPOSITS') ?? 0);
  add('epf', assets.get('EPF') ?? 0);
  add('equity', assets.get('INDIAN_SECURITIES') ?? 0);
  add('international', assets.get('US_SECURITIES') ?? 0);
  add('gold', assets.get('SGB') ?? 0);
  add('other', assets.get('NPS') ?? 0);
  // Every persona's schemes carry an asset class; gold FoFs are COMMODITY with "GOLD" in the category.
  const byClass: Record<string, AllocationBucket> = { EQUITY: 'equity', DEBT: 'debt', HYBRID: 'hybrid', CASH: 'cash', COMMODITY: 'gold' };
  for (const s of nw?.mfSchemeAnalytics?.schemeAnalytics ?? []) {
    add(byClass[s.schemeDetail.assetClass]!, paiseOf(s.enrichedAnalytics.analytics.schemeDetails.currentValue));
  }
  for (const account of Object.values<Json>(nw?.accountDetailsBulkResponse?.accountDetailsMap ?? {})) {
    // ETFs by name: gold; liquid (cash); bond, gilt, G-Sec or SDL (debt); else equity.
    const etf = (name: string): AllocationBucket => (/gold/i.test(name) ? 'gold' : /liquid/i.test(name) ? 'cash' : /\bbonds?\b|gilt|\bg-?sec\b|\bsdl\b/i.test(name) ? 'debt' : 'equity');
    for (const h of account.etfSummary?.holdingsInfo ?? []) add(etf(h.issuerName), Math.round(h.units * paiseOf(h.nav)));
  }
  return b;
}

describe.each(PERSONAS)('persona %s: allocation against the raw JSON', (phone) => {
  const nw = rawPersona(phone, 'fetch_net_worth');
  const isNetWorth = nw?.netWorthResponse !== undefined;
  const a = allocation(personaInput(phone));

  it('total = Σ raw ASSET_TYPE_* values (null without a net-worth document); buckets sum to it exactly', () => {
    expect(a.asOf).toBe(PERSONA_DATE);
    expect(a.available).toBe(isNetWorth);
    if (!isNetWorth) {
      expect(a.totalAssetsPaise).toBeNull();
      return;
    }
    const total = [...rawAssets(nw).values()].reduce((s, v) => s + v, 0);
    expect(a.totalAssetsPaise).toBe(total);
    expect(a.buckets.reduce((s, b) => s + b.valuePaise, 0)).toBe(total);
    expect(a.sources).toEqual(['fetch_net_worth']);
    expectPlainJson(a);
  });

  it('each bucket equals the hand mapping of the raw types, scheme asset classes and ETF names; no differences to explain', () => {
    if (!isNetWorth) return;
    expect(bucketValues(a)).toEqual(expectedBuckets(nw));
    expect(a.notes).toEqual([]);
  });

  it('AMC shares of the raw scheme values; investments = raw scheme values + raw holding accounts', () => {
    const schemes: Json[] = nw?.mfSchemeAnalytics?.schemeAnalytics ?? [];
    const mf = schemes.reduce((s, x) => s + paiseOf(x.enrichedAnalytics.analytics.schemeDetails.currentValue), 0);
    expect(a.concentration.mutualFundPaise).toBe(mf);
    for (const row of a.concentration.byAmc) {
      const amc = schemes.filter((x) => x.schemeDetail.amc === row.amc).reduce((s, x) => s + paiseOf(x.enrichedAnalytics.analytics.schemeDetails.currentValue), 0);
      expect(row.valuePaise).toBe(amc);
      expect(row.sharePercent).toBeCloseTo((amc / mf) * 100, 2);
      expect(a.concentration.flags.some((f) => f.kind === 'amc' && f.name === row.amc)).toBe((amc / mf) * 100 > AMC_CONCENTRATION_PERCENT);
    }
    // Stock, ETF, SGB and US accounts are valued in INR by Fi (US at its rate); our conversion
    // of each US holding rounds to the paisa, so allow one paisa per US holding.
    const accounts = Object.values<Json>(nw?.accountDetailsBulkResponse?.accountDetailsMap ?? {});
    const heldAccounts = accounts.map((x) => x.equitySummary ?? x.etfSummary ?? x.sgbSummary).filter((x) => x?.holdingsInfo !== undefined);
    const usHoldings = accounts.filter((x) => x.accountDetails.accInstrumentType === 'ACC_INSTRUMENT_TYPE_US_SECURITIES').reduce((s, x) => s + x.equitySummary.holdingsInfo.length, 0);
    const expected = mf + heldAccounts.reduce((s, x) => s + paiseOf(x.currentValue), 0);
    expect(Math.abs(a.concentration.investmentsPaise - expected)).toBeLessThanOrEqual(usHoldings);
    expect(a.concentration.excluded).toEqual([]);
    expect(a.concentration.topHoldings.length).toBe(Math.min(5, schemes.length + heldAccounts.reduce((s, x) => s + x.holdingsInfo.length, 0)));
  });
});
