import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateRequestOn, SimulateRequest } from '../../shared/contracts/simulate.js';
import { parseWith } from '../../shared/contracts/validation.js';
import { prepayment } from '../../shared/domain/analytics/loan.js';
import { createRng } from '../../shared/domain/analytics/random.js';
import {
  SIMULATION_DEFAULTS,
  simulate,
  type GoalResult,
  type LoanPrepaymentResult,
  type LumpsumResult,
  type RetirementResult,
  type SimulateRequest as DomainRequest,
  type SimulationDefaults,
  type SimulationResult,
  type SipResult,
} from '../../shared/domain/analytics/simulate.js';
import { buildAnalytics } from '../../shared/domain/analytics/analytics.js';
import { isAppError } from '../../shared/domain/errors.js';
import { simulationDefaultsFrom } from '../../shared/usecases/simulate.usecase.js';
import { personaInput } from '../support/persona-data.js';

const TODAY = '2026-11-20';
const NO_DATA: SimulationDefaults = { asOf: TODAY };
const MY_DATA: SimulationDefaults = {
  asOf: TODAY,
  monthlyIncomePaise: 1_50_000_00,
  monthlySpendingPaise: 90_000_00,
  liquidAssetsPaise: 2_00_000_00,
  investedPaise: 25_00_000_00,
  currentAge: 32,
  loans: [{ id: 'home', label: 'Home loan', outstandingPaise: 40_00_000_00, annualRatePercent: 8.5, emiPaise: 39_000_00 }],
};

const run = <T extends SimulationResult>(req: DomainRequest, defaults: SimulationDefaults = NO_DATA): T => simulate(req, defaults) as T;

/** The problems (field names) of the validation error `fn` throws; fails if it does not throw one. */
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (isAppError(e) && e.code === 'VALIDATION.INVALID_INPUT') return e.problems.map((p) => p.field);
    throw e;
  }
  throw new Error('expected a validation error');
}

const paiseOf = (rupees: number): number => Math.round(rupees * 100);

describe('random: seeded xoshiro128**', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const r = createRng(seed);
      return Array.from({ length: 8 }, () => r.nextUint32());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    // Seeds are taken modulo 2^32.
    expect(draw(2 ** 32 + 5)).toEqual(draw(5));
  });

  it('uniform draws lie in [0, 1) with mean 1/2; normal draws have mean 0 and variance 1', () => {
    const r = createRng(123);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = r.uniform();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    let s1 = 0;
    let s2 = 0;
    let beyond2 = 0;
    for (let i = 0; i < 200_000; i++) {
      const z = r.normal();
      s1 += z;
      s2 += z * z;
      if (Math.abs(z) > 1.96) beyond2 += 1;
    }
    expect(s1 / 200_000).toBeCloseTo(0, 2);
    expect(s2 / 200_000).toBeCloseTo(1, 1);
    // 5% of a standard normal lies beyond ±1.96.
    expect(beyond2 / 200_000).toBeCloseTo(0.05, 2);
  });
});

