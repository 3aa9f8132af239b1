import { AppError, type FieldProblem } from '../errors.js';
import type { Paise } from '../money.js';
import type { EmiBasis } from './debt.js';
import { round2 } from './input.js';
import { MAX_LOAN_MONTHS, monthsToRepay, prepayment, type PrepaymentMode, type PrepaymentOption, type PrepaymentResult } from './loan.js';
import { Rng } from './random.js';

/**
 * What-if simulations: SIP, lump sum, loan prepayment, retirement, emergency fund and goal.
 *
 * Conventions
 * - Money is integer paise in and out. Investment projections run in floating point and are
 *   rounded to the paisa only at the output (a SIP's instalments themselves are whole paise);
 *   loan figures round every month (see loan.ts).
 * - An expected annual return R is an effective annual rate: money grows by
 *   g = (1 + R)^(1/12) a month, so a lump sum grows by exactly (1 + R) a year. (Many Indian
 *   SIP calculators use R/12 a month instead, which compounds to more than R a year.)
 * - Contributions are made at the start of each month (annuity-due: a SIP bought on the 1st
 *   grows for that month): FV = P * g * (g^n - 1) / (g - 1).
 * - A step-up raises the monthly amount once a year, from the 13th month, by the given
 *   percent of the previous year's amount (rounded to the paisa).
 * - Monte Carlo: each month's growth is lognormal, exp(mu + sigma * Z) with Z standard normal,
 *   sigma = annual volatility / sqrt(12) and mu = ln(g) - sigma^2 / 2, so the expected growth
 *   is exactly g and the mean outcome matches the deterministic figure (the median is below
 *   it). Months are independent. With zero volatility every path is the deterministic path,
 *   computed by the same code, so every percentile equals the deterministic value exactly.
 *   Percentiles interpolate linearly between order statistics of the sorted final values.
 * - Retirement: expenses in today's money are inflated monthly ((1 + inflation)^(1/12)) to the
 *   retirement month, then withdrawn at the start of each month, still indexed monthly. The
 *   required corpus is their present value at the post-retirement return.
 * - Every input used is listed in `assumptions` with its origin: the request, the user's
 *   data (`SimulationDefaults`) or a documented default (`SIMULATION_DEFAULTS`). A figure the
 *   user's data only holds as an assumption (a loan's typical rate when the lender reported
 *   none, months derived from an estimated EMI) is labelled `default`, with a note.
 *
 * Pure and deterministic (the seed is echoed back). Throws only
 * `AppError('VALIDATION.INVALID_INPUT')`, naming each problem's field, when a needed input is
 * missing everywhere or the inputs contradict each other (e.g. ages out of order, a target
 * date not after `asOf`). The request's bounds are enforced by the zod contract
 * (shared/contracts/simulate.ts); this module re-checks them (so a direct caller cannot
 * break the engine) plus what the contract cannot see: values filled from the user's data
 * and defaults, and dates against `asOf`.
 */

export const SIMULATION_LIMITS = {
  minPaths: 100,
  maxPaths: 10_000,
  maxYears: 60,
  /** ₹1,000 crore: more than any personal amount, small enough that outputs stay exact integers. */
  maxAmountPaise: 1_000_000_000_000,
  minReturnPercent: -20,
  maxReturnPercent: 40,
  maxVolatilityPercent: 80,
  maxStepUpPercent: 100,
  minInflationPercent: -5,
  maxInflationPercent: 25,
  maxLoanRatePercent: 60,
  maxLoanMonths: 600,
  maxSeed: 4_294_967_295,
  minAge: 15,
  maxAge: 120,
  maxEmergencyMonths: 36,
  maxEmergencyReturnPercent: 15,
} as const;

/**
 * Defaults used when neither the request nor the user's data gives a value, and why:
 * - returns/volatility: diversified Indian equity has returned about 12% a year over long
 *   periods with about 16% annual volatility (Nifty 50 total return, 2000s-2020s); a
 *   balanced (equity + debt) mix about 10% and 12%; a retiree's conservative mix about 7%
 *   and 5%. Goals default to the balanced mix.
 * - inflation 6%: India's long-run CPI inflation (the RBI targets 4% within 2-6%).
 * - retirement at 60, life expectancy 85 (planning beyond the ~70-year average at birth).
 * - emergency fund: 6 months of expenses, earning nothing (conservative).
 * - Monte Carlo: 1,000 paths, seed 20261120.
 */
export const SIMULATION_DEFAULTS = {
  paths: 1_000,
  seed: 20_261_120,
  equityReturnPercent: 12,
  equityVolatilityPercent: 16,
  balancedReturnPercent: 10,
  balancedVolatilityPercent: 12,
  retiredReturnPercent: 7,
  retiredVolatilityPercent: 5,
  inflationPercent: 6,
  stepUpPercent: 0,
  retirementAge: 60,
  lifeExpectancy: 85,
  emergencyTargetMonths: 6,
  emergencyReturnPercent: 0,
  goalInflationPercent: 0,
  prepaymentAtMonth: 0,
} as const;

/** Horizon for "how long it lasts" and "months to reach" questions: 100 and 50 years. */
const LASTS_CAP_MONTHS = 1200;
const REACH_CAP_MONTHS = 600;

// ---------------------------------------------------------------------------------------
// Requests (the zod contract in shared/contracts/simulate.ts produces exactly these shapes)

interface Common {
  /** Reserved for a later issue (a Gemini narration of the result); ignored for now. */
  readonly narrate?: boolean | undefined;
}
interface MonteCarloOptions {
  /** Number of simulated paths (default 1,000). */
  readonly paths?: number | undefined;
  /** Seed of the generator (default `SIMULATION_DEFAULTS.seed`); echoed back. */
  readonly seed?: number | undefined;
}

export interface SipRequest extends Common, MonteCarloOptions {
  readonly type: 'sip';
  readonly monthlyAmountPaise: number;
  readonly stepUpPercent?: number | undefined;
  readonly years: number;
  readonly expectedReturnPercent?: number | undefined;
  readonly volatilityPercent?: number | undefined;
  readonly targetAmountPaise?: number | undefined;
}

export interface LumpsumRequest extends Common, MonteCarloOptions {
  readonly type: 'lumpsum';
  readonly amountPaise: number;
  readonly years: number;
  readonly expectedReturnPercent?: number | undefined;
  readonly volatilityPercent?: number | undefined;
  readonly targetAmountPaise?: number | undefined;
}

