import { AppError } from '../errors.js';
import type { Paise } from '../money.js';

/**
 * Reducing-balance loan maths in integer paise, as Indian lenders compute EMIs.
 *
 * Conventions (every function here follows them, so their figures agree with each other):
 * - The monthly rate is the annual rate / 12 (`r = annualRatePercent / 1200`): Indian loan
 *   rates are nominal annual rates compounded monthly.
 * - The EMI is `P r (1+r)^n / ((1+r)^n - 1)` (or `P / n` at 0%), rounded UP to the paisa.
 * - Each month's interest is `balance * r` rounded DOWN to the paisa, computed exactly in
 *   integers (the rate is taken to 4 decimals of a percent, e.g. 8.9525%). The payment pays
 *   that interest first; the rest reduces the balance.
 * - Together these guarantee that n EMIs always repay the loan: the balance never exceeds
 *   the exact (unrounded) schedule's, which reaches zero at month n. Each month's rounding is
 *   under a paisa, so totals differ from the closed form by at most about n paise.
 * - The last payment is whatever clears the balance (balance + that month's interest), so it
 *   absorbs the rounding: it is at most the EMI (a few paise less, typically), and the
 *   principal parts always add up to the principal exactly.
 *
 * Pure and deterministic. Arguments outside the documented ranges throw an
 * `AppError('VALIDATION.INVALID_INPUT')` naming the argument; nothing else throws.
 */

/** Longest schedule we compute: 100 years. */
export const MAX_LOAN_MONTHS = 1200;
/** Highest annual rate accepted, in percent (card rates in India reach ~45%). Rates are used to 4 decimals. */
export const MAX_LOAN_RATE_PERCENT = 100;

const invalid = (field: string, message: string): AppError =>
  new AppError('VALIDATION.INVALID_INPUT', `${field}: ${message}`, { problems: [{ field, message }] });

function checkPaise(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw invalid(field, 'must be a non-negative integer number of paise');
}
function checkRate(field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > MAX_LOAN_RATE_PERCENT) throw invalid(field, `must be between 0 and ${MAX_LOAN_RATE_PERCENT} (percent a year)`);
}
function checkMonths(field: string, value: number, min = 1): void {
  if (!Number.isSafeInteger(value) || value < min || value > MAX_LOAN_MONTHS) throw invalid(field, `must be a whole number of months from ${min} to ${MAX_LOAN_MONTHS}`);
}

/**
 * One month's interest on `balancePaise` (a non-negative integer) at `annualRatePercent / 12`,
 * rounded down to the paisa, in exact integer arithmetic (the rate to 4 decimals of a percent).
 */
export function monthlyInterest(balancePaise: Paise, annualRatePercent: number): Paise {
  if (!(balancePaise > 0) || !(annualRatePercent > 0)) return 0;
  // Rate in millionths (ten-thousandths of a percent): interest = balance * rate / (12 * 10^6).
  const rate = Math.round(annualRatePercent * 10_000);
  const product = balancePaise * rate;
  // Both integers: an exact product divides correctly rounded, and a non-integer quotient is
  // at least 1/(12 * 10^6) from the next integer, so flooring it is exact.
  if (Number.isSafeInteger(product)) return Math.floor(product / 12_000_000);
  return Number((BigInt(Math.trunc(balancePaise)) * BigInt(rate)) / 12_000_000n);
}

/**
 * The equated monthly instalment that repays `principalPaise` in `months` at
 * `annualRatePercent` (nominal, compounded monthly), rounded up to the paisa; `P / n` at 0%.
 * Throws `VALIDATION.INVALID_INPUT` for a negative or fractional principal, a rate
 * outside 0-100 or months outside 1-1200.
 */
export function emi(principalPaise: Paise, annualRatePercent: number, months: number): Paise {
  checkPaise('principalPaise', principalPaise);
  checkRate('annualRatePercent', annualRatePercent);
  checkMonths('months', months);
  if (principalPaise === 0) return 0;
  // The same rate the interest uses (4 decimals of a percent), so the guarantee holds.
  const r = Math.round(annualRatePercent * 10_000) / 10_000 / 1200;
  if (r === 0) return Math.ceil(principalPaise / months);
  const growth = Math.pow(1 + r, months);
  // The tiny relative nudge keeps float error from rounding an EMI just above k paise down to k.
  return Math.ceil(((principalPaise * r * growth) / (growth - 1)) * (1 + 1e-12));
}

export interface AmortisationRow {
  /** 1 for the first payment. */
  readonly month: number;
  readonly openingPaise: Paise;
  readonly interestPaise: Paise;
  readonly principalPaise: Paise;
  readonly paymentPaise: Paise;
  readonly closingPaise: Paise;
}