describe('sip and lumpsum: deterministic figures against closed forms', () => {
  /**
   * Convention: an expected return R is effective annual, so the monthly growth is
   * g = (1+R)^(1/12); instalments are paid at the start of each month (annuity-due):
   * FV = P * g * (g^n - 1) / (g - 1).
   * ₹10,000 a month for 10 years at 12%: g^120 = 1.12^10 = 3.1058482, g - 1 = 0.0094888,
   * FV = 10000 * 1.0094888 * 2.1058482 / 0.0094888 = ₹22,40,358.90.
   */
  it('₹10,000 a month for 10 years at 12% a year', () => {
    const r = run<SipResult>({ type: 'sip', monthlyAmountPaise: 10_000_00, years: 10, expectedReturnPercent: 12 });
    const g = 1.12 ** (1 / 12);
    expect(Math.abs(r.finalValuePaise - paiseOf((10_000 * g * (g ** 120 - 1)) / (g - 1)))).toBeLessThanOrEqual(1);
    expect(r.finalValuePaise).toBe(paiseOf(2_240_358.9));
    expect(r.investedPaise).toBe(12_00_000_00);
    expect(r.gainPaise).toBe(r.finalValuePaise - r.investedPaise);
  });

  /**
   * The figure popular Indian SIP calculators publish for ₹10,000 a month, 10 years, "12%":
   * ₹23,23,391 (they compound 1% a month, annuity-due: 10000 * 1.01 * (1.01^120 - 1) / 0.01).
   * That is our convention at the effective rate 1.01^12 - 1 = 12.6825%.
   */
  it("reproduces the calculators' ₹23,23,391 at their effective rate", () => {
    const r = run<SipResult>({ type: 'sip', monthlyAmountPaise: 10_000_00, years: 10, expectedReturnPercent: (1.01 ** 12 - 1) * 100 });
    expect(Math.abs(r.finalValuePaise - 23_23_391_00)).toBeLessThan(100);
  });

  it.each([
    ['₹1,000 a month for a year at 0%', 1000_00, 1, 0, 0, 12_000_00],
    ['₹10,000 a month, 10% step-up, 2 years at 0%: 12 x 10,000 + 12 x 11,000', 10_000_00, 2, 0, 10, 2_52_000_00],
    ['₹500 a month, 100% step-up, 3 years at 0%: 12 x (500 + 1,000 + 2,000)', 500_00, 3, 0, 100, 42_000_00],
  ])('%s', (_label, amount, years, ret, stepUp, expected) => {
    const r = run<SipResult>({ type: 'sip', monthlyAmountPaise: amount, years, expectedReturnPercent: ret, stepUpPercent: stepUp, volatilityPercent: 0 });
    expect([r.finalValuePaise, r.investedPaise]).toEqual([expected, expected]);
  });

  it('a step-up SIP is the sum of yearly annuities, each grown to the end', () => {
    const r = run<SipResult>({ type: 'sip', monthlyAmountPaise: 5000_00, years: 5, stepUpPercent: 10, expectedReturnPercent: 11 });
    const g = 1.11 ** (1 / 12);
    let fv = 0;
    for (let y = 0; y < 5; y++) {
      const p = Math.round(5000_00 * 1.1 ** y);
      fv += ((p * g * (g ** 12 - 1)) / (g - 1)) * g ** (12 * (5 - y - 1));
    }
    // Instalments are rounded to the paisa each year, so compare to a rupee.
    expect(Math.abs(r.finalValuePaise - fv)).toBeLessThan(100);
    expect(r.lastMonthlyAmountPaise).toBe(Math.round(Math.round(Math.round(Math.round(5000_00 * 1.1) * 1.1) * 1.1) * 1.1));
  });

  /** ₹1,00,000 for 10 years at 12%: 1.12^10 = 3.10584821, so ₹3,10,584.82; year y is 1.12^y. */
  it('lumpsum: P (1 + R)^years, and every year on the way', () => {
    const r = run<LumpsumResult>({ type: 'lumpsum', amountPaise: 1_00_000_00, years: 10, expectedReturnPercent: 12 });
    expect(r.finalValuePaise).toBe(3_10_584_82);
    expect(r.yearly.map((p) => p.valuePaise)).toEqual(Array.from({ length: 11 }, (_, y) => Math.round(1_00_000_00 * 1.12 ** y)));
    expect(r.yearly.every((p) => p.investedPaise === 1_00_000_00)).toBe(true);
  });

  it('records every input with its origin', () => {
    const r = run<SipResult>({ type: 'sip', monthlyAmountPaise: 1000_00, years: 5 });
    expect(r.assumptions).toEqual([
      { name: 'monthlyAmountPaise', value: 1000_00, source: 'request' },
      { name: 'years', value: 5, source: 'request' },
      { name: 'stepUpPercent', value: 0, source: 'default' },
      { name: 'expectedReturnPercent', value: 12, source: 'default', note: 'long-run diversified Indian equity' },
      { name: 'volatilityPercent', value: 16, source: 'default', note: 'diversified Indian equity' },
      { name: 'paths', value: 1000, source: 'default' },
      { name: 'seed', value: SIMULATION_DEFAULTS.seed, source: 'default' },
    ]);
  });
});

