import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xirr, xnpv, type CashFlow } from '../../shared/domain/analytics/xirr.js';

const rateOf = (flows: CashFlow[]): number => {
  const r = xirr(flows);
  if (!r.ok) throw new Error(`no rate: ${r.reason}`);
  return r.rate;
};

/**
 * Reference cases. Where each expected value comes from:
 * - two flows: the closed form r = (in/out)^(365/days) - 1;
 * - the yearly three-flow case: 1000x^2 + 1000x = 2310 has the root x = 1.1, so r = 10%;
 * - the spreadsheet case: the worked example in Microsoft's documentation of Excel's XIRR
 *   (flows from 2008-01-01 to 2009-04-01), whose published answer is 0.373362535.
 */
describe('xirr: reference cases', () => {
  it.each([
    ['10% over two years', [{ date: '2021-01-01', amount: -100 }, { date: '2023-01-01', amount: 121 }], 0.1],
    ['10% over a leap year (366 days)', [{ date: '2020-01-01', amount: -1000 }, { date: '2021-01-01', amount: 1100 }], Math.pow(1.1, 365 / 366) - 1],
    ['a loss of half in a year', [{ date: '2021-01-01', amount: -1000 }, { date: '2022-01-01', amount: 500 }], -0.5],
    ['900% in a year', [{ date: '2021-01-01', amount: -100 }, { date: '2022-01-01', amount: 1000 }], 9],
    ['two yearly SIPs worth 2310 after two years', [{ date: '2021-01-01', amount: -1000 }, { date: '2022-01-01', amount: -1000 }, { date: '2023-01-01', amount: 2310 }], 0.1],
    [
      "Microsoft's XIRR example",
      [
        { date: '2008-01-01', amount: -10000 },
        { date: '2008-03-01', amount: 2750 },
        { date: '2008-10-30', amount: 4250 },
        { date: '2009-02-15', amount: 3250 },
        { date: '2009-04-01', amount: 2750 },
      ],
      0.373362535,
    ],
  ])('%s', (_label, flows, expected) => {
    expect(rateOf(flows)).toBeCloseTo(expected, 8);
  });

  it('does not depend on the order of the flows', () => {
    const flows = [
      { date: '2023-06-01', amount: 15000 },
      { date: '2021-01-10', amount: -5000 },
      { date: '2022-03-05', amount: -5000 },
    ];
    expect(rateOf(flows)).toBeCloseTo(rateOf([...flows].reverse()), 12);
  });

  it.each([
    ['no flows', [], 'no-flows'],
    ['only investments', [{ date: '2021-01-01', amount: -1 }, { date: '2022-01-01', amount: -1 }], 'one-sign'],
    ['only receipts', [{ date: '2021-01-01', amount: 5 }], 'one-sign'],
    ['every flow on one day', [{ date: '2021-01-01', amount: -1 }, { date: '2021-01-01', amount: 2 }], 'same-day'],
    ['a bad date', [{ date: '01-01-2021', amount: -1 }, { date: '2022-01-01', amount: 2 }], 'invalid-input'],
    ['a non-finite amount', [{ date: '2021-01-01', amount: Number.NaN }, { date: '2022-01-01', amount: 2 }], 'invalid-input'],
  ])('says it cannot compute for %s', (_label, flows, reason) => {
    expect(xirr(flows as CashFlow[])).toEqual({ ok: false, reason });
  });

  it('falls back to bisection where Newton leaves the domain (a near-total loss)', () => {
    // From 10%, Newton's first step on this NPV lands far below -100%.
    const flows = [{ date: '2021-01-01', amount: -1000 }, { date: '2022-01-01', amount: 1 }];
    const r = xirr(flows);
    expect(r).toMatchObject({ ok: true, method: 'bisection' });
    if (r.ok) expect(r.rate).toBeCloseTo(1 / 1000 - 1, 9);
  });

  it.each([
    ['a 2x gain in one day', [{ date: '2021-01-01', amount: -1 }, { date: '2021-01-02', amount: 2 }]],
    ['a 70% loss in one day', [{ date: '2021-01-01', amount: -100 }, { date: '2021-01-02', amount: 30 }]],
  ])('reports no rate rather than a meaningless one for %s', (_label, flows) => {
    expect(xirr(flows)).toEqual({ ok: false, reason: 'no-root' });
  });
});

/** Investment-like flows: outflows first (SIPs), then one positive value at the end. */
const aPortfolio = fc
  .record({
    start: fc.integer({ min: 0, max: 3_000 }),
    sips: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 120 }), amount: fc.integer({ min: 100, max: 1_000_000 }) }), { minLength: 1, maxLength: 40 }),
    growth: fc.double({ min: 0.3, max: 3, noNaN: true }),
    // At least a month before the value: annualising days of change is not meaningful.
    tail: fc.integer({ min: 30, max: 400 }),
  })
  .map(({ start, sips, growth, tail }) => {
    let day = start;
    const flows: CashFlow[] = [];
    let invested = 0;
    for (const s of sips) {
      day += s.gap;
      flows.push({ date: new Date(Date.UTC(2010, 0, 1) + day * 86_400_000).toISOString().slice(0, 10), amount: -s.amount });
      invested += s.amount;
    }
    day += tail;
    flows.push({ date: new Date(Date.UTC(2010, 0, 1) + day * 86_400_000).toISOString().slice(0, 10), amount: Math.round(invested * growth) });
    return flows;
  });

describe('xirr: properties', () => {
  it('returns a rate at which the NPV is ~0', () => {
    fc.assert(
      fc.property(aPortfolio, (flows) => {
        const r = xirr(flows);
        if (!r.ok) return false;
        const scale = Math.max(...flows.map((f) => Math.abs(f.amount)));
        return Math.abs(xnpv(flows, r.rate)) / scale < 1e-6;
      }),
      { numRuns: 300, seed: 20261124 },
    );
  });

  it('is unchanged when every flow is scaled by the same factor', () => {
    fc.assert(
      fc.property(aPortfolio, fc.double({ min: 0.001, max: 1_000, noNaN: true }), (flows, k) => {
        const a = xirr(flows);
        const b = xirr(flows.map((f) => ({ ...f, amount: f.amount * k })));
        return a.ok && b.ok && Math.abs(a.rate - b.rate) < 1e-7 * Math.max(1, Math.abs(a.rate));
      }),
      { numRuns: 300, seed: 20261124 },
    );
  });

  it('is positive exactly when the money grew (one investment, one value)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 10_000_000 }), fc.double({ min: 0.01, max: 100, noNaN: true }), fc.integer({ min: 180, max: 3_650 }), (out, ratio, days) => {
        const back = Math.max(1, Math.round(out * ratio));
        const flows = [
          { date: '2015-01-01', amount: -out },
          { date: new Date(Date.UTC(2015, 0, 1) + days * 86_400_000).toISOString().slice(0, 10), amount: back },
        ];
        const r = xirr(flows);
        return r.ok && Math.sign(Math.round(r.rate * 1e9)) === Math.sign(back - out);
      }),
      { numRuns: 300, seed: 20261124 },
    );
  });
});
