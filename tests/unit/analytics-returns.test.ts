import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnalyticsInput } from '../../shared/domain/analytics/input.js';
import { investmentReturns, MF_TRANSACTION_CAP, XIRR_MATCH_TOLERANCE_PP, type SchemeReturns } from '../../shared/domain/analytics/returns.js';
import { stockPositions, type StockPosition } from '../../shared/domain/analytics/stocks.js';
import type { Holding, InvestmentTransactionType, Transaction } from '../../shared/domain/fi/types.js';
import { PERSONA_DATE, PERSONAS, personaInput, rawPersona } from '../support/persona-data.js';

/**
 * Mutual-fund returns and stock positions. Hand-built cases state where each expected value
 * comes from (hand arithmetic or a closed form); the persona cases derive their expectations
 * from the raw JSON, walked by hand here, never through our normalisers.
 */

const SEED = 20261120;
const ASOF = '2023-01-01';

// --- builders over the normalised model ------------------------------------------------

let serial = 0;
const aTxn = (o: Partial<Transaction> & Pick<Transaction, 'kind' | 'accountKey' | 'date' | 'type'>): Transaction => ({
  id: `t${++serial}`,
  direction: o.type === 'BUY' ? 'debit' : o.type === 'SELL' ? 'credit' : 'other',
  amountPaise: 0,
  currency: 'INR',
  ...o,
});

/** An MF row: `rupees` is the amount, so the NAV is rupees / units. */
const anMf = (type: 'BUY' | 'SELL', date: string, units: number, rupees: number, key = 'INF000A:F1'): Transaction =>
  aTxn({ kind: 'mf', accountKey: key, date, type, units, amountPaise: Math.round(rupees * 100), pricePaise: Math.round((rupees * 100) / units) });

/** A stock row; `price` in rupees, absent for bonus and split rows. */
const aStock = (type: InvestmentTransactionType, date: string, units: number, price?: number, isin = 'INE000A'): Transaction =>
  aTxn({ kind: 'stock', accountKey: isin, date, type, units, amountPaise: price === undefined ? 0 : Math.round(units * price * 100), ...(price === undefined ? {} : { pricePaise: Math.round(price * 100) }) });

const aFund = (o: Partial<Holding> = {}): Holding => ({ id: `h${++serial}`, kind: 'mutual_fund', isin: 'INF000A', folio: 'F1', name: 'A Fund', units: 100, valuePaise: 121_000, currency: 'INR', ...o });
const aShare = (o: Partial<Holding> = {}): Holding => ({ id: `h${++serial}`, kind: 'equity', isin: 'INE000A', name: 'A Ltd', units: 15, valuePaise: 120_000, currency: 'INR', ...o });

const anInput = (o: Partial<AnalyticsInput> = {}): AnalyticsInput => ({ asOf: ASOF, accounts: [], holdings: [], netWorth: null, transactions: [], creditReport: null, epf: null, ...o });

const schemeOf = (r: ReturnType<typeof investmentReturns>, isin = 'INF000A'): SchemeReturns => {
  const s = r.schemes.find((x) => x.isin === isin);
  if (!s) throw new Error(`no scheme ${isin}`);
  return s;
};
const positionOf = (r: ReturnType<typeof stockPositions>, isin = 'INE000A'): StockPosition => {
  const p = r.positions.find((x) => x.isin === isin);
  if (!p) throw new Error(`no position ${isin}`);
  return p;
};

/** Plain JSON: survives a round trip unchanged (no undefined, NaN or Infinity hiding anywhere). */
const expectPlainJson = (value: unknown): void => {
  const text = JSON.stringify(value);
  expect(text).not.toMatch(/NaN|Infinity/);
  expect(JSON.parse(text)).toEqual(value);
};