describe('Monte Carlo', () => {
  const sip = (o: Partial<DomainRequest & { type: 'sip' }> = {}) => run<SipResult>({ type: 'sip', monthlyAmountPaise: 10_000_00, years: 20, paths: 2000, ...o } as DomainRequest);

  it('is reproducible: the same seed gives the same result, another seed another, the seed is echoed', () => {
    const a = sip({ seed: 7 });
    expect(sip({ seed: 7 })).toEqual(a);
    const b = sip({ seed: 8 });
    expect(b.monteCarlo.p50Paise).not.toBe(a.monteCarlo.p50Paise);
    expect([a.monteCarlo.seed, b.monteCarlo.seed, sip().monteCarlo.seed]).toEqual([7, 8, SIMULATION_DEFAULTS.seed]);
    // The deterministic figures do not depend on the seed.
    expect(b.finalValuePaise).toBe(a.finalValuePaise);
  });

  it('p10 <= p50 <= p90, whatever the inputs (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 1e9 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: -20, max: 40 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: 4_294_967_295 }),
        (amount, years, ret, vol, seed) => {
          const r = run<LumpsumResult>({ type: 'lumpsum', amountPaise: amount, years, expectedReturnPercent: ret, volatilityPercent: vol, paths: 200, seed });
          const m = r.monteCarlo;
          expect(m.p10Paise).toBeLessThanOrEqual(m.p50Paise);
          expect(m.p50Paise).toBeLessThanOrEqual(m.p90Paise);
          expect(m.paths).toBe(200);
        },
      ),
      { seed: 11, numRuns: 60 },
    );
  });

  it.each([
    ['sip', { type: 'sip', monthlyAmountPaise: 7_500_00, years: 15, stepUpPercent: 5, volatilityPercent: 0 }],
    ['lumpsum', { type: 'lumpsum', amountPaise: 3_00_000_00, years: 7, volatilityPercent: 0 }],
    ['goal', { type: 'goal', targetAmountPaise: 50_00_000_00, years: 12, currentSavingsPaise: 2_00_000_00, volatilityPercent: 0 }],
  ] as const)('with zero volatility every percentile is the deterministic value (%s)', (_label, req) => {
    const r = run<SipResult | LumpsumResult | GoalResult>(req as DomainRequest);
    const value = r.type === 'goal' ? r.projectedValuePaise : r.finalValuePaise;
    expect([r.monteCarlo.p10Paise, r.monteCarlo.p50Paise, r.monteCarlo.p90Paise]).toEqual([value, value, value]);
    expect(Math.abs(r.monteCarlo.meanPaise - value)).toBeLessThanOrEqual(1);
  });

  it('with zero volatility a retirement path is the deterministic one', () => {
    const r = run<RetirementResult>({ type: 'retirement', currentAge: 40, monthlySavingPaise: 50_000_00, monthlyExpensesPaise: 60_000_00, currentCorpusPaise: 50_00_000_00, preRetirementVolatilityPercent: 0, postRetirementVolatilityPercent: 0 });
    expect([r.monteCarlo.p10Paise, r.monteCarlo.p90Paise]).toEqual([r.corpusAtRetirementPaise, r.corpusAtRetirementPaise]);
    expect(r.probabilityCorpusLastsPercent).toBe(r.lastsThroughLifeExpectancy ? 100 : 0);
  });

  /**
   * Lognormal theory for a lump sum: log(V/P) ~ N(T ln(1+R) - s^2 T / 2, s^2 T) with s the
   * annual volatility (0.16), T = 10: the median is P (1+R)^T e^(-0.128) and the chance of
   * beating the deterministic P (1+R)^T is P(Z > s sqrt(T) / 2) = P(Z > 0.253) = 40.0%.
   */
  it('agrees with lognormal theory for a lump sum (10,000 paths)', () => {
    const r = run<LumpsumResult>({ type: 'lumpsum', amountPaise: 1_00_000_00, years: 10, expectedReturnPercent: 12, volatilityPercent: 16, paths: 10_000, targetAmountPaise: 3_10_584_82 });
    const median = 1_00_000_00 * 1.12 ** 10 * Math.exp(-0.128);
    const p10 = median * Math.exp(-1.2816 * 0.16 * Math.sqrt(10));
    expect(r.monteCarlo.p50Paise / median).toBeCloseTo(1, 1);
    expect(Math.abs(r.monteCarlo.p50Paise / median - 1)).toBeLessThan(0.02);
    expect(Math.abs(r.monteCarlo.p10Paise / p10 - 1)).toBeLessThan(0.03);
    // The mean matches the deterministic figure.
    expect(Math.abs(r.monteCarlo.meanPaise / r.finalValuePaise - 1)).toBeLessThan(0.02);
    expect(Math.abs(r.monteCarlo.probabilityOfMeetingTargetPercent! - 40)).toBeLessThan(2);
  });
});