export type PrepaymentRequestMode = PrepaymentMode | 'compare';

export interface LoanPrepaymentRequest extends Common {
  readonly type: 'loan-prepayment';
  /** Picks one of `SimulationDefaults.loans`; its figures fill whatever the request leaves out. */
  readonly loanId?: string | undefined;
  readonly outstandingPaise?: number | undefined;
  readonly annualRatePercent?: number | undefined;
  readonly remainingMonths?: number | undefined;
  readonly prepaymentPaise: number;
  readonly atMonth?: number | undefined;
  readonly mode?: PrepaymentRequestMode | undefined;
}

export interface RetirementRequest extends Common, MonteCarloOptions {
  readonly type: 'retirement';
  readonly currentAge?: number | undefined;
  readonly retirementAge?: number | undefined;
  readonly lifeExpectancy?: number | undefined;
  readonly currentCorpusPaise?: number | undefined;
  readonly monthlySavingPaise?: number | undefined;
  readonly savingStepUpPercent?: number | undefined;
  readonly preRetirementReturnPercent?: number | undefined;
  readonly postRetirementReturnPercent?: number | undefined;
  readonly preRetirementVolatilityPercent?: number | undefined;
  readonly postRetirementVolatilityPercent?: number | undefined;
  readonly inflationPercent?: number | undefined;
  /** In today's money; inflated to the retirement date. */
  readonly monthlyExpensesPaise?: number | undefined;
}

export interface EmergencyFundRequest extends Common {
  readonly type: 'emergency-fund';
  readonly monthlyExpensesPaise?: number | undefined;
  readonly targetMonths?: number | undefined;
  readonly currentLiquidPaise?: number | undefined;
  readonly monthlySavingPaise?: number | undefined;
  readonly expectedReturnPercent?: number | undefined;
}

export interface GoalRequest extends Common, MonteCarloOptions {
  readonly type: 'goal';
  /** Nominal on the target date, or in today's money when `inflationPercent` is given. */
  readonly targetAmountPaise: number;
  /** `YYYY-MM-DD`, after `asOf`; or `years`. Exactly one of the two. */
  readonly targetDate?: string | undefined;
  readonly years?: number | undefined;
  readonly currentSavingsPaise?: number | undefined;
  /** What the user plans to save; the result then says whether it is enough. */
  readonly monthlySavingPaise?: number | undefined;
  readonly expectedReturnPercent?: number | undefined;
  readonly volatilityPercent?: number | undefined;
  readonly inflationPercent?: number | undefined;
}

export type SimulateRequest = SipRequest | LumpsumRequest | LoanPrepaymentRequest | RetirementRequest | EmergencyFundRequest | GoalRequest;
export type SimulationType = SimulateRequest['type'];

export interface SimulationLoan {
  readonly id: string;
  readonly label?: string | null;
  readonly outstandingPaise: number;
  readonly annualRatePercent: number;
  readonly emiPaise?: number | null;
  readonly remainingMonths?: number | null;
  /** The lender reported no usable rate: `annualRatePercent` is a typical rate for the loan type (see debt.ts). */
  readonly rateAssumed?: boolean | null;
  /** Where `emiPaise` comes from (see `EmiBasis`); `estimated-from-outstanding` is itself an assumption. */
  readonly paymentBasis?: EmiBasis | null;
}

/**
 * What the caller knows from the user's analytics; plain data, every figure optional. `asOf`
 * (`YYYY-MM-DD`, today in IST) dates a goal's target date: the domain reads no clock.
 */
export interface SimulationDefaults {
  readonly asOf: string;
  readonly monthlyIncomePaise?: number | null;
  readonly monthlySpendingPaise?: number | null;
  readonly liquidAssetsPaise?: number | null;
  /** Investments that can count towards retirement (funds, stocks, EPF, NPS...). */
  readonly investedPaise?: number | null;
  readonly loans?: readonly SimulationLoan[] | null;
  readonly currentAge?: number | null;
}

// ---------------------------------------------------------------------------------------
// Results

export type AssumptionSource = 'request' | 'your data' | 'default';

export interface Assumption {
  readonly name: string;
  readonly value: number | string | boolean;
  readonly source: AssumptionSource;
  readonly note?: string;
}

/**
 * The distribution of the value at the horizon (the end, or retirement) over the paths:
 * percentiles interpolated between order statistics, the mean, and the share of paths at
 * or above the target when there is one.
 */
export interface MonteCarloSummary {
  readonly model: 'lognormal-monthly';
  readonly paths: number;
  readonly seed: number;
  readonly p10Paise: Paise;
  readonly p50Paise: Paise;
  readonly p90Paise: Paise;
  readonly meanPaise: Paise;
  readonly targetPaise: Paise | null;
  /** Share of paths ending at or above the target, in percent; null without a target. */
  readonly probabilityOfMeetingTargetPercent: number | null;
}

/** The deterministic path, year by year (for a chart). */
export interface YearPoint {
  /** 0 is today. */
  readonly year: number;
  /** The starting amount plus every contribution so far (withdrawals not subtracted). */
  readonly investedPaise: Paise;
  readonly valuePaise: Paise;
}

interface ResultBase {
  readonly assumptions: readonly Assumption[];
}

export interface SipResult extends ResultBase {
  readonly type: 'sip';
  readonly months: number;
  readonly investedPaise: Paise;
  readonly finalValuePaise: Paise;
  readonly gainPaise: Paise;
  readonly lastMonthlyAmountPaise: Paise;
  readonly yearly: readonly YearPoint[];
  readonly monteCarlo: MonteCarloSummary;
}

export interface LumpsumResult extends ResultBase {
  readonly type: 'lumpsum';
  readonly months: number;
  readonly investedPaise: Paise;
  readonly finalValuePaise: Paise;
  readonly gainPaise: Paise;
  readonly yearly: readonly YearPoint[];
  readonly monteCarlo: MonteCarloSummary;
}