describe('investmentReturns: hand-built cases', () => {
  it('one purchase grown 21% over two years: XIRR 10% (closed form (1210/1000)^(365/730) - 1)', () => {
    const r = investmentReturns(anInput({ transactions: [anMf('BUY', '2021-01-01', 100, 1000)], holdings: [aFund({ xirrPercent: 10 })] }));
    const s = schemeOf(r);
    expect(s).toMatchObject({
      status: 'held',
      units: 100,
      investedPaise: 100_000,
      currentValuePaise: 121_000,
      realisedGainPaise: 0,
      unrealisedGainPaise: 21_000, // 1210 - 1000
      absoluteReturnPercent: 21, // 210 / 1000
      unrealisedReturnPercent: 21,
      xirrPercent: 10,
    });
    expect(s.reconciliation).toMatchObject({ status: 'matches', ourXirrPercent: 10, fiXirrPercent: 10, differencePp: 0, tolerancePp: XIRR_MATCH_TOLERANCE_PP });
    expect(r.sources).toEqual(['fetch_mf_transactions', 'fetch_net_worth']);
    expect(r.totals.xirrPercent).toBe(10);
    expectPlainJson(r);
  });

  it('average cost: a sale books proceeds minus the average cost of the units sold', () => {
    // Buy 100 u for 1000 and 100 u for 2000: 200 u costing 3000 (15/u). Sell 50 u for 1000:
    // cost of sold 3000 x 50/200 = 750, realised 250; left 150 u costing 2250.
    // Holding worth 3000: unrealised 750; absolute 1000 over 3000 purchased = 33.33%.
    const r = investmentReturns(
      anInput({
        transactions: [anMf('BUY', '2021-01-01', 100, 1000), anMf('SELL', '2022-01-01', 50, 1000), anMf('BUY', '2021-06-01', 100, 2000)],
        holdings: [aFund({ units: 150, valuePaise: 300_000 })],
      }),
    );
    expect(schemeOf(r)).toMatchObject({
      units: 150,
      purchasedPaise: 300_000,
      redeemedPaise: 100_000,
      investedPaise: 225_000,
      realisedGainPaise: 25_000,
      unrealisedGainPaise: 75_000,
      absoluteGainPaise: 100_000,
      absoluteReturnPercent: 33.33,
      unrealisedReturnPercent: 33.33, // 750 / 2250
    });
  });

  it('rounds the cost of units sold to the paisa, half up, as Fi does', () => {
    // 3 u cost 100.00; selling 1 removes round(10000/3) = 3333 paise, leaving 6667.
    const r = investmentReturns(anInput({ transactions: [anMf('BUY', '2021-01-01', 3, 100), anMf('SELL', '2022-01-01', 1, 40)], holdings: [aFund({ units: 2, valuePaise: 8_000 })] }));
    expect(schemeOf(r)).toMatchObject({ investedPaise: 6_667, realisedGainPaise: 4_000 - 3_333 });
  });

  it('a fully redeemed scheme (no holding) keeps its realised gain and its XIRR', () => {
    // -1000 on 2022-01-01, +1100 a year (365 days) later: 10%.
    const r = investmentReturns(anInput({ transactions: [anMf('BUY', '2022-01-01', 10, 1000), anMf('SELL', '2023-01-01', 10, 1100)] }));
    const s = schemeOf(r);
    expect(s).toMatchObject({ status: 'redeemed', units: 0, currentValuePaise: 0, investedPaise: 0, realisedGainPaise: 10_000, unrealisedGainPaise: 0, xirrPercent: 10 });
    expect(s.reconciliation.status).toBe('no-fi-xirr');
    expect(r.sources).toEqual(['fetch_mf_transactions']);
  });

  it('transactions leaving units but no holding: no current value, missing-nav', () => {
    const s = schemeOf(investmentReturns(anInput({ transactions: [anMf('BUY', '2022-01-01', 10, 1000)] })));
    expect(s).toMatchObject({ status: 'no-holding', currentValuePaise: null, unrealisedGainPaise: null, xirrPercent: null, xirrUnavailable: 'missing-nav' });
    expect(s.reconciliation.status).toBe('missing-nav');
  });

  it('a holding in another currency has no INR value: missing-nav', () => {
    const s = schemeOf(investmentReturns(anInput({ transactions: [anMf('BUY', '2021-01-01', 100, 1000)], holdings: [aFund({ currency: 'USD' })] })));
    expect(s.reconciliation.status).toBe('missing-nav');
    expect(s.currentValuePaise).toBeNull();
  });

  it('a holding without transactions is listed with no history, counted in value, left out of the portfolio XIRR', () => {
    const r = investmentReturns(anInput({ holdings: [aFund({ xirrPercent: 12, investedPaise: 90_000 })] }));
    expect(schemeOf(r)).toMatchObject({ status: 'no-history', units: null, fiUnits: 100, investedPaise: null, fiInvestedPaise: 90_000, currentValuePaise: 121_000, xirrUnavailable: 'no-history' });
    expect(schemeOf(r).reconciliation.status).toBe('partial-history');
    expect(r.totals).toMatchObject({ currentValuePaise: 121_000, xirrPercent: null, xirrExcluded: [{ key: 'INF000A:F1', status: 'no-history' }] });
    expect(r.sources).toEqual(['fetch_net_worth']);
  });

  it.each([
    ['below the cap: partial history', 3, 'partial-history'],
    ['at the cap of 500 rows: the cap explains it', MF_TRANSACTION_CAP, 'transaction-cap'],
  ])('units that differ from Fi\'s, %s', (_label, rows, status) => {
    const transactions = Array.from({ length: rows }, (_, i) => anMf('BUY', `2021-01-${String((i % 28) + 1).padStart(2, '0')}`, 1, 10));
    const s = schemeOf(investmentReturns(anInput({ transactions, holdings: [aFund({ units: rows + 100, xirrPercent: 10 })] })));
    expect(s.reconciliation.status).toBe(status);
    expect(s.reconciliation.explanation).toContain(`our units ${rows}`);
  });

  it('units that agree but an XIRR that differs, with the cap reached: the cap may explain it', () => {
    // 500 rows of 1 u for 10 (5000 in all) on 2021-01-01, worth 6050 two years later: 10% (closed form).
    const transactions = Array.from({ length: MF_TRANSACTION_CAP }, () => anMf('BUY', '2021-01-01', 1, 10));
    const s = schemeOf(investmentReturns(anInput({ transactions, holdings: [aFund({ units: MF_TRANSACTION_CAP, valuePaise: 605_000, xirrPercent: 14 })] })));
    expect(s).toMatchObject({ xirrPercent: 10, reconciliation: { status: 'transaction-cap', differencePp: -4 } });
  });

  it('a sale of more units than held is partial history, with no gains', () => {
    const s = schemeOf(investmentReturns(anInput({ transactions: [anMf('BUY', '2021-01-01', 10, 100), anMf('SELL', '2022-01-01', 20, 300)], holdings: [aFund({ units: -10 })] })));
    expect(s.oversold).toBe(true);
    expect(s.reconciliation.status).toBe('partial-history');
    expect(s).toMatchObject({ realisedGainPaise: null, unrealisedGainPaise: null, absoluteGainPaise: null, absoluteReturnPercent: null, unrealisedReturnPercent: null, gainsUnavailable: 'incomplete-history' });
  });

  it('totals cover the schemes the portfolio XIRR covers; an incomplete scheme\'s value is reported apart', () => {
    // A: 100 u bought for 1,000, worth 1,210 (complete). B: 10 u bought for 100 but Fi holds 50 u
    // worth 600: history incomplete, so B's "gain" of 500 is unknown and left out.
    const r = investmentReturns(
      anInput({
        transactions: [anMf('BUY', '2021-01-01', 100, 1000, 'INF000A:F1'), anMf('BUY', '2021-01-01', 10, 100, 'INF000B:F9')],
        holdings: [aFund({ valuePaise: 121_000 }), aFund({ isin: 'INF000B', folio: 'F9', units: 50, valuePaise: 60_000 })],
      }),
    );
    expect(schemeOf(r, 'INF000B')).toMatchObject({ reconciliation: { status: 'partial-history' }, unrealisedGainPaise: null, realisedGainPaise: null, gainsUnavailable: 'incomplete-history' });
    expect(schemeOf(r, 'INF000A')).toMatchObject({ unrealisedGainPaise: 21_000, gainsUnavailable: null });
    expect(r.totals).toMatchObject({
      currentValuePaise: 181_000,
      includedCurrentValuePaise: 121_000,
      excludedCurrentValuePaise: 60_000,
      purchasedPaise: 100_000,
      investedPaise: 100_000,
      unrealisedGainPaise: 21_000,
      realisedGainPaise: 0,
      absoluteGainPaise: 21_000,
      absoluteReturnPercent: 21,
      xirrPercent: 10,
      xirrCoveredValuePaise: 121_000,
    });
  });

  it('complete history but Fi\'s XIRR far from ours: differs, with the figures', () => {
    const s = schemeOf(investmentReturns(anInput({ transactions: [anMf('BUY', '2021-01-01', 100, 1000)], holdings: [aFund({ xirrPercent: 15 })] })));
    expect(s.reconciliation).toMatchObject({ status: 'differs', ourXirrPercent: 10, fiXirrPercent: 15, differencePp: -5 });
    expect(s.reconciliation.explanation).toContain('-5');
  });

  it.each([
    ['0.1 pp apart is still a match', 10.1, 'matches'],
    ['0.11 pp apart differs', 10.11, 'differs'],
  ])('tolerance: %s', (_label, fi, status) => {
    const s = schemeOf(investmentReturns(anInput({ transactions: [anMf('BUY', '2021-01-01', 100, 1000)], holdings: [aFund({ xirrPercent: fi })] })));
    expect(s.reconciliation.status).toBe(status);
  });

  it('no XIRR from Fi: no-fi-xirr, ours still given', () => {
    const s = schemeOf(investmentReturns(anInput({ transactions: [anMf('BUY', '2021-01-01', 100, 1000)], holdings: [aFund()] })));
    expect(s).toMatchObject({ xirrPercent: 10, reconciliation: { status: 'no-fi-xirr', fiXirrPercent: null, differencePp: null } });
  });

  it('a purchase made on the as-of day: the solver cannot compute (same-day), said so', () => {
    const s = schemeOf(investmentReturns(anInput({ transactions: [anMf('BUY', ASOF, 1, 10)], holdings: [aFund({ units: 1, valuePaise: 1_000, xirrPercent: 0 })] })));
    expect(s).toMatchObject({ xirrPercent: null, xirrUnavailable: 'same-day', reconciliation: { status: 'cannot-compute' } });
  });

  it('a holding without a folio takes every folio of its ISIN; units add up', () => {
    const r = investmentReturns(
      anInput({
        transactions: [anMf('BUY', '2021-01-01', 60, 600, 'INF000A:F1'), anMf('BUY', '2021-01-01', 40, 400, 'INF000A:F2')],
        holdings: [aFund({ folio: undefined, xirrPercent: 10 })],
      }),
    );
    expect(r.schemes).toHaveLength(1);
    expect(schemeOf(r)).toMatchObject({ folios: ['F1', 'F2'], units: 100, investedPaise: 100_000, xirrPercent: 10 });
  });

  it('portfolio XIRR over two schemes: -1000, -1000 a year later, +2310 a year after that is 10% (1000x^2 + 1000x = 2310, x = 1.1)', () => {
    const r = investmentReturns(
      anInput({
        transactions: [anMf('BUY', '2021-01-01', 100, 1000, 'INF000A:F1'), anMf('BUY', '2022-01-01', 100, 1000, 'INF000B:F9')],
        holdings: [aFund({ valuePaise: 121_000 }), aFund({ isin: 'INF000B', folio: 'F9', valuePaise: 110_000 })],
      }),
    );
    expect(r.totals).toMatchObject({ xirrPercent: 10, currentValuePaise: 231_000, investedPaise: 200_000, unrealisedGainPaise: 31_000, xirrCoveredValuePaise: 231_000, xirrExcluded: [] });
    expect(r.schemes.map((s) => s.isin)).toEqual(['INF000A', 'INF000B']); // largest value first
  });

  it('rows dated after asOf are left out and counted', () => {
    const r = investmentReturns(anInput({ transactions: [anMf('BUY', '2021-01-01', 100, 1000), anMf('BUY', '2024-01-01', 5, 50)], holdings: [aFund({ xirrPercent: 10 })] }));
    expect(r.rowsAfterAsOf).toBe(1);
    expect(schemeOf(r).units).toBe(100);
  });

  it('no MF data at all: unavailable, empty, still plain JSON', () => {
    const r = investmentReturns(anInput({ transactions: [aStock('BUY', '2021-01-01', 1, 10)] }));
    expect(r).toMatchObject({ available: false, sources: [], schemes: [], transactionCount: 0, totals: { xirrPercent: null, absoluteReturnPercent: null } });
    expectPlainJson(r);
  });
});