describe('retirement', () => {
  /**
   * By hand, with every rate 0: at 59 with ₹1 crore and ₹1,00,000 a month saved, the corpus
   * at 60 is ₹1.12 crore. ₹50,000 a month for 25 years needs ₹1.5 crore: short by ₹38 lakh,
   * which takes ₹3,16,666.67 more a month over the 12 months. ₹1.12 crore pays 224 months of
   * ₹50,000, so it runs out at 60 + 224/12 = 78.67.
   */
  it('matches a case worked by hand (all rates zero)', () => {
    const r = run<RetirementResult>({
      type: 'retirement',
      currentAge: 59,
      retirementAge: 60,
      lifeExpectancy: 85,
      currentCorpusPaise: 1_00_00_000_00,
      monthlySavingPaise: 1_00_000_00,
      monthlyExpensesPaise: 50_000_00,
      preRetirementReturnPercent: 0,
      postRetirementReturnPercent: 0,
      inflationPercent: 0,
      preRetirementVolatilityPercent: 0,
      postRetirementVolatilityPercent: 0,
    });
    expect(r).toMatchObject({
      monthsToRetirement: 12,
      monthsInRetirement: 300,
      corpusAtRetirementPaise: 1_12_00_000_00,
      monthlyExpensesAtRetirementPaise: 50_000_00,
      requiredCorpusPaise: 1_50_00_000_00,
      shortfallPaise: 38_00_000_00,
      surplusPaise: 0,
      additionalMonthlySavingPaise: 3_16_666_67,
      corpusLastsMonths: 224,
      corpusLastsYears: 18.67,
      corpusRunsOutAtAge: 78.67,
      lastsThroughLifeExpectancy: false,
      probabilityCorpusLastsPercent: 0,
    });
    expect(r.monteCarlo.probabilityOfMeetingTargetPercent).toBe(0);
  });

  it('required corpus: the present value of inflation-indexed withdrawals (closed form = the sum)', () => {
    const r = run<RetirementResult>({ type: 'retirement', currentAge: 30, retirementAge: 60, lifeExpectancy: 90, monthlyExpensesPaise: 50_000_00, monthlySavingPaise: 20_000_00, currentCorpusPaise: 0, inflationPercent: 6, postRetirementReturnPercent: 7 });
    const q = 1.06 ** (1 / 12);
    const g = 1.07 ** (1 / 12);
    const w0 = 50_000_00 * 1.06 ** 30;
    let pv = 0;
    for (let m = 0; m < 360; m++) pv += (w0 * q ** m) / g ** m;
    // Equal up to float error (exp/log1p monthly factors against powers of 1.06).
    expect(Math.abs(r.monthlyExpensesAtRetirementPaise / w0 - 1)).toBeLessThan(1e-8);
    expect(Math.abs(r.requiredCorpusPaise / pv - 1)).toBeLessThan(1e-8);
    // Corpus at retirement: ₹20,000 a month for 30 years at 10%, annuity-due.
    const gp = 1.1 ** (1 / 12);
    expect(Math.abs(r.corpusAtRetirementPaise / ((20_000_00 * gp * (gp ** 360 - 1)) / (gp - 1)) - 1)).toBeLessThan(1e-8);
    expect(r.shortfallPaise).toBe(Math.max(0, r.requiredCorpusPaise - r.corpusAtRetirementPaise));
  });

  it('a corpus that outgrows its withdrawals lasts 100 years and never runs out', () => {
    const r = run<RetirementResult>({ type: 'retirement', currentAge: 50, currentCorpusPaise: 10_00_00_000_00, monthlySavingPaise: 0, monthlyExpensesPaise: 10_000_00, inflationPercent: 2, postRetirementReturnPercent: 8 });
    expect([r.corpusLastsMonths, r.corpusRunsOutAtAge, r.lastsThroughLifeExpectancy]).toEqual([1200, null, true]);
  });

  it('takes age, corpus, saving and expenses from your data, and says so', () => {
    const r = run<RetirementResult>({ type: 'retirement' }, MY_DATA);
    const source = (name: string) => r.assumptions.find((a) => a.name === name);
    expect(source('currentAge')).toMatchObject({ value: 32, source: 'your data' });
    expect(source('currentCorpusPaise')).toMatchObject({ value: 25_00_000_00, source: 'your data' });
    expect(source('monthlySavingPaise')).toMatchObject({ value: 60_000_00, source: 'your data', note: 'income minus spending' });
    expect(source('monthlyExpensesPaise')).toMatchObject({ value: 90_000_00, source: 'your data' });
    expect(source('retirementAge')).toMatchObject({ value: 60, source: 'default' });
    expect(source('inflationPercent')).toMatchObject({ value: 6, source: 'default' });
  });

  it.each([
    ['no age anywhere', { type: 'retirement', monthlySavingPaise: 1, monthlyExpensesPaise: 1 }, NO_DATA, ['currentAge']],
    ['no saving and no income data', { type: 'retirement', currentAge: 30, monthlyExpensesPaise: 1 }, NO_DATA, ['monthlySavingPaise']],
    ['no expenses and no spending data', { type: 'retirement', currentAge: 30, monthlySavingPaise: 1 }, NO_DATA, ['monthlyExpensesPaise']],
    ['already past the default retirement age', { type: 'retirement' }, { ...MY_DATA, currentAge: 65 }, ['retirementAge']],
    ['life expectancy before retirement', { type: 'retirement', lifeExpectancy: 55 }, MY_DATA, ['lifeExpectancy']],
  ] as const)('rejects %s, naming the field', (_label, req, defaults, fields) => {
    expect(problemsOf(() => simulate(req as DomainRequest, defaults))).toEqual(fields);
  });
});

describe('emergency fund', () => {
  it.each([
    // ₹50,000 x 6 = ₹3 lakh; ₹1 lakh saved covers 2 months; ₹2 lakh more at ₹30,000 a month is 6.67, so 7 months.
    ['on track', { monthlyExpensesPaise: 50_000_00, currentLiquidPaise: 1_00_000_00, monthlySavingPaise: 30_000_00 }, { targetPaise: 3_00_000_00, gapPaise: 2_00_000_00, monthsCoveredNow: 2, monthsToTarget: 7, status: 'on-track' }],
    ['already there', { monthlyExpensesPaise: 50_000_00, currentLiquidPaise: 4_00_000_00, monthlySavingPaise: 0 }, { gapPaise: 0, monthsCoveredNow: 8, monthsToTarget: 0, status: 'reached' }],
    ['never without saving', { monthlyExpensesPaise: 50_000_00, currentLiquidPaise: 0, monthlySavingPaise: 0 }, { monthsToTarget: null, status: 'never' }],
    ['a 3-month target', { monthlyExpensesPaise: 50_000_00, targetMonths: 3, currentLiquidPaise: 0, monthlySavingPaise: 50_000_00 }, { targetPaise: 1_50_000_00, monthsToTarget: 3 }],
  ])('%s', (_label, req, expected) => {
    expect(run({ type: 'emergency-fund', ...req })).toMatchObject(expected);
  });

  it('from your data: spending, liquid money (a negative balance counts as none) and income minus spending', () => {
    const r = run({ type: 'emergency-fund' }, { ...MY_DATA, liquidAssetsPaise: -271_75 });
    expect(r).toMatchObject({ targetPaise: 5_40_000_00, currentLiquidPaise: 0, monthsToTarget: 9, status: 'on-track' });
    expect(r.assumptions.filter((a) => a.source === 'your data').map((a) => a.name)).toEqual(['monthlyExpensesPaise', 'currentLiquidPaise', 'monthlySavingPaise']);
  });

  it('without spending data the expenses are required', () => {
    expect(problemsOf(() => simulate({ type: 'emergency-fund', monthlySavingPaise: 1 }, NO_DATA))).toEqual(['monthlyExpensesPaise']);
  });
});