export interface Amortisation {
  /** The regular payment (the EMI unless one was given). */
  readonly paymentPaise: Paise;
  /** Number of payments actually made (fewer than asked when a larger payment clears it early). */
  readonly months: number;
  readonly rows: readonly AmortisationRow[];
  readonly totalInterestPaise: Paise;
  readonly totalPaidPaise: Paise;
  /** The final payment, which absorbs the rounding remainder. */
  readonly lastPaymentPaise: Paise;
}

/**
 * The month-by-month schedule of a loan of `principalPaise` over `months` at
 * `annualRatePercent`, paying `paymentPaise` a month (default: the EMI). The loan is cleared
 * at month `months` at the latest (that payment is balance + interest, so a too-small payment
 * leaves a balloon there) or earlier when a payment covers the whole balance. Sum of
 * `principalPaise` over the rows = the principal, exactly. Throws on invalid arguments only.
 */
export function amortise(principalPaise: Paise, annualRatePercent: number, months: number, paymentPaise?: Paise): Amortisation {
  const payment = paymentPaise ?? emi(principalPaise, annualRatePercent, months);
  checkPaise('principalPaise', principalPaise);
  checkRate('annualRatePercent', annualRatePercent);
  checkMonths('months', months);
  checkPaise('paymentPaise', payment);
  const rows: AmortisationRow[] = [];
  let balance = principalPaise;
  let totalInterest = 0;
  let totalPaid = 0;
  for (let month = 1; month <= months && balance > 0; month++) {
    const interest = monthlyInterest(balance, annualRatePercent);
    const due = balance + interest;
    const pay = month === months || due <= payment ? due : payment;
    const closing = due - pay;
    rows.push({ month, openingPaise: balance, interestPaise: interest, principalPaise: pay - interest, paymentPaise: pay, closingPaise: closing });
    totalInterest += interest;
    totalPaid += pay;
    balance = closing;
  }
  return { paymentPaise: payment, months: rows.length, rows, totalInterestPaise: totalInterest, totalPaidPaise: totalPaid, lastPaymentPaise: rows.at(-1)?.paymentPaise ?? 0 };
}

export type RepaymentResult =
  | { readonly ok: true; readonly months: number; readonly totalInterestPaise: Paise; readonly lastPaymentPaise: Paise }
  | {
      readonly ok: false;
      /**
       * `payment-does-not-cover-interest`: the payment is at most a month's interest, so the
       * balance never falls. `longer-than-max`: it falls, but not to zero within `maxMonths`.
       */
      readonly reason: 'payment-does-not-cover-interest' | 'longer-than-max';
      readonly firstMonthInterestPaise: Paise;
    };

/**
 * How many monthly payments of `paymentPaise` repay `principalPaise` at `annualRatePercent`
 * (same rounding as `amortise`; the last payment is the remainder), or why they never do.
 * A zero principal takes 0 months. Throws on invalid arguments only.
 */
export function monthsToRepay(principalPaise: Paise, annualRatePercent: number, paymentPaise: Paise, maxMonths = MAX_LOAN_MONTHS): RepaymentResult {
  checkPaise('principalPaise', principalPaise);
  checkRate('annualRatePercent', annualRatePercent);
  checkPaise('paymentPaise', paymentPaise);
  checkMonths('maxMonths', maxMonths);
  const firstMonthInterestPaise = monthlyInterest(principalPaise, annualRatePercent);
  if (principalPaise > 0 && paymentPaise <= firstMonthInterestPaise) return { ok: false, reason: 'payment-does-not-cover-interest', firstMonthInterestPaise };
  let balance = principalPaise;
  let totalInterest = 0;
  let last = 0;
  let month = 0;
  // The balance falls every month (the interest only shrinks with it), so this terminates.
  while (balance > 0) {
    if (month === maxMonths) return { ok: false, reason: 'longer-than-max', firstMonthInterestPaise };
    month += 1;
    const interest = monthlyInterest(balance, annualRatePercent);
    totalInterest += interest;
    const due = balance + interest;
    last = Math.min(due, paymentPaise);
    balance = due - last;
  }
  return { ok: true, months: month, totalInterestPaise: totalInterest, lastPaymentPaise: last };
}

export type PrepaymentMode = 'reduce-tenure' | 'reduce-emi';

export interface PrepaymentInput {
  /** Outstanding principal today. */
  readonly outstandingPaise: Paise;
  readonly annualRatePercent: number;
  /** EMIs left today; the EMI is computed from these three (`emi`). */
  readonly remainingMonths: number;
  readonly prepaymentPaise: Paise;
  /** The lump sum is paid right after the `atMonth`-th EMI from today (0: today, before any EMI). */
  readonly atMonth: number;
}