export interface LoanPrepaymentResult extends ResultBase {
  readonly type: 'loan-prepayment';
  readonly mode: PrepaymentRequestMode;
  readonly loan: { readonly id: string | null; readonly outstandingPaise: Paise; readonly annualRatePercent: number; readonly remainingMonths: number };
  readonly baseline: PrepaymentResult['baseline'];
  readonly atMonth: number;
  readonly interestBeforePrepaymentPaise: Paise;
  readonly outstandingAtPrepaymentPaise: Paise;
  readonly prepaymentAppliedPaise: Paise;
  readonly closesLoan: boolean;
  /** The requested mode, or both for `compare`. */
  readonly options: readonly PrepaymentOption[];
  /** For `compare`: the mode saving more interest. */
  readonly saves: PrepaymentMode | 'same' | null;
}

export interface RetirementResult extends ResultBase {
  readonly type: 'retirement';
  readonly monthsToRetirement: number;
  readonly monthsInRetirement: number;
  readonly corpusAtRetirementPaise: Paise;
  readonly monthlyExpensesAtRetirementPaise: Paise;
  /** What pays the inflation-indexed expenses from retirement to life expectancy at the post-retirement return. */
  readonly requiredCorpusPaise: Paise;
  readonly shortfallPaise: Paise;
  readonly surplusPaise: Paise;
  /** Extra flat monthly saving from now that closes the shortfall (0 without one). */
  readonly additionalMonthlySavingPaise: Paise;
  /** Months the projected corpus pays the expenses, up to 1,200. */
  readonly corpusLastsMonths: number;
  readonly corpusLastsYears: number;
  /** Age when it runs out; null when it lasts 100 years or more. */
  readonly corpusRunsOutAtAge: number | null;
  readonly lastsThroughLifeExpectancy: boolean;
  /** Corpus at retirement across paths; the target is `requiredCorpusPaise`. */
  readonly monteCarlo: MonteCarloSummary;
  /** Share of paths (random returns before and after retirement) still paying expenses at life expectancy. */
  readonly probabilityCorpusLastsPercent: number;
  readonly yearly: readonly YearPoint[];
}

export interface EmergencyFundResult extends ResultBase {
  readonly type: 'emergency-fund';
  readonly targetPaise: Paise;
  readonly currentLiquidPaise: Paise;
  readonly gapPaise: Paise;
  /** Months of expenses the liquid money covers now (2 decimals). */
  readonly monthsCoveredNow: number;
  /** 0 when already there; null when never (no saving and no growth) or beyond 50 years. */
  readonly monthsToTarget: number | null;
  readonly status: 'reached' | 'on-track' | 'never';
}

export interface GoalResult extends ResultBase {
  readonly type: 'goal';
  readonly months: number;
  /** The amount needed on the target date (inflated when an inflation rate applies). */
  readonly targetPaise: Paise;
  readonly targetInTodaysMoneyPaise: Paise;
  readonly currentSavingsFutureValuePaise: Paise;
  /** Monthly saving (start of month) that reaches the target at the expected return; 0 when current savings suffice. */
  readonly monthlySavingNeededPaise: Paise;
  readonly alreadyCovered: boolean;
  readonly plannedMonthlySavingPaise: Paise | null;
  /** Projected value on the date with the planned saving, or with the needed saving. */
  readonly projectedValuePaise: Paise;
  readonly onTrack: boolean;
  readonly monteCarlo: MonteCarloSummary;
}

export type SimulationResult = SipResult | LumpsumResult | LoanPrepaymentResult | RetirementResult | EmergencyFundResult | GoalResult;

// ---------------------------------------------------------------------------------------
// Inputs: request, then the user's data, then a default; every choice recorded.

class Inputs {
  readonly assumptions: Assumption[] = [];
  readonly problems: FieldProblem[] = [];

  record(name: string, value: number | string | boolean, source: AssumptionSource, note?: string): void {
    this.assumptions.push(note === undefined ? { name, value, source } : { name, value, source, note });
  }

  /**
   * The first of request / data / default that is a finite number; a problem (and 0) when
   * none is. `dataSource` labels a value taken from the user's data: `default` when that value
   * was itself assumed there (a typical rate, an estimated EMI), so it is never shown as theirs.
   */
  number(name: string, fromRequest: number | undefined, fromData: number | null | undefined, fallback: number | undefined, missing = 'required', note?: string, dataSource: AssumptionSource = 'your data'): number {
    if (typeof fromRequest === 'number') {
      if (!Number.isFinite(fromRequest)) return this.problem(name, 'must be a finite number');
      this.record(name, fromRequest, 'request');
      return fromRequest;
    }
    if (typeof fromData === 'number' && Number.isFinite(fromData)) {
      this.record(name, fromData, dataSource, note);
      return fromData;
    }
    if (fallback !== undefined) {
      this.record(name, fallback, 'default', note);
      return fallback;
    }
    return this.problem(name, missing);
  }

  /** Records a problem unless `value` is within [min, max] (and whole, when `whole`). */
  bound(name: string, value: number, min: number, max: number, whole = false): void {
    if (!(value >= min && value <= max) || (whole && !Number.isSafeInteger(value))) this.problem(name, `must be ${whole ? 'a whole number ' : ''}from ${min} to ${max}`);
  }

  /** Records a problem with `field`, unless one is already recorded for it (the first one says most). */
  problem(field: string, message: string): number {
    if (!this.problems.some((p) => p.field === field)) this.problems.push({ field, message });
    return 0;
  }

  check(): void {
    if (this.problems.length === 0) return;
    const summary = this.problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw new AppError('VALIDATION.INVALID_INPUT', `simulation request is invalid: ${summary}`, { problems: this.problems });
  }
}

const L = SIMULATION_LIMITS;
/** The bounds the contract enforces, re-checked here so a direct caller cannot break the engine. */
function checkCommon(inputs: Inputs, fields: { years?: number; ret?: [string, number][]; vol?: [string, number][]; amounts?: [string, number][]; stepUp?: [string, number] }): void {
  if (fields.years !== undefined) inputs.bound('years', fields.years, 1, L.maxYears, true);
  for (const [name, v] of fields.ret ?? []) inputs.bound(name, v, L.minReturnPercent, L.maxReturnPercent);
  for (const [name, v] of fields.vol ?? []) inputs.bound(name, v, 0, L.maxVolatilityPercent);
  for (const [name, v] of fields.amounts ?? []) inputs.bound(name, v, 0, L.maxAmountPaise, true);
  if (fields.stepUp) inputs.bound(fields.stepUp[0], fields.stepUp[1], 0, L.maxStepUpPercent);
}