describe('goal', () => {
  it('₹12 lakh in 12 months at 0% with nothing saved needs ₹1 lakh a month', () => {
    const r = run<GoalResult>({ type: 'goal', targetAmountPaise: 12_00_000_00, years: 1, expectedReturnPercent: 0 });
    expect(r).toMatchObject({ months: 12, targetPaise: 12_00_000_00, monthlySavingNeededPaise: 1_00_000_00, projectedValuePaise: 12_00_000_00, onTrack: true, alreadyCovered: false });
  });

  it('the saving needed is the smallest (to the paisa) that reaches the target', () => {
    const req = { type: 'goal', targetAmountPaise: 25_00_000_00, years: 7, currentSavingsPaise: 3_00_000_00, expectedReturnPercent: 10 } as const;
    const r = run<GoalResult>(req);
    const g = 1.1 ** (1 / 12);
    const annuity = (g * (g ** 84 - 1)) / (g - 1);
    expect(Math.abs(r.monthlySavingNeededPaise - (25_00_000_00 - 3_00_000_00 * 1.1 ** 7) / annuity)).toBeLessThan(1.001);
    expect(run<GoalResult>({ ...req, monthlySavingPaise: r.monthlySavingNeededPaise }).onTrack).toBe(true);
    expect(run<GoalResult>({ ...req, monthlySavingPaise: r.monthlySavingNeededPaise - 1_00 }).onTrack).toBe(false);
  });

  it('counts whole months to the target date from asOf', () => {
    expect(run<GoalResult>({ type: 'goal', targetAmountPaise: 1_00_000_00, targetDate: '2029-11-20' }).months).toBe(36);
    expect(run<GoalResult>({ type: 'goal', targetAmountPaise: 1_00_000_00, targetDate: '2029-11-19' }).months).toBe(35);
  });

  it('with inflation the target is in today’s money: ₹10 lakh at 6% for 5 years is ₹13,38,225.58', () => {
    const r = run<GoalResult>({ type: 'goal', targetAmountPaise: 10_00_000_00, years: 5, inflationPercent: 6 });
    expect(Math.abs(r.targetPaise - 13_38_225_58)).toBeLessThanOrEqual(1);
    expect(r.targetInTodaysMoneyPaise).toBe(10_00_000_00);
  });

  it('savings that already grow past the target need nothing more', () => {
    const r = run<GoalResult>({ type: 'goal', targetAmountPaise: 10_00_000_00, years: 10, currentSavingsPaise: 8_00_000_00, expectedReturnPercent: 8, volatilityPercent: 0 });
    expect(r).toMatchObject({ alreadyCovered: true, monthlySavingNeededPaise: 0, onTrack: true });
    expect(r.monteCarlo.probabilityOfMeetingTargetPercent).toBe(100);
  });

  it.each([
    ['a target date in the past', { targetDate: '2026-01-01' }, ['targetDate']],
    ['a target date today', { targetDate: TODAY }, ['targetDate']],
    ['a target date beyond 60 years', { targetDate: '2090-01-01' }, ['targetDate']],
    ['both a date and years', { targetDate: '2030-01-01', years: 3 }, ['targetDate']],
    ['neither a date nor years', {}, ['years']],
  ])('rejects %s (domain check against asOf)', (_label, o, fields) => {
    expect(problemsOf(() => simulate({ type: 'goal', targetAmountPaise: 1_00_000_00, ...o }, NO_DATA))).toEqual(fields);
  });

  it.each([
    ['0 years', 0],
    ['0.01 years (rounds to no month)', 0.01],
    ['1.5 years (the contract takes whole years)', 1.5],
    ['negative years', -2],
    ['61 years', 61],
  ])('rejects %s in the domain too, naming the field, never a RangeError or an absurd figure', (_label, years) => {
    expect(problemsOf(() => simulate({ type: 'goal', targetAmountPaise: 1_00_000_00, years }, NO_DATA))).toEqual(['years']);
  });
});