export interface PrepaymentOption {
  readonly mode: PrepaymentMode;
  /** The EMI after the prepayment (unchanged for reduce-tenure). */
  readonly emiPaise: Paise;
  /** EMIs from today until the loan is closed, the `atMonth` before the prepayment included. */
  readonly months: number;
  readonly monthsSaved: number;
  readonly emiReductionPaise: Paise;
  /** Interest from today to the end: before the prepayment plus after it. */
  readonly totalInterestPaise: Paise;
  /** Interest without the prepayment minus `totalInterestPaise`. */
  readonly interestSavedPaise: Paise;
  readonly lastPaymentPaise: Paise;
}

export interface PrepaymentResult {
  /** Without any prepayment. */
  readonly baseline: { readonly emiPaise: Paise; readonly months: number; readonly totalInterestPaise: Paise };
  readonly atMonth: number;
  readonly interestBeforePrepaymentPaise: Paise;
  readonly outstandingAtPrepaymentPaise: Paise;
  /** The prepayment as applied: at most the outstanding balance at that month. */
  readonly prepaymentAppliedPaise: Paise;
  /** The prepayment clears the loan (both modes then coincide). */
  readonly closesLoan: boolean;
  readonly reduceTenure: PrepaymentOption;
  readonly reduceEmi: PrepaymentOption;
  /** The mode that saves more interest (`same` when equal). Reducing the tenure saves more whenever the rate is above 0. */
  readonly saves: PrepaymentMode | 'same';
}

/**
 * Compares the two ways an Indian lender applies a part-prepayment: keep the EMI and shorten
 * the tenure, or keep the tenure and lower the EMI. The loan runs on its EMI for `atMonth`
 * months, then the lump sum (capped at the balance) reduces the principal. Throws
 * `VALIDATION.INVALID_INPUT` for arguments out of range (`atMonth` must be below
 * `remainingMonths`).
 */
export function prepayment(input: PrepaymentInput): PrepaymentResult {
  const { outstandingPaise, annualRatePercent, remainingMonths, prepaymentPaise, atMonth } = input;
  checkPaise('prepaymentPaise', prepaymentPaise);
  if (!Number.isSafeInteger(atMonth) || atMonth < 0 || atMonth >= remainingMonths) throw invalid('atMonth', 'must be a whole number of months from 0 to remainingMonths - 1');
  const base = amortise(outstandingPaise, annualRatePercent, remainingMonths);
  const before = base.rows.slice(0, atMonth);
  const interestBefore = before.reduce((s, r) => s + r.interestPaise, 0);
  const balanceAt = atMonth === 0 ? outstandingPaise : (before.at(-1)?.closingPaise ?? 0);
  const applied = Math.min(prepaymentPaise, balanceAt);
  const after = balanceAt - applied;
  const left = remainingMonths - atMonth;
  const baseline = { emiPaise: base.paymentPaise, months: base.months, totalInterestPaise: base.totalInterestPaise };

  const option = (mode: PrepaymentMode, emiPaise: Paise, monthsAfter: number, interestAfter: Paise, lastPaymentPaise: Paise): PrepaymentOption => ({
    mode,
    emiPaise,
    months: atMonth + monthsAfter,
    monthsSaved: base.months - (atMonth + monthsAfter),
    emiReductionPaise: base.paymentPaise - emiPaise,
    totalInterestPaise: interestBefore + interestAfter,
    interestSavedPaise: base.totalInterestPaise - (interestBefore + interestAfter),
    lastPaymentPaise,
  });

  let reduceTenure: PrepaymentOption;
  let reduceEmi: PrepaymentOption;
  if (after === 0) {
    const lastPaid = applied;
    reduceTenure = option('reduce-tenure', 0, 0, 0, lastPaid);
    reduceEmi = option('reduce-emi', 0, 0, 0, lastPaid);
  } else {
    // The EMI covers the interest on the old balance, so it covers it on a smaller one too.
    const tenure = monthsToRepay(after, annualRatePercent, base.paymentPaise, MAX_LOAN_MONTHS);
    const shorter = tenure.ok ? tenure : { months: left, totalInterestPaise: amortise(after, annualRatePercent, left).totalInterestPaise, lastPaymentPaise: 0 };
    reduceTenure = option('reduce-tenure', base.paymentPaise, shorter.months, shorter.totalInterestPaise, shorter.lastPaymentPaise);
    const lower = amortise(after, annualRatePercent, left);
    reduceEmi = option('reduce-emi', lower.paymentPaise, lower.months, lower.totalInterestPaise, lower.lastPaymentPaise);
  }
  const diff = reduceTenure.interestSavedPaise - reduceEmi.interestSavedPaise;
  return {
    baseline,
    atMonth,
    interestBeforePrepaymentPaise: interestBefore,
    outstandingAtPrepaymentPaise: balanceAt,
    prepaymentAppliedPaise: applied,
    closesLoan: after === 0,
    reduceTenure,
    reduceEmi,
    saves: diff > 0 ? 'reduce-tenure' : diff < 0 ? 'reduce-emi' : 'same',
  };
}