describe('stockPositions: hand-built cases', () => {
  it('a bonus halves the average cost and keeps the total cost; a sale books gain at average cost', () => {
    // Buy 10 @100 = 1000; 1:1 bonus of 10 -> 20 shares costing 1000 (50/share).
    // Sell 5 @80 = 400: cost of sold 1000 x 5/20 = 250, realised 150; left 15 costing 750.
    // Holding: 15 units worth 1200 (80/share): unrealised 1200 - 750 = 450.
    const r = stockPositions(anInput({ transactions: [aStock('SELL', '2022-06-01', 5, 80), aStock('BONUS', '2021-06-01', 10), aStock('BUY', '2021-01-01', 10, 100)], holdings: [aShare()] }));
    expect(positionOf(r)).toMatchObject({
      status: 'held',
      quantity: 15,
      bought: 10,
      sold: 5,
      bonus: 10,
      holdingUnits: 15,
      quantityMatches: true,
      costPaise: 75_000,
      averageCostPaise: 5_000,
      realisedGainPaise: 15_000,
      pricePaise: 8_000,
      currency: 'INR',
      currentValuePaise: 120_000,
      unrealisedGainPaise: 45_000,
      foreignCurrency: false,
    });
    expect(r.totals).toMatchObject({ costPaise: 75_000, currentValuePaise: 120_000, realisedGainPaise: 15_000, unrealisedGainPaise: 45_000, unrealisedReturnPercent: 60 });
    expectPlainJson(r);
  });

  it('a 5:1 split credits 16 shares on 4: average cost 2000/20 = 100', () => {
    const p = positionOf(stockPositions(anInput({ transactions: [aStock('BUY', '2021-01-01', 4, 500), aStock('SPLIT', '2021-02-01', 16)], holdings: [aShare({ units: 20, valuePaise: 240_000 })] })));
    expect(p).toMatchObject({ quantity: 20, split: 16, costPaise: 200_000, averageCostPaise: 10_000, unrealisedGainPaise: 40_000 });
  });

  it('a fully sold position (no holding) is kept with its realised gain: 100 x (12 - 10) = 200', () => {
    const p = positionOf(stockPositions(anInput({ transactions: [aStock('BUY', '2021-01-01', 100, 10), aStock('SELL', '2022-01-01', 100, 12)] })));
    expect(p).toMatchObject({ status: 'sold', quantity: 0, costPaise: 0, averageCostPaise: null, realisedGainPaise: 20_000, currentValuePaise: 0, unrealisedGainPaise: 0, holdingUnits: null });
  });

  it('a holding without transactions is listed as no history; USD stays USD, flagged, outside the INR totals', () => {
    const r = stockPositions(anInput({ holdings: [aShare({ kind: 'us_equity', isin: 'US000B', units: 12.5, valuePaise: 273_050, currency: 'USD' })] }));
    expect(positionOf(r, 'US000B')).toMatchObject({ status: 'no-history', quantity: null, currency: 'USD', currentValuePaise: 273_050, pricePaise: 21_844, foreignCurrency: true, unrealisedUnavailable: 'no-history' });
    expect(r.totals.currentValuePaise).toBe(0);
    expect(r.foreignCurrency).toEqual([{ currency: 'USD', currentValuePaise: 273_050, positions: 1 }]);
  });

  it('INR costs against a USD price: no unrealised gain (currency-differs)', () => {
    const p = positionOf(stockPositions(anInput({ transactions: [aStock('BUY', '2021-01-01', 15, 100)], holdings: [aShare({ currency: 'USD' })] })));
    expect(p).toMatchObject({ costPaise: 150_000, unrealisedGainPaise: null, unrealisedUnavailable: 'currency-differs', foreignCurrency: true });
  });

  it('flags a quantity that differs from the holding\'s units: the holding\'s value stands, gains are unknown (incomplete history)', () => {
    const r = stockPositions(anInput({ transactions: [aStock('BUY', '2021-01-01', 10, 100)], holdings: [aShare()] }));
    expect(positionOf(r)).toMatchObject({ quantity: 10, holdingUnits: 15, quantityMatches: false, currentValuePaise: 120_000, unrealisedGainPaise: null, realisedGainPaise: null, unrealisedUnavailable: 'incomplete-history', realisedUnavailable: 'incomplete-history' });
    expect(r.quantityMismatches).toBe(1);
    expect(r.totals).toMatchObject({ currentValuePaise: 120_000, unrealisedGainPaise: 0, realisedGainPaise: 0, costPaise: 0, unrealisedReturnPercent: null });
  });

  it('an oversold history (our quantity below zero) never makes a negative value: the holding\'s value, no gains', () => {
    // Buy 10 @100, sell 20 @120: our quantity is -10, the holding has 15 worth 1,200.
    const r = stockPositions(anInput({ transactions: [aStock('BUY', '2021-01-01', 10, 100), aStock('SELL', '2022-01-01', 20, 120)], holdings: [aShare()] }));
    expect(positionOf(r)).toMatchObject({ quantity: -10, oversold: true, currentValuePaise: 120_000, realisedGainPaise: null, unrealisedGainPaise: null, realisedUnavailable: 'incomplete-history', unrealisedUnavailable: 'incomplete-history' });
    expect(r.totals.currentValuePaise).toBe(120_000);
    expect(r.totals.realisedGainPaise).toBe(0);
  });

  it('a purchase without a price leaves cost unknown, said so', () => {
    const p = positionOf(stockPositions(anInput({ transactions: [aStock('BUY', '2021-01-01', 15)], holdings: [aShare()] })));
    expect(p).toMatchObject({ costPaise: null, averageCostPaise: null, realisedGainPaise: null, unrealisedGainPaise: null, unrealisedUnavailable: 'unpriced-rows' });
  });

  it('no stock data: unavailable', () => {
    expect(stockPositions(anInput())).toMatchObject({ available: false, sources: [], positions: [], quantityMismatches: 0 });
  });
});