describe('loan prepayment', () => {
  const loan = { outstandingPaise: 30_00_000_00, annualRatePercent: 8.5, remainingMonths: 240, prepaymentPaise: 5_00_000_00, atMonth: 12 } as const;

  it('compare: both options exactly as loan.ts computes them', () => {
    const r = run<LoanPrepaymentResult>({ type: 'loan-prepayment', ...loan });
    const expected = prepayment(loan);
    expect(r.options).toEqual([expected.reduceTenure, expected.reduceEmi]);
    expect(r).toMatchObject({ mode: 'compare', saves: 'reduce-tenure', baseline: expected.baseline, closesLoan: false, loan: { id: null, remainingMonths: 240 } });
  });

  it('one mode: only that option', () => {
    const r = run<LoanPrepaymentResult>({ type: 'loan-prepayment', ...loan, mode: 'reduce-emi' });
    expect(r.options.map((o) => o.mode)).toEqual(['reduce-emi']);
    expect(r.saves).toBeNull();
  });

  it('takes the loan from your data, deriving the remaining months from its EMI', () => {
    const r = run<LoanPrepaymentResult>({ type: 'loan-prepayment', prepaymentPaise: 2_00_000_00 }, MY_DATA);
    expect(r.loan).toMatchObject({ id: 'home', outstandingPaise: 40_00_000_00, annualRatePercent: 8.5 });
    expect(r.assumptions.find((a) => a.name === 'remainingMonths')).toMatchObject({ source: 'your data', note: 'months the current EMI takes to repay the outstanding balance' });
    expect(r.baseline.months).toBe(r.loan.remainingMonths);
  });

  it.each([
    ['no loan anywhere', { prepaymentPaise: 1 }, NO_DATA, ['outstandingPaise', 'annualRatePercent', 'remainingMonths']],
    ['several loans and no id', { prepaymentPaise: 1 }, { ...MY_DATA, loans: [...MY_DATA.loans!, { id: 'car', outstandingPaise: 1, annualRatePercent: 9, remainingMonths: 10 }] }, ['loanId', 'outstandingPaise', 'annualRatePercent', 'remainingMonths']],
    ['an unknown loan id', { loanId: 'boat', prepaymentPaise: 1 }, MY_DATA, ['loanId', 'outstandingPaise', 'annualRatePercent', 'remainingMonths']],
    ['a prepayment after the loan ends', { outstandingPaise: 100, annualRatePercent: 9, remainingMonths: 12, atMonth: 12, prepaymentPaise: 1 }, NO_DATA, ['atMonth']],
  ] as const)('rejects %s, naming the fields', (_label, o, defaults, fields) => {
    expect(problemsOf(() => simulate({ type: 'loan-prepayment', ...o } as DomainRequest, defaults))).toEqual(fields);
  });
});

describe('loans whose terms were assumed', () => {
  const assumedLoan = { id: 'hl', label: 'home_loan', outstandingPaise: 30_00_000_00, annualRatePercent: 8.5, emiPaise: 31_000_00, remainingMonths: null, rateAssumed: true, paymentBasis: 'estimated-from-outstanding' } as const;

  it('an assumed rate and an estimated EMI are labelled default, with a note, never your data', () => {
    const r = run<LoanPrepaymentResult>({ type: 'loan-prepayment', prepaymentPaise: 1_00_000_00 }, { asOf: TODAY, loans: [assumedLoan] });
    const a = (name: string) => r.assumptions.find((x) => x.name === name);
    expect(a('outstandingPaise')).toMatchObject({ source: 'your data' });
    expect(a('annualRatePercent')).toMatchObject({ value: 8.5, source: 'default' });
    expect(a('annualRatePercent')?.note).toMatch(/no rate/i);
    expect(a('remainingMonths')).toMatchObject({ source: 'default' });
    expect(a('remainingMonths')?.note).toMatch(/estimated/i);
  });

  it('a reported rate and an EMI seen in the bank are your data', () => {
    const r = run<LoanPrepaymentResult>({ type: 'loan-prepayment', prepaymentPaise: 1_00_000_00 }, { asOf: TODAY, loans: [{ ...assumedLoan, rateAssumed: false, paymentBasis: 'bank-observed' }] });
    expect(r.assumptions.filter((x) => x.source === 'your data').map((x) => x.name)).toEqual(['outstandingPaise', 'annualRatePercent', 'remainingMonths']);
  });

  it('the defaults built from analytics carry whether the rate and EMI were assumed', () => {
    // 3333333333 has no credit report: its home loan comes from the net worth at the assumed 8.5%, its EMI estimated.
    const defaults = simulationDefaultsFrom(buildAnalytics(personaInput('3333333333')), TODAY);
    expect(defaults.loans?.[0]).toMatchObject({ annualRatePercent: 8.5, rateAssumed: true, paymentBasis: 'estimated-from-outstanding' });
    const r = run<LoanPrepaymentResult>({ type: 'loan-prepayment', prepaymentPaise: 1_00_000_00 }, defaults);
    expect(r.assumptions.find((x) => x.name === 'annualRatePercent')).toMatchObject({ source: 'default' });
  });
});