const MAX_OUTPUT = Number.MAX_SAFE_INTEGER;
/** A float amount to integer paise: rounded half away from zero, within the safe-integer range, never NaN. */
function toPaise(x: number): Paise {
  if (Number.isNaN(x)) return 0;
  if (x >= MAX_OUTPUT) return MAX_OUTPUT;
  if (x <= -MAX_OUTPUT) return -MAX_OUTPUT;
  return Math.sign(x) * Math.round(Math.abs(x)) + 0;
}

const monthlyLogGrowth = (annualReturnPercent: number): number => Math.log1p(annualReturnPercent / 100) / 12;

// ---------------------------------------------------------------------------------------
// The path engine

interface PathSpec {
  readonly initial: number;
  readonly months: number;
  /** Added at the start of each month; negative for withdrawals. */
  readonly flows: Float64Array;
  /** ln of the expected monthly growth (ln g), per month. */
  readonly logGrowth: Float64Array;
  /** Monthly standard deviation of the log return, per month. */
  readonly sigma: Float64Array;
  /** The value after this many months is captured (e.g. the corpus at retirement). */
  readonly captureMonth: number;
}

interface PathsOutcome {
  readonly captured: Float64Array;
  /** Paths where a withdrawal exceeded the balance at some month. */
  readonly depleted: number;
}

/**
 * Runs `paths` paths of `spec`: each month, add the flow (a withdrawal larger than the balance
 * empties it and marks the path depleted), then multiply by that month's growth. Typed
 * arrays, no allocation inside the loops. `yearly` (optional; length months / 12 + 1, months
 * a multiple of 12) receives path 0's value before month 0, 12, 24, ... and at the end.
 */
function runPaths(spec: PathSpec, paths: number, rng: Rng, yearly?: Float64Array): PathsOutcome {
  const { initial, months, flows, logGrowth, sigma, captureMonth } = spec;
  const drift = new Float64Array(months);
  const still = new Float64Array(months);
  for (let m = 0; m < months; m++) {
    const s = sigma[m]!;
    drift[m] = logGrowth[m]! - (s * s) / 2;
    still[m] = Math.exp(logGrowth[m]!);
  }
  const captured = new Float64Array(paths);
  let depleted = 0;
  for (let p = 0; p < paths; p++) {
    let v = initial;
    let dead = false;
    for (let m = 0; m < months; m++) {
      if (m === captureMonth) captured[p] = v;
      if (yearly !== undefined && p === 0 && m % 12 === 0) yearly[m / 12] = v;
      v += flows[m]!;
      if (v < 0) {
        v = 0;
        dead = true;
      }
      const s = sigma[m]!;
      v *= s === 0 ? still[m]! : Math.exp(drift[m]! + s * rng.normal());
    }
    if (captureMonth >= months) captured[p] = v;
    if (yearly !== undefined && p === 0) yearly[yearly.length - 1] = v;
    if (dead) depleted += 1;
  }
  return { captured, depleted };
}

/** Linear interpolation between order statistics of an ascending array (quantile type 7). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a === b ? a : a + (h - lo) * (b - a);
}

function summarise(values: Float64Array, seed: number, target: number | null): MonteCarloSummary {
  const sorted = values.slice().sort();
  let sum = 0;
  let hits = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (target !== null && values[i]! >= target) hits += 1;
  }
  return {
    model: 'lognormal-monthly',
    paths: values.length,
    seed,
    p10Paise: toPaise(quantile(sorted, 0.1)),
    p50Paise: toPaise(quantile(sorted, 0.5)),
    p90Paise: toPaise(quantile(sorted, 0.9)),
    meanPaise: toPaise(sum / values.length),
    targetPaise: target === null ? null : toPaise(target),
    probabilityOfMeetingTargetPercent: target === null ? null : round2((hits / values.length) * 100),
  };
}

/** The step-up schedule: month m pays round(amount * (1 + stepUp)^floor(m / 12)). */
function contributions(months: number, amountPaise: number, stepUpPercent: number, offset = 0, into?: Float64Array): Float64Array {
  const flows = into ?? new Float64Array(months);
  let current = amountPaise;
  for (let m = 0; m < months; m++) {
    if (m > 0 && m % 12 === 0) current = Math.round(current * (1 + stepUpPercent / 100));
    flows[offset + m] = current;
  }
  return flows;
}

function mcOptions(inputs: Inputs, req: MonteCarloOptions): { paths: number; seed: number } {
  const paths = inputs.number('paths', req.paths, undefined, SIMULATION_DEFAULTS.paths);
  const seed = inputs.number('seed', req.seed, undefined, SIMULATION_DEFAULTS.seed);
  if (!Number.isSafeInteger(paths) || paths < 1 || paths > SIMULATION_LIMITS.maxPaths) inputs.problem('paths', `must be a whole number from 1 to ${SIMULATION_LIMITS.maxPaths}`);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > SIMULATION_LIMITS.maxSeed) inputs.problem('seed', `must be a whole number from 0 to ${SIMULATION_LIMITS.maxSeed}`);
  return { paths, seed };
}

const constant = (months: number, value: number): Float64Array => new Float64Array(months).fill(value);

/** Deterministic run (zero volatility, path 0) plus the Monte Carlo run of the same spec. */
function project(spec: PathSpec, volatilitySigma: Float64Array, paths: number, seed: number, yearly?: Float64Array) {
  const deterministic = runPaths(spec, 1, new Rng(seed), yearly);
  const random = runPaths({ ...spec, sigma: volatilitySigma }, paths, new Rng(seed));
  return { deterministic: deterministic.captured[0]!, random };
}