// --- properties ----------------------------------------------------------------------

const aDay = fc.integer({ min: 0, max: 1_500 }).map((d) => new Date(Date.UTC(2019, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
const anMfRow = fc.record({
  type: fc.constantFrom('BUY' as const, 'SELL' as const),
  date: aDay,
  units: fc.integer({ min: 1, max: 5_000_000 }).map((u) => u / 1000),
  amount: fc.integer({ min: 1, max: 1_000_000_000 }),
  folio: fc.constantFrom('F1', 'F2', 'F3'),
});

describe('properties (fast-check, fixed seed)', () => {
  it('MF: invested + cost of units sold = purchased, exactly in paise, and totals are sums of schemes', () => {
    fc.assert(
      fc.property(fc.array(anMfRow, { maxLength: 60 }), fc.boolean(), (rows, withHolding) => {
        const transactions = rows.map((r) => aTxn({ kind: 'mf', accountKey: `INF000A:${r.folio}`, date: r.date, type: r.type, units: r.units, amountPaise: r.amount }));
        const r = investmentReturns(anInput({ asOf: '2024-01-01', transactions, holdings: withHolding ? [aFund({ folio: 'F1' })] : [] }));
        expectPlainJson(r);
        for (const s of r.schemes) {
          if (s.investedPaise === null || s.realisedGainPaise === null) continue;
          expect(Number.isSafeInteger(s.investedPaise)).toBe(true);
          // Cost of units sold = proceeds - realised; what was not sold is still invested.
          if (!s.oversold) expect(s.investedPaise + (s.redeemedPaise - s.realisedGainPaise)).toBe(s.purchasedPaise);
        }
        expect(r.totals.currentValuePaise).toBe(r.schemes.reduce((a, s) => a + (s.currentValuePaise ?? 0), 0));
        // Gains and the included value are over the schemes the portfolio XIRR covers; the rest is reported apart.
        const excluded = new Set(r.totals.xirrExcluded.map((x) => x.key));
        const included = r.schemes.filter((s) => !excluded.has(s.key));
        expect(r.totals.realisedGainPaise).toBe(included.reduce((a, s) => a + (s.realisedGainPaise ?? 0), 0));
        expect(r.totals.unrealisedGainPaise).toBe(included.reduce((a, s) => a + (s.unrealisedGainPaise ?? 0), 0));
        expect(r.totals.includedCurrentValuePaise).toBe(included.reduce((a, s) => a + (s.currentValuePaise ?? 0), 0));
        expect(r.totals.includedCurrentValuePaise + r.totals.excludedCurrentValuePaise).toBe(r.totals.currentValuePaise);
        for (const s of r.schemes) if (s.oversold) expect([s.realisedGainPaise, s.unrealisedGainPaise, s.gainsUnavailable]).toEqual([null, null, 'incomplete-history']);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('stocks: bonus and split rows leave the total cost unchanged and never raise the average cost', () => {
    const aBuy = fc.record({ date: aDay, units: fc.integer({ min: 1, max: 10_000 }), price: fc.integer({ min: 1, max: 500_000 }).map((p) => p / 100) });
    const aCredit = fc.record({ date: aDay, units: fc.integer({ min: 1, max: 10_000 }), type: fc.constantFrom('BONUS' as const, 'SPLIT' as const) });
    fc.assert(
      fc.property(fc.array(aBuy, { minLength: 1, maxLength: 20 }), fc.array(aCredit, { maxLength: 5 }), (buys, credits) => {
        const buyRows = buys.map((b) => aStock('BUY', b.date, b.units, b.price));
        const before = positionOf(stockPositions(anInput({ asOf: '2024-01-01', transactions: buyRows })));
        const after = positionOf(stockPositions(anInput({ asOf: '2024-01-01', transactions: [...buyRows, ...credits.map((c) => aStock(c.type, c.date, c.units))] })));
        expect(after.costPaise).toBe(before.costPaise);
        expect(after.costPaise).toBe(buyRows.reduce((a, t) => a + t.amountPaise, 0));
        expect(after.quantity).toBe(before.quantity! + credits.reduce((a, c) => a + c.units, 0));
        expect(after.averageCostPaise!).toBeLessThanOrEqual(before.averageCostPaise!);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('odd data never throws and always gives plain JSON', () => {
    const oddNumber = fc.oneof(fc.double(), fc.integer(), fc.constant(Number.NaN), fc.constant(-0));
    const anOddRow = fc.record({
      kind: fc.constantFrom('mf' as const, 'stock' as const),
      accountKey: fc.constantFrom('', ':', 'INF1:', 'INE1', 'INF1:F:2'),
      date: fc.oneof(aDay, fc.constant('not a date'), fc.constant('2100-01-01')),
      type: fc.constantFrom('BUY' as const, 'SELL' as const, 'BONUS' as const, 'SPLIT' as const, 'CREDIT' as const),
      units: fc.option(oddNumber, { nil: undefined }),
      amountPaise: fc.integer({ min: 0, max: 1e12 }),
      pricePaise: fc.option(fc.integer({ min: 0, max: 1e9 }), { nil: undefined }),
    });
    const anOddHolding = fc.record({
      kind: fc.constantFrom('mutual_fund' as const, 'equity' as const, 'us_equity' as const, 'etf' as const),
      isin: fc.option(fc.constantFrom('INF1', 'INE1'), { nil: undefined }),
      folio: fc.option(fc.constantFrom('', 'F', '2'), { nil: undefined }),
      units: fc.option(oddNumber, { nil: undefined }),
      valuePaise: fc.integer({ min: -1e12, max: 1e12 }),
      currency: fc.constantFrom('INR', 'USD'),
      xirrPercent: fc.option(oddNumber, { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(anOddRow, { maxLength: 30 }), fc.array(anOddHolding, { maxLength: 5 }), (rows, holdings) => {
        const input = anInput({
          transactions: rows.map((r) => aTxn(r as Partial<Transaction> & Pick<Transaction, 'kind' | 'accountKey' | 'date' | 'type'>)),
          holdings: holdings.map((h) => aFund({ ...h, name: 'X' })),
        });
        expectPlainJson(investmentReturns(input));
        expectPlainJson(stockPositions(input));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

// --- personas: expectations derived from the raw JSON by hand ---------------------------

type Json = any;

/** Fi money by hand: units*100 plus nanos rounded half away from zero; `{}` is zero. */
const paiseOf = (m: Json): number => {
  const nanos = Number(m?.nanos ?? 0);
  return Number(m?.units ?? 0) * 100 + Math.sign(nanos) * Math.round(Math.abs(nanos) / 1e7);
};
const rupeesToPaise = (v: number): number => Math.round(v * 100);

interface RawMfRow {
  readonly isin: string;
  readonly folio: string;
  readonly buy: boolean;
  readonly date: string;
  readonly units: number;
  readonly amountPaise: number;
}

/** MF rows from either document shape; none when the file is missing or is another tool's document. */
function rawMfRows(phone: string): RawMfRow[] {
  const doc = rawPersona(phone, 'fetch_mf_transactions');
  const current: RawMfRow[] = (doc?.mfTransactions ?? []).flatMap((b: Json) =>
    b.txns.map((t: Json) => ({ isin: b.isin, folio: b.folioId, buy: t[0] === 1, date: t[1], units: t[3], amountPaise: rupeesToPaise(t[4]) })),
  );
  const old: RawMfRow[] = (doc?.transactions ?? []).map((t: Json) => ({
    isin: t.isinNumber,
    folio: t.folioId,
    buy: t.externalOrderType === 'BUY',
    date: String(t.transactionDate).slice(0, 10), // midnight UTC is the same calendar day in IST
    units: t.transactionUnits,
    amountPaise: paiseOf(t.transactionAmount),
  }));
  return [...current, ...old];
}

/** Fi's scheme analytics by ISIN (none when the net-worth file is another tool's document). */
function rawAnalytics(phone: string): Map<string, Json> {
  const doc = rawPersona(phone, 'fetch_net_worth');
  return new Map((doc?.mfSchemeAnalytics?.schemeAnalytics ?? []).map((s: Json) => [s.schemeDetail.isinNumber, s.enrichedAnalytics.analytics.schemeDetails]));
}

const groupBy = <T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
  return m;
};

describe.each(PERSONAS)('persona %s: mutual funds against the raw JSON', (phone) => {
  const rows = rawMfRows(phone);
  const analytics = rawAnalytics(phone);
  const r = investmentReturns(personaInput(phone));

  it('is available exactly when the raw files hold MF rows or scheme analytics, and counts every row', () => {
    expect(r.available).toBe(rows.length > 0 || analytics.size > 0);
    expect(r.transactionCount).toBe(rows.length);
    expect(r.transactionCapReached).toBe(rows.length >= 500);
    expect(r.asOf).toBe(PERSONA_DATE);
    expectPlainJson(r);
  });

  it('units per folio = Σ BUY − Σ SELL of the raw rows; invested = purchases − proceeds + realised', () => {
    for (const [key, folioRows] of groupBy(rows, (x) => `${x.isin}:${x.folio}`)) {
      const s = r.schemes.find((x) => x.isin === folioRows[0]!.isin && x.folios.includes(folioRows[0]!.folio));
      expect(s, key).toBeDefined();
      const units = folioRows.reduce((a, x) => a + (x.buy ? x.units : -x.units), 0);
      expect(s!.units!).toBeCloseTo(units, 3);
      const bought = folioRows.filter((x) => x.buy).reduce((a, x) => a + x.amountPaise, 0);
      const sold = folioRows.filter((x) => !x.buy).reduce((a, x) => a + x.amountPaise, 0);
      expect([s!.purchasedPaise, s!.redeemedPaise]).toEqual([bought, sold]);
      expect(s!.investedPaise).toBe(bought - sold + s!.realisedGainPaise!);
    }
  });

  it('current values sum to the raw analytics values', () => {
    const raw = [...analytics.values()].reduce((a, x) => a + paiseOf(x.currentValue), 0);
    expect(r.totals.currentValuePaise).toBe(raw);
  });

  it("where the history is complete (raw units = Fi's units), our invested and realised equal Fi's and our XIRR matches Fi's", () => {
    for (const [isin, fi] of analytics) {
      const own = rows.filter((x) => x.isin === isin);
      const units = own.reduce((a, x) => a + (x.buy ? x.units : -x.units), 0);
      const s = r.schemes.find((x) => x.isin === isin)!;
      if (own.length === 0 || Math.abs(units - fi.units) > 0.0005) {
        expect(['partial-history', 'transaction-cap']).toContain(s.reconciliation.status);
        continue;
      }
      expect(s.investedPaise).toBe(paiseOf(fi.investedValue));
      if (fi.realisedReturns !== undefined) expect(s.realisedGainPaise).toBe(paiseOf(fi.realisedReturns));
      // Not Fi's unrealisedReturns: 9000000013 gives `{}` (zero) for a fund worth 1.14 less than it cost.
      expect(s.unrealisedGainPaise).toBe(paiseOf(fi.currentValue) - paiseOf(fi.investedValue));
      if (own.every((x) => x.date === PERSONA_DATE)) {
        // Bought on the data date only: no time has passed, so no rate exists.
        expect(s.reconciliation.status).toBe('cannot-compute');
      } else {
        expect(s.reconciliation.status).toBe('matches');
        expect(Math.abs(s.xirrPercent! - fi.XIRR)).toBeLessThanOrEqual(XIRR_MATCH_TOLERANCE_PP);
      }
    }
  });

  it('every raw folio and every raw scheme appears once', () => {
    const isins = new Set([...rows.map((x) => x.isin), ...analytics.keys()]);
    expect(new Set(r.schemes.map((s) => s.isin))).toEqual(isins);
    expect(new Set(r.schemes.map((s) => s.key)).size).toBe(r.schemes.length);
  });
});

/** Stock rows and the equity/ETF/US holdings of the raw files. */
function rawStocks(phone: string): { rows: Map<string, Json[]>; holdings: Map<string, { units: number; pricePaise: number; currency: string }> } {
  const txns = rawPersona(phone, 'fetch_stock_transactions');
  const rows = new Map<string, Json[]>((txns?.stockTransactions ?? []).map((b: Json) => [b.isin, b.txns]));
  const nw = rawPersona(phone, 'fetch_net_worth');
  const holdings = new Map<string, { units: number; pricePaise: number; currency: string }>();
  for (const account of Object.values<Json>(nw?.accountDetailsBulkResponse?.accountDetailsMap ?? {})) {
    const summary = account.equitySummary ?? account.etfSummary;
    for (const h of summary?.holdingsInfo ?? []) {
      const price = h.lastTradedPrice ?? h.nav;
      holdings.set(h.isin, { units: h.units, pricePaise: paiseOf(price), currency: price.currencyCode ?? 'INR' });
    }
  }
  return { rows, holdings };
}

describe.each(PERSONAS)('persona %s: stocks against the raw JSON', (phone) => {
  const { rows, holdings } = rawStocks(phone);
  const r = stockPositions(personaInput(phone));

  it('is available exactly when there are raw stock rows or stock/ETF holdings', () => {
    expect(r.available).toBe(rows.size > 0 || holdings.size > 0);
    expect(new Set(r.positions.map((p) => p.isin))).toEqual(new Set([...rows.keys(), ...holdings.keys()]));
    expectPlainJson(r);
  });

  it('quantity = BUY − SELL + BONUS + SPLIT of the raw rows, and agrees with the raw holding', () => {
    for (const [isin, txns] of rows) {
      const signed = txns.reduce((a: number, t: Json) => a + (t[0] === 2 ? -t[2] : t[2]), 0);
      const p = positionOf(r, isin);
      expect(p.quantity).toBe(signed);
      const held = holdings.get(isin);
      if (held === undefined) {
        expect(p.status).toBe(signed === 0 ? 'sold' : 'no-holding');
      } else {
        expect(p.quantityMatches).toBe(held.units === signed);
        // Value at the raw price (value / units is the last traded price, to the paisa here).
        expect(p.currentValuePaise).toBe(Math.round(signed * held.pricePaise));
      }
    }
  });

  it('cost left = raw purchases − raw sale proceeds + realised gain (cost is conserved, bonus and split cost nothing)', () => {
    for (const [isin, txns] of rows) {
      const bought = txns.filter((t: Json) => t[0] === 1).reduce((a: number, t: Json) => a + Math.round(t[2] * t[3] * 100), 0);
      const sold = txns.filter((t: Json) => t[0] === 2).reduce((a: number, t: Json) => a + Math.round(t[2] * t[3] * 100), 0);
      const p = positionOf(r, isin);
      expect(p.costPaise).toBe(bought - sold + p.realisedGainPaise!);
    }
  });

  it('holdings without raw rows are listed as no history, in their own currency', () => {
    for (const [isin, held] of holdings) {
      if (rows.has(isin)) continue;
      expect(positionOf(r, isin)).toMatchObject({ status: 'no-history', currency: held.currency, foreignCurrency: held.currency !== 'INR', holdingUnits: held.units });
    }
  });
});