describe('income for the simulation defaults', () => {
  it('is the salary (plus the median other monthly income) when a salary is detected', () => {
    // 9000000012: ₹85,120 salary in Oct and Nov; other income Sep 0, Oct ₹10,000 once, Nov 0 (median 0).
    expect(simulationDefaultsFrom(buildAnalytics(personaInput('9000000012')), TODAY).monthlyIncomePaise).toBe(85_120_00);
  });

  it('reads an analytics view stored before the typical income existed: the salary when detected, else the average', () => {
    const stored = (estimate: object) => ({ cashFlow: { incomeEstimate: estimate } }) as unknown as Parameters<typeof simulationDefaultsFrom>[0];
    expect(simulationDefaultsFrom(stored({ monthlyIncomePaise: 92_983_98, monthlySalaryPaise: 85_120_00, salaryDetected: true }), TODAY).monthlyIncomePaise).toBe(85_120_00);
    expect(simulationDefaultsFrom(stored({ monthlyIncomePaise: 60_617_06, monthlySalaryPaise: null, salaryDetected: false }), TODAY).monthlyIncomePaise).toBe(60_617_06);
  });
});

describe('outputs are plain JSON with exact paise', () => {
  const extremes: Array<[string, DomainRequest]> = [
    ['largest SIP', { type: 'sip', monthlyAmountPaise: 1e12, years: 60, stepUpPercent: 100, expectedReturnPercent: 40, volatilityPercent: 80, paths: 100 }],
    ['largest lump sum', { type: 'lumpsum', amountPaise: 1e12, years: 60, expectedReturnPercent: 40, volatilityPercent: 80, paths: 100 }],
    ['worst lump sum', { type: 'lumpsum', amountPaise: 100, years: 60, expectedReturnPercent: -20, volatilityPercent: 80, paths: 100 }],
    ['longest retirement', { type: 'retirement', currentAge: 15, retirementAge: 75, lifeExpectancy: 120, currentCorpusPaise: 1e12, monthlySavingPaise: 1e12, monthlyExpensesPaise: 1e12, inflationPercent: 25, preRetirementReturnPercent: 40, postRetirementReturnPercent: -20, paths: 100 }],
    ['smallest goal', { type: 'goal', targetAmountPaise: 1, years: 1, expectedReturnPercent: -20 }],
    ['steep loan', { type: 'loan-prepayment', outstandingPaise: 1e12, annualRatePercent: 60, remainingMonths: 600, prepaymentPaise: 1, atMonth: 599 }],
    ['zero-interest loan', { type: 'loan-prepayment', outstandingPaise: 1, annualRatePercent: 0, remainingMonths: 1, prepaymentPaise: 1 }],
    ['emergency fund with interest only', { type: 'emergency-fund', monthlyExpensesPaise: 1e12, currentLiquidPaise: 1, monthlySavingPaise: 0, expectedReturnPercent: 15, targetMonths: 36 }],
  ];
  const check = (value: unknown, key = ''): void => {
    if (typeof value === 'number') {
      expect(Number.isFinite(value), key).toBe(true);
      if (key.endsWith('Paise')) expect(Number.isSafeInteger(value), key).toBe(true);
    } else if (Array.isArray(value)) value.forEach((v) => check(v, key));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) check(v, k);
  };
  it.each(extremes)('%s', (_label, req) => {
    const r = simulate(req, MY_DATA);
    check(r);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('contract: nonsense gets a 400 naming the field', () => {
  const parse = (input: unknown, today?: string) => parseWith(today ? simulateRequestOn(today) : SimulateRequest, input, 'simulation request');
  const sip = { type: 'sip', monthlyAmountPaise: 10_000_00, years: 10 };
  const loan = { type: 'loan-prepayment', outstandingPaise: 1_00_000_00, annualRatePercent: 9, remainingMonths: 24, prepaymentPaise: 10_000_00 };
  const goal = { type: 'goal', targetAmountPaise: 1_00_000_00, years: 3 };

  it.each([
    ['a negative tenure', { ...loan, remainingMonths: -12 }, 'remainingMonths'],
    ['a fractional tenure', { ...loan, remainingMonths: 12.5 }, 'remainingMonths'],
    ['a 75% loan rate', { ...loan, annualRatePercent: 75 }, 'annualRatePercent'],
    ['a prepayment at the last EMI or later', { ...loan, atMonth: 24 }, 'atMonth'],
    ['an unknown prepayment mode', { ...loan, mode: 'sometimes' }, 'mode'],
    ['no prepayment amount', { ...loan, prepaymentPaise: undefined }, 'prepaymentPaise'],
    ['a 500% return', { ...sip, expectedReturnPercent: 500 }, 'expectedReturnPercent'],
    ['a -50% return', { ...sip, expectedReturnPercent: -50 }, 'expectedReturnPercent'],
    ['a 150% step-up', { ...sip, stepUpPercent: 150 }, 'stepUpPercent'],
    ['a negative step-up', { ...sip, stepUpPercent: -5 }, 'stepUpPercent'],
    ['61 years', { ...sip, years: 61 }, 'years'],
    ['0 years', { ...sip, years: 0 }, 'years'],
    ['-5 years', { ...sip, years: -5 }, 'years'],
    ['20,000 paths', { ...sip, paths: 20_000 }, 'paths'],
    ['10 paths', { ...sip, paths: 10 }, 'paths'],
    ['a negative seed', { ...sip, seed: -1 }, 'seed'],
    ['a seed beyond 32 bits', { ...sip, seed: 2 ** 32 }, 'seed'],
    ['90% volatility', { ...sip, volatilityPercent: 90 }, 'volatilityPercent'],
    ['fractional paise', { ...sip, monthlyAmountPaise: 10.5 }, 'monthlyAmountPaise'],
    ['a negative amount', { ...sip, monthlyAmountPaise: -100 }, 'monthlyAmountPaise'],
    ['an amount as text', { ...sip, monthlyAmountPaise: '1000' }, 'monthlyAmountPaise'],
    ['an amount above ₹1,000 crore', { ...sip, monthlyAmountPaise: 1e12 + 1 }, 'monthlyAmountPaise'],
    ['NaN', { ...sip, years: Number.NaN }, 'years'],
    ['Infinity', { ...sip, monthlyAmountPaise: Number.POSITIVE_INFINITY }, 'monthlyAmountPaise'],
    ['a missing amount', { type: 'sip', years: 10 }, 'monthlyAmountPaise'],
    ['an unknown field', { ...sip, bonus: true }, 'bonus'],
    ['narrate that is not a boolean', { ...sip, narrate: 'yes' }, 'narrate'],
    ['a zero lump sum', { type: 'lumpsum', amountPaise: 0, years: 5 }, 'amountPaise'],
    ['retiring before today', { type: 'retirement', currentAge: 40, retirementAge: 35 }, 'retirementAge'],
    ['retiring more than 60 years out', { type: 'retirement', currentAge: 15, retirementAge: 80 }, 'retirementAge'],
    ['dying at retirement', { type: 'retirement', retirementAge: 60, lifeExpectancy: 60 }, 'lifeExpectancy'],
    ['dying before today', { type: 'retirement', currentAge: 50, lifeExpectancy: 45 }, 'lifeExpectancy'],
    ['a five-year-old', { type: 'retirement', currentAge: 5 }, 'currentAge'],
    ['40% inflation', { type: 'retirement', inflationPercent: 40 }, 'inflationPercent'],
    ['a zero-month emergency fund', { type: 'emergency-fund', targetMonths: 0 }, 'targetMonths'],
    ['no expenses', { type: 'emergency-fund', monthlyExpensesPaise: 0 }, 'monthlyExpensesPaise'],
    ['a goal with neither years nor a date', { type: 'goal', targetAmountPaise: 1 }, 'years'],
    ['a goal with both', { ...goal, targetDate: '2030-01-01' }, 'targetDate'],
    ['30 February', { type: 'goal', targetAmountPaise: 1, targetDate: '2027-02-30' }, 'targetDate'],
    ['a date in words', { type: 'goal', targetAmountPaise: 1, targetDate: 'next year' }, 'targetDate'],
    ['an unknown type', { type: 'crystal-ball' }, 'type'],
    ['no type', { years: 3 }, 'type'],
  ])('%s', (_label, input, field) => {
    let error: unknown;
    try {
      parse(input);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code).toBe('VALIDATION.INVALID_INPUT');
    const problems = isAppError(error) ? error.problems : [];
    expect(problems.map((p) => p.field)).toContain(field);
    expect(problems.every((p) => p.message.length > 0)).toBe(true);
    expect(isAppError(error) && error.message).toContain(field);
  });

  it.each([
    ['an array', []],
    ['text', 'simulate please'],
    ['null', null],
  ])('rejects %s as a whole', (_label, input) => {
    expect(() => parse(input)).toThrow(/simulation request is invalid: expected an object whose type is one of sip, lumpsum/);
  });

  it.each([
    ['in the past', '2026-01-01', /must be after today \(2026-11-20\)/],
    ['today', TODAY, /must be after today/],
    ['beyond 60 years', '2087-01-01', /must be within 60 years/],
  ])('with today known, a target date %s is rejected', (_label, targetDate, message) => {
    expect(() => parse({ type: 'goal', targetAmountPaise: 1, targetDate }, TODAY)).toThrow(message);
  });

  it.each([
    ['sip', { ...sip, stepUpPercent: 10, narrate: true, seed: 1, paths: 10_000 }],
    ['lumpsum', { type: 'lumpsum', amountPaise: 1_00_000_00, years: 5, targetAmountPaise: 2_00_000_00 }],
    ['loan-prepayment', { ...loan, atMonth: 6, mode: 'reduce-tenure' }],
    ['loan-prepayment from data', { type: 'loan-prepayment', prepaymentPaise: 1_00_000_00 }],
    ['retirement (all from data)', { type: 'retirement' }],
    ['emergency-fund', { type: 'emergency-fund', targetMonths: 3 }],
    ['goal by date', { type: 'goal', targetAmountPaise: 5_00_000_00, targetDate: '2030-06-01', inflationPercent: 6 }],
  ])('accepts a sensible %s request, and simulate runs it', (_label, input) => {
    const request = parse(input, TODAY);
    expect(request).toEqual(input);
    expect(simulate(request, MY_DATA).type).toBe(input.type);
  });
});