function yearPoints(values: Float64Array, flows: Float64Array, initial: number): YearPoint[] {
  const out: YearPoint[] = [];
  let invested = initial;
  for (let y = 0; y < values.length; y++) {
    if (y > 0) for (let m = (y - 1) * 12; m < Math.min(y * 12, flows.length); m++) invested += flows[m]!;
    out.push({ year: y, investedPaise: toPaise(invested), valuePaise: toPaise(values[y]!) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Scenarios

function sip(req: SipRequest, inputs: Inputs): SipResult {
  const amount = inputs.number('monthlyAmountPaise', req.monthlyAmountPaise, undefined, undefined);
  const years = inputs.number('years', req.years, undefined, undefined);
  const stepUp = inputs.number('stepUpPercent', req.stepUpPercent, undefined, SIMULATION_DEFAULTS.stepUpPercent);
  const ret = inputs.number('expectedReturnPercent', req.expectedReturnPercent, undefined, SIMULATION_DEFAULTS.equityReturnPercent, 'required', 'long-run diversified Indian equity');
  const vol = inputs.number('volatilityPercent', req.volatilityPercent, undefined, SIMULATION_DEFAULTS.equityVolatilityPercent, 'required', 'diversified Indian equity');
  const target = req.targetAmountPaise ?? null;
  if (target !== null) inputs.record('targetAmountPaise', target, 'request');
  const { paths, seed } = mcOptions(inputs, req);
  checkCommon(inputs, { years, ret: [['expectedReturnPercent', ret]], vol: [['volatilityPercent', vol]], amounts: [['monthlyAmountPaise', amount], ['targetAmountPaise', target ?? 0]], stepUp: ['stepUpPercent', stepUp] });
  inputs.check();
  const months = Math.round(years * 12);
  const flows = contributions(months, amount, stepUp);
  const spec: PathSpec = { initial: 0, months, flows, logGrowth: constant(months, monthlyLogGrowth(ret)), sigma: constant(months, 0), captureMonth: months };
  const yearly = new Float64Array(Math.floor(months / 12) + 1);
  const { deterministic, random } = project(spec, constant(months, vol / 100 / Math.sqrt(12)), paths, seed, yearly);
  const invested = flows.reduce((s, x) => s + x, 0);
  return {
    type: 'sip',
    months,
    investedPaise: toPaise(invested),
    finalValuePaise: toPaise(deterministic),
    gainPaise: toPaise(deterministic) - toPaise(invested),
    lastMonthlyAmountPaise: toPaise(flows[months - 1] ?? 0),
    yearly: yearPoints(yearly, flows, 0),
    monteCarlo: summarise(random.captured, seed, target),
    assumptions: inputs.assumptions,
  };
}

function lumpsum(req: LumpsumRequest, inputs: Inputs): LumpsumResult {
  const amount = inputs.number('amountPaise', req.amountPaise, undefined, undefined);
  const years = inputs.number('years', req.years, undefined, undefined);
  const ret = inputs.number('expectedReturnPercent', req.expectedReturnPercent, undefined, SIMULATION_DEFAULTS.equityReturnPercent, 'required', 'long-run diversified Indian equity');
  const vol = inputs.number('volatilityPercent', req.volatilityPercent, undefined, SIMULATION_DEFAULTS.equityVolatilityPercent, 'required', 'diversified Indian equity');
  const target = req.targetAmountPaise ?? null;
  if (target !== null) inputs.record('targetAmountPaise', target, 'request');
  const { paths, seed } = mcOptions(inputs, req);
  checkCommon(inputs, { years, ret: [['expectedReturnPercent', ret]], vol: [['volatilityPercent', vol]], amounts: [['amountPaise', amount], ['targetAmountPaise', target ?? 0]] });
  inputs.check();
  const months = Math.round(years * 12);
  const flows = new Float64Array(months);
  const spec: PathSpec = { initial: amount, months, flows, logGrowth: constant(months, monthlyLogGrowth(ret)), sigma: constant(months, 0), captureMonth: months };
  const yearly = new Float64Array(Math.floor(months / 12) + 1);
  const { deterministic, random } = project(spec, constant(months, vol / 100 / Math.sqrt(12)), paths, seed, yearly);
  return {
    type: 'lumpsum',
    months,
    investedPaise: amount,
    finalValuePaise: toPaise(deterministic),
    gainPaise: toPaise(deterministic) - amount,
    yearly: yearPoints(yearly, flows, amount),
    monteCarlo: summarise(random.captured, seed, target),
    assumptions: inputs.assumptions,
  };
}

function loanPrepayment(req: LoanPrepaymentRequest, defaults: SimulationDefaults, inputs: Inputs): LoanPrepaymentResult {
  const loans = defaults.loans ?? [];
  let loan: SimulationLoan | undefined;
  if (req.loanId !== undefined) {
    loan = loans.find((l) => l.id === req.loanId);
    if (loan === undefined) inputs.problem('loanId', 'no loan with this id in your data');
    else inputs.record('loanId', req.loanId, 'request');
  } else if (req.outstandingPaise === undefined || req.annualRatePercent === undefined || req.remainingMonths === undefined) {
    if (loans.length === 1) loan = loans[0];
    else if (loans.length > 1) inputs.problem('loanId', 'several loans in your data: give loanId, or outstandingPaise, annualRatePercent and remainingMonths');
  }
  const missing = 'required (no loan in your data to take it from)';
  const outstanding = inputs.number('outstandingPaise', req.outstandingPaise, loan?.outstandingPaise, undefined, missing);
  const rateAssumed = loan?.rateAssumed === true;
  const rate = inputs.number(
    'annualRatePercent',
    req.annualRatePercent,
    loan?.annualRatePercent,
    undefined,
    missing,
    rateAssumed ? 'no rate reported by the lender: a typical rate for this loan type is assumed' : undefined,
    rateAssumed ? 'default' : 'your data',
  );
  let fromData = loan?.remainingMonths ?? undefined;
  let note: string | undefined;
  let remainingSource: AssumptionSource = 'your data';
  if (req.remainingMonths === undefined && fromData == null && loan?.emiPaise != null && outstanding > 0 && rate >= 0 && rate <= SIMULATION_LIMITS.maxLoanRatePercent) {
    const left = Number.isSafeInteger(loan.emiPaise) && loan.emiPaise > 0 && Number.isSafeInteger(outstanding) ? monthsToRepay(outstanding, rate, loan.emiPaise, MAX_LOAN_MONTHS) : null;
    if (left?.ok) {
      fromData = left.months;
      const estimatedEmi = loan.paymentBasis === 'estimated-from-outstanding';
      // Months from an estimated EMI, or at an assumed rate, are an assumption, not the user's data.
      const rateUsed = rateAssumed && req.annualRatePercent === undefined;
      remainingSource = estimatedEmi || rateUsed ? 'default' : 'your data';
      note = estimatedEmi
        ? 'months an estimated EMI (the balance over a typical remaining term for the loan type) takes to repay the outstanding balance'
        : rateUsed
          ? 'months the current EMI takes to repay the outstanding balance at the assumed rate'
          : 'months the current EMI takes to repay the outstanding balance';
    } else inputs.problem('remainingMonths', 'required: the EMI in your data does not repay this loan');
  }
  const remaining = inputs.number('remainingMonths', req.remainingMonths, fromData, undefined, missing, note, remainingSource);
  const prepay = inputs.number('prepaymentPaise', req.prepaymentPaise, undefined, undefined);
  const atMonth = inputs.number('atMonth', req.atMonth, undefined, SIMULATION_DEFAULTS.prepaymentAtMonth);
  const mode: PrepaymentRequestMode = req.mode ?? 'compare';
  inputs.record('mode', mode, req.mode === undefined ? 'default' : 'request');
  if (!Number.isSafeInteger(outstanding) || outstanding <= 0) inputs.problem('outstandingPaise', 'must be a positive whole number of paise');
  if (rate < 0 || rate > SIMULATION_LIMITS.maxLoanRatePercent) inputs.problem('annualRatePercent', `must be between 0 and ${SIMULATION_LIMITS.maxLoanRatePercent}`);
  if (!Number.isSafeInteger(remaining) || remaining < 1 || remaining > SIMULATION_LIMITS.maxLoanMonths) inputs.problem('remainingMonths', `must be a whole number from 1 to ${SIMULATION_LIMITS.maxLoanMonths}`);
  if (!Number.isSafeInteger(prepay) || prepay <= 0) inputs.problem('prepaymentPaise', 'must be a positive whole number of paise');
  if (!Number.isSafeInteger(atMonth) || atMonth < 0 || (Number.isSafeInteger(remaining) && remaining >= 1 && atMonth >= remaining)) inputs.problem('atMonth', 'must be a whole number of months before the loan ends (0 to remainingMonths - 1)');
  inputs.check();
  const r = prepayment({ outstandingPaise: outstanding, annualRatePercent: rate, remainingMonths: remaining, prepaymentPaise: prepay, atMonth });
  return {
    type: 'loan-prepayment',
    mode,
    loan: { id: loan?.id ?? null, outstandingPaise: outstanding, annualRatePercent: rate, remainingMonths: remaining },
    baseline: r.baseline,
    atMonth: r.atMonth,
    interestBeforePrepaymentPaise: r.interestBeforePrepaymentPaise,
    outstandingAtPrepaymentPaise: r.outstandingAtPrepaymentPaise,
    prepaymentAppliedPaise: r.prepaymentAppliedPaise,
    closesLoan: r.closesLoan,
    options: mode === 'compare' ? [r.reduceTenure, r.reduceEmi] : mode === 'reduce-tenure' ? [r.reduceTenure] : [r.reduceEmi],
    saves: mode === 'compare' ? r.saves : null,
    assumptions: inputs.assumptions,
  };
}

/** Months between two `YYYY-MM-DD` dates, counting only whole months (day of month respected). */
function wholeMonthsBetween(from: string, to: string): number | undefined {
  const a = /^(\d{4})-(\d{2})-(\d{2})$/.exec(from);
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(to);
  if (!a || !b) return undefined;
  const months = (Number(b[1]) - Number(a[1])) * 12 + (Number(b[2]) - Number(a[2])) - (Number(b[3]) < Number(a[3]) ? 1 : 0);
  return months;
}

/** An amount from the user's data as a whole, non-negative number of paise (a negative balance counts as none). */
function dataAmount(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.round(value)) : null;
}

/** Expected monthly saving income minus spending, from the user's data (null when unknown). */
function surplusFromData(defaults: SimulationDefaults): number | null {
  const income = defaults.monthlyIncomePaise;
  const spending = defaults.monthlySpendingPaise;
  if (typeof income !== 'number' || typeof spending !== 'number' || !Number.isFinite(income) || !Number.isFinite(spending)) return null;
  return Math.max(0, Math.round(income - spending));
}

function retirement(req: RetirementRequest, defaults: SimulationDefaults, inputs: Inputs): RetirementResult {
  const D = SIMULATION_DEFAULTS;
  const age = inputs.number('currentAge', req.currentAge, defaults.currentAge, undefined);
  const retireAt = inputs.number('retirementAge', req.retirementAge, undefined, D.retirementAge);
  const lifeExpectancy = inputs.number('lifeExpectancy', req.lifeExpectancy, undefined, D.lifeExpectancy);
  const corpus = inputs.number('currentCorpusPaise', req.currentCorpusPaise, dataAmount(defaults.investedPaise), 0, 'required', req.currentCorpusPaise === undefined && defaults.investedPaise == null ? 'no investments known: starting from zero' : undefined);
  const saving = inputs.number('monthlySavingPaise', req.monthlySavingPaise, surplusFromData(defaults), undefined, 'required (income and spending are not known to estimate it)', 'income minus spending');
  const stepUp = inputs.number('savingStepUpPercent', req.savingStepUpPercent, undefined, D.stepUpPercent);
  const preRet = inputs.number('preRetirementReturnPercent', req.preRetirementReturnPercent, undefined, D.balancedReturnPercent, 'required', 'balanced equity and debt mix');
  const preVol = inputs.number('preRetirementVolatilityPercent', req.preRetirementVolatilityPercent, undefined, D.balancedVolatilityPercent, 'required', 'balanced equity and debt mix');
  const postRet = inputs.number('postRetirementReturnPercent', req.postRetirementReturnPercent, undefined, D.retiredReturnPercent, 'required', 'conservative mix in retirement');
  const postVol = inputs.number('postRetirementVolatilityPercent', req.postRetirementVolatilityPercent, undefined, D.retiredVolatilityPercent, 'required', 'conservative mix in retirement');
  const inflation = inputs.number('inflationPercent', req.inflationPercent, undefined, D.inflationPercent, 'required', "India's long-run CPI inflation");
  const expenses = inputs.number('monthlyExpensesPaise', req.monthlyExpensesPaise, dataAmount(defaults.monthlySpendingPaise), undefined, 'required (spending is not known)', 'your average monthly spending');
  const { paths, seed } = mcOptions(inputs, req);
  for (const [name, v] of [['currentAge', age], ['retirementAge', retireAt], ['lifeExpectancy', lifeExpectancy]] as const) inputs.bound(name, v, L.minAge, L.maxAge, true);
  checkCommon(inputs, {
    ret: [['preRetirementReturnPercent', preRet], ['postRetirementReturnPercent', postRet]],
    vol: [['preRetirementVolatilityPercent', preVol], ['postRetirementVolatilityPercent', postVol]],
    amounts: [['currentCorpusPaise', corpus], ['monthlySavingPaise', saving], ['monthlyExpensesPaise', expenses]],
    stepUp: ['savingStepUpPercent', stepUp],
  });
  inputs.bound('inflationPercent', inflation, L.minInflationPercent, L.maxInflationPercent);
  if (inputs.problems.length === 0) {
    if (!(retireAt > age)) inputs.problem('retirementAge', 'must be greater than currentAge');
    else if (retireAt - age > L.maxYears) inputs.problem('retirementAge', `must be at most ${L.maxYears} years after currentAge`);
    if (!(lifeExpectancy > retireAt)) inputs.problem('lifeExpectancy', 'must be greater than retirementAge');
    else if (lifeExpectancy - retireAt > L.maxYears) inputs.problem('lifeExpectancy', `must be at most ${L.maxYears} years after retirementAge`);
  }
  inputs.check();

  const accMonths = Math.round((retireAt - age) * 12);
  const retMonths = Math.round((lifeExpectancy - retireAt) * 12);
  const total = accMonths + retMonths;
  const inflationMonthly = Math.exp(monthlyLogGrowth(inflation));
  const expensesAtRetirement = expenses * Math.pow(inflationMonthly, accMonths);
  const flows = new Float64Array(total);
  contributions(accMonths, saving, stepUp, 0, flows);
  const withdrawal = (m: number) => expensesAtRetirement * Math.pow(inflationMonthly, m);
  for (let m = 0; m < retMonths; m++) flows[accMonths + m] = -withdrawal(m);
  const logGrowth = new Float64Array(total);
  const sigma = new Float64Array(total);
  const preG = monthlyLogGrowth(preRet);
  const postG = monthlyLogGrowth(postRet);
  for (let m = 0; m < total; m++) {
    const pre = m < accMonths;
    logGrowth[m] = pre ? preG : postG;
    sigma[m] = (pre ? preVol : postVol) / 100 / Math.sqrt(12);
  }
  const spec: PathSpec = { initial: corpus, months: total, flows, logGrowth, sigma: new Float64Array(total), captureMonth: accMonths };
  const yearly = new Float64Array(Math.floor(total / 12) + 1);
  const { deterministic: atRetirement, random } = project(spec, sigma, paths, seed, yearly);

  // Required corpus: the present value at retirement of withdrawals W * q^m at the start of
  // months 0..N-1, discounted at the post-retirement growth g: W * sum (q/g)^m.
  const gPost = Math.exp(postG);
  const x = inflationMonthly / gPost;
  const required = Math.abs(1 - x) < 1e-12 ? expensesAtRetirement * retMonths : (expensesAtRetirement * (1 - Math.pow(x, retMonths))) / (1 - x);
  const shortfall = Math.max(0, required - atRetirement);
  const gPre = Math.exp(preG);
  const annuity = accMonths === 0 ? 0 : Math.abs(gPre - 1) < 1e-15 ? accMonths : (gPre * (Math.pow(gPre, accMonths) - 1)) / (gPre - 1);

  // How long the projected corpus lasts at the expected post-retirement return (up to 100 years).
  let lasts = 0;
  let balance = atRetirement;
  while (lasts < LASTS_CAP_MONTHS) {
    const w = withdrawal(lasts);
    if (balance < w) break;
    balance = (balance - w) * gPost;
    lasts += 1;
  }
  const capped = lasts >= LASTS_CAP_MONTHS;
  const invested = yearPoints(yearly, flows.map((f) => Math.max(0, f)), corpus);
  return {
    type: 'retirement',
    monthsToRetirement: accMonths,
    monthsInRetirement: retMonths,
    corpusAtRetirementPaise: toPaise(atRetirement),
    monthlyExpensesAtRetirementPaise: toPaise(expensesAtRetirement),
    requiredCorpusPaise: toPaise(required),
    shortfallPaise: toPaise(shortfall),
    surplusPaise: toPaise(Math.max(0, atRetirement - required)),
    additionalMonthlySavingPaise: shortfall > 0 && annuity > 0 ? toPaise(Math.ceil(shortfall / annuity)) : 0,
    corpusLastsMonths: lasts,
    corpusLastsYears: round2(lasts / 12),
    corpusRunsOutAtAge: capped ? null : round2(retireAt + lasts / 12),
    lastsThroughLifeExpectancy: lasts >= retMonths,
    monteCarlo: summarise(random.captured, seed, required),
    probabilityCorpusLastsPercent: round2(((paths - random.depleted) / paths) * 100),
    yearly: invested,
    assumptions: inputs.assumptions,
  };
}

function emergencyFund(req: EmergencyFundRequest, defaults: SimulationDefaults, inputs: Inputs): EmergencyFundResult {
  const D = SIMULATION_DEFAULTS;
  const expenses = inputs.number('monthlyExpensesPaise', req.monthlyExpensesPaise, dataAmount(defaults.monthlySpendingPaise), undefined, 'required (spending is not known)', 'your average monthly spending');
  const targetMonths = inputs.number('targetMonths', req.targetMonths, undefined, D.emergencyTargetMonths, 'required', 'six months of expenses, the usual advice');
  const liquid = inputs.number('currentLiquidPaise', req.currentLiquidPaise, dataAmount(defaults.liquidAssetsPaise), 0, 'required', defaults.liquidAssetsPaise == null && req.currentLiquidPaise === undefined ? 'no liquid balances known: starting from zero' : 'savings balances and liquid funds');
  const saving = inputs.number('monthlySavingPaise', req.monthlySavingPaise, surplusFromData(defaults), undefined, 'required (income and spending are not known to estimate it)', 'income minus spending');
  const ret = inputs.number('expectedReturnPercent', req.expectedReturnPercent, undefined, D.emergencyReturnPercent, 'required', 'conservative: no interest counted');
  checkCommon(inputs, { amounts: [['monthlyExpensesPaise', expenses], ['currentLiquidPaise', liquid], ['monthlySavingPaise', saving]] });
  inputs.bound('targetMonths', targetMonths, 1, L.maxEmergencyMonths, true);
  inputs.bound('expectedReturnPercent', ret, 0, L.maxEmergencyReturnPercent);
  if (expenses === 0) inputs.problem('monthlyExpensesPaise', 'must be positive');
  inputs.check();
  const target = expenses * targetMonths;
  const gap = Math.max(0, target - liquid);
  const g = Math.exp(monthlyLogGrowth(ret));
  let months: number | null = 0;
  if (gap > 0) {
    months = null;
    let v = liquid;
    for (let m = 1; m <= REACH_CAP_MONTHS; m++) {
      v = (v + saving) * g;
      if (v >= target - 1e-6) {
        months = m;
        break;
      }
    }
  }
  return {
    type: 'emergency-fund',
    targetPaise: toPaise(target),
    currentLiquidPaise: toPaise(liquid),
    gapPaise: toPaise(gap),
    monthsCoveredNow: round2(liquid / expenses),
    monthsToTarget: months,
    status: gap === 0 ? 'reached' : months === null ? 'never' : 'on-track',
    assumptions: inputs.assumptions,
  };
}

function goal(req: GoalRequest, defaults: SimulationDefaults, inputs: Inputs): GoalResult {
  const D = SIMULATION_DEFAULTS;
  const targetToday = inputs.number('targetAmountPaise', req.targetAmountPaise, undefined, undefined);
  let months = 0;
  if (req.targetDate !== undefined && req.years !== undefined) inputs.problem('targetDate', 'give targetDate or years, not both');
  else if (req.targetDate !== undefined) {
    const m = wholeMonthsBetween(defaults.asOf, req.targetDate);
    if (m === undefined) inputs.problem('targetDate', 'expected YYYY-MM-DD');
    else if (m < 1) inputs.problem('targetDate', `must be at least a month after today (${defaults.asOf})`);
    else if (m > SIMULATION_LIMITS.maxYears * 12) inputs.problem('targetDate', `must be within ${SIMULATION_LIMITS.maxYears} years`);
    else {
      months = m;
      inputs.record('targetDate', req.targetDate, 'request');
      inputs.record('asOf', defaults.asOf, 'your data', 'today; the target date is counted in whole months from it');
    }
  } else if (req.years !== undefined) {
    // Whole years, as the contract takes them: 0, a fraction or a negative never reach the engine.
    const years = inputs.number('years', req.years, undefined, undefined);
    inputs.bound('years', years, 1, SIMULATION_LIMITS.maxYears, true);
    months = Number.isSafeInteger(years) && years >= 1 && years <= SIMULATION_LIMITS.maxYears ? years * 12 : 0;
  } else inputs.problem('years', 'give years or targetDate');
  const current = inputs.number('currentSavingsPaise', req.currentSavingsPaise, undefined, 0, 'required', 'savings already set aside for this goal');
  const planned = req.monthlySavingPaise ?? null;
  if (planned !== null) inputs.record('monthlySavingPaise', planned, 'request');
  const ret = inputs.number('expectedReturnPercent', req.expectedReturnPercent, undefined, D.balancedReturnPercent, 'required', 'balanced equity and debt mix');
  const vol = inputs.number('volatilityPercent', req.volatilityPercent, undefined, D.balancedVolatilityPercent, 'required', 'balanced equity and debt mix');
  const inflation = inputs.number('inflationPercent', req.inflationPercent, undefined, D.goalInflationPercent, 'required', 'the target is taken as the amount needed on the date');
  const { paths, seed } = mcOptions(inputs, req);
  checkCommon(inputs, { ret: [['expectedReturnPercent', ret]], vol: [['volatilityPercent', vol]], amounts: [['targetAmountPaise', targetToday], ['currentSavingsPaise', current], ['monthlySavingPaise', planned ?? 0]] });
  inputs.bound('inflationPercent', inflation, L.minInflationPercent, L.maxInflationPercent);
  inputs.check();

  const logG = monthlyLogGrowth(ret);
  const g = Math.exp(logG);
  const target = targetToday * Math.pow(Math.exp(monthlyLogGrowth(inflation)), months);
  const currentFuture = current * Math.pow(g, months);
  const annuity = Math.abs(g - 1) < 1e-15 ? months : (g * (Math.pow(g, months) - 1)) / (g - 1);
  const needed = Math.max(0, Math.ceil((target - currentFuture) / annuity));
  const saving = planned ?? needed;
  const flows = new Float64Array(months).fill(saving);
  const spec: PathSpec = { initial: current, months, flows, logGrowth: constant(months, logG), sigma: constant(months, 0), captureMonth: months };
  const { deterministic, random } = project(spec, constant(months, vol / 100 / Math.sqrt(12)), paths, seed);
  return {
    type: 'goal',
    months,
    targetPaise: toPaise(target),
    targetInTodaysMoneyPaise: toPaise(targetToday),
    currentSavingsFutureValuePaise: toPaise(currentFuture),
    monthlySavingNeededPaise: toPaise(needed),
    alreadyCovered: currentFuture >= target,
    plannedMonthlySavingPaise: planned,
    projectedValuePaise: toPaise(deterministic),
    // A paisa of slack for floating-point error in the projection.
    onTrack: deterministic >= target - 1,
    monteCarlo: summarise(random.captured, seed, target),
    assumptions: inputs.assumptions,
  };
}

/**
 * Runs one what-if scenario. Deterministic figures, and for uncertain returns (sip,
 * lumpsum, retirement, goal) Monte Carlo percentiles from `paths` seeded paths. Fields the
 * request leaves out come from `defaults` (the user's data) where sensible, else from
 * `SIMULATION_DEFAULTS`; each is listed in `assumptions`. Throws
 * `AppError('VALIDATION.INVALID_INPUT')` with one problem per field when an input is missing
 * everywhere or inconsistent. Pure; the same request, defaults and seed give the same result.
 * Output is plain JSON: integer paise within the safe-integer range, no NaN or Infinity.
 */
export function simulate(request: SimulateRequest, defaults: SimulationDefaults): SimulationResult {
  const inputs = new Inputs();
  switch (request.type) {
    case 'sip':
      return sip(request, inputs);
    case 'lumpsum':
      return lumpsum(request, inputs);
    case 'loan-prepayment':
      return loanPrepayment(request, defaults, inputs);
    case 'retirement':
      return retirement(request, defaults, inputs);
    case 'emergency-fund':
      return emergencyFund(request, defaults, inputs);
    case 'goal':
      return goal(request, defaults, inputs);
    default:
      throw new AppError('VALIDATION.INVALID_INPUT', 'simulation request is invalid: type: unknown simulation type', {
        problems: [{ field: 'type', message: 'unknown simulation type' }],
      });
  }
}
