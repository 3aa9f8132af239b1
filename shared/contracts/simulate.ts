import { z } from 'zod';
import { toIsoDate } from '../domain/dates.js';
import { SIMULATION_LIMITS as L, type SimulateRequest as DomainSimulateRequest } from '../domain/analytics/simulate.js';

/**
 * `POST /api/simulate` body: one what-if scenario, chosen by `type`. Every amount is integer
 * paise (`...Paise`: ₹1 = 100), every rate a percent a year (`12` is 12%), every period whole
 * years or months as named. Objects are strict (an unknown field is a 400 naming it) and
 * every number is bounded, so nonsense (a negative tenure, 500% returns, a 200% step-up,
 * 100 years, 50,000 paths, ages out of order) is rejected with a message naming the field.
 *
 * Fields left out come from the user's data or a documented default (see
 * `SIMULATION_DEFAULTS` in shared/domain/analytics/simulate.ts); the result lists which.
 *
 * `narrate` (every type) is reserved for a later issue: a Gemini narration of the result.
 * It is accepted and ignored for now.
 *
 * A goal's `targetDate` must be after today: the static schema cannot know today (contracts
 * read no clock), so parse with `simulateRequestOn(today)`, which adds that check; the
 * domain re-checks it against `SimulationDefaults.asOf` as well.
 */

const CRORE = 1_000_000_000; // paise in ₹1 crore

const amount = z
  .number({ error: 'expected a whole number of paise' })
  .int('expected a whole number of paise')
  .min(0, 'must not be negative')
  .max(L.maxAmountPaise, `must be at most ${L.maxAmountPaise} paise (₹${L.maxAmountPaise / CRORE} crore)`);
const positiveAmount = z
  .number({ error: 'expected a whole number of paise' })
  .int('expected a whole number of paise')
  .min(1, 'must be positive')
  .max(L.maxAmountPaise, `must be at most ${L.maxAmountPaise} paise (₹${L.maxAmountPaise / CRORE} crore)`);
const percent = (min: number, max: number, what = 'percent a year') =>
  z.number({ error: `expected a number (${what})` }).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const counted = (n: number, unit: string) => `${n} ${n === 1 ? unit.replace(/s$/, '') : unit}`;
const whole = (unit: string, min: number, max: number) =>
  z
    .number({ error: `expected a whole number of ${unit}` })
    .int(`expected a whole number of ${unit}`)
    .min(min, `must be at least ${counted(min, unit)}`)
    .max(max, `must be at most ${counted(max, unit)}`);

const years = whole('years', 1, L.maxYears);
const age = whole('years', L.minAge, L.maxAge);
const expectedReturn = percent(L.minReturnPercent, L.maxReturnPercent);
const volatility = percent(0, L.maxVolatilityPercent);
const stepUp = percent(0, L.maxStepUpPercent);
const inflation = percent(L.minInflationPercent, L.maxInflationPercent);
const isoDay = z
  .string({ error: 'expected a date YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((d) => toIsoDate(d) === d, 'not a calendar date');

/** Reserved: a Gemini narration of the result, in a later issue. Ignored now. */
const narrate = z.boolean({ error: 'expected true or false' }).optional();
const monteCarlo = {
  paths: whole('paths', L.minPaths, L.maxPaths).optional(),
  seed: z.number({ error: 'expected a whole number' }).int('expected a whole number').min(0, 'must be at least 0').max(L.maxSeed, `must be at most ${L.maxSeed}`).optional(),
};

export const SipRequest = z.strictObject({
  type: z.literal('sip'),
  monthlyAmountPaise: positiveAmount,
  stepUpPercent: stepUp.optional(),
  years,
  expectedReturnPercent: expectedReturn.optional(),
  volatilityPercent: volatility.optional(),
  targetAmountPaise: positiveAmount.optional(),
  ...monteCarlo,
  narrate,
});

export const LumpsumRequest = z.strictObject({
  type: z.literal('lumpsum'),
  amountPaise: positiveAmount,
  years,
  expectedReturnPercent: expectedReturn.optional(),
  volatilityPercent: volatility.optional(),
  targetAmountPaise: positiveAmount.optional(),
  ...monteCarlo,
  narrate,
});

export const LoanPrepaymentRequest = z
  .strictObject({
    type: z.literal('loan-prepayment'),
    loanId: z.string({ error: 'expected a loan id' }).min(1, 'must not be empty').max(200, 'at most 200 characters').optional(),
    outstandingPaise: positiveAmount.optional(),
    annualRatePercent: percent(0, L.maxLoanRatePercent).optional(),
    remainingMonths: whole('months', 1, L.maxLoanMonths).optional(),
    prepaymentPaise: positiveAmount,
    atMonth: whole('months', 0, L.maxLoanMonths - 1).optional(),
    mode: z.enum(['reduce-tenure', 'reduce-emi', 'compare'], { error: 'expected one of reduce-tenure, reduce-emi, compare' }).optional(),
    narrate,
  })
  .refine((r) => r.atMonth === undefined || r.remainingMonths === undefined || r.atMonth < r.remainingMonths, {
    path: ['atMonth'],
    message: 'must be before the last EMI (less than remainingMonths)',
  });

export const RetirementRequest = z
  .strictObject({
    type: z.literal('retirement'),
    currentAge: age.optional(),
    retirementAge: age.optional(),
    lifeExpectancy: age.optional(),
    currentCorpusPaise: amount.optional(),
    monthlySavingPaise: amount.optional(),
    savingStepUpPercent: stepUp.optional(),
    preRetirementReturnPercent: expectedReturn.optional(),
    postRetirementReturnPercent: expectedReturn.optional(),
    preRetirementVolatilityPercent: volatility.optional(),
    postRetirementVolatilityPercent: volatility.optional(),
    inflationPercent: inflation.optional(),
    monthlyExpensesPaise: amount.optional(),
    ...monteCarlo,
    narrate,
  })
  .superRefine((r, ctx) => {
    if (r.currentAge !== undefined && r.retirementAge !== undefined) {
      if (r.retirementAge <= r.currentAge) ctx.addIssue({ code: 'custom', path: ['retirementAge'], message: 'must be greater than currentAge' });
      else if (r.retirementAge - r.currentAge > L.maxYears) ctx.addIssue({ code: 'custom', path: ['retirementAge'], message: `must be at most ${L.maxYears} years after currentAge` });
    }
    if (r.retirementAge !== undefined && r.lifeExpectancy !== undefined && r.lifeExpectancy <= r.retirementAge) {
      ctx.addIssue({ code: 'custom', path: ['lifeExpectancy'], message: 'must be greater than retirementAge' });
    }
    if (r.currentAge !== undefined && r.lifeExpectancy !== undefined && r.lifeExpectancy <= r.currentAge) {
      ctx.addIssue({ code: 'custom', path: ['lifeExpectancy'], message: 'must be greater than currentAge' });
    }
  });

export const EmergencyFundRequest = z.strictObject({
  type: z.literal('emergency-fund'),
  monthlyExpensesPaise: positiveAmount.optional(),
  targetMonths: whole('months', 1, L.maxEmergencyMonths).optional(),
  currentLiquidPaise: amount.optional(),
  monthlySavingPaise: amount.optional(),
  expectedReturnPercent: percent(0, L.maxEmergencyReturnPercent).optional(),
  narrate,
});

export const GoalRequest = z
  .strictObject({
    type: z.literal('goal'),
    targetAmountPaise: positiveAmount,
    targetDate: isoDay.optional(),
    years: years.optional(),
    currentSavingsPaise: amount.optional(),
    monthlySavingPaise: amount.optional(),
    expectedReturnPercent: expectedReturn.optional(),
    volatilityPercent: volatility.optional(),
    inflationPercent: inflation.optional(),
    ...monteCarlo,
    narrate,
  })
  .superRefine((r, ctx) => {
    if (r.targetDate !== undefined && r.years !== undefined) ctx.addIssue({ code: 'custom', path: ['targetDate'], message: 'give targetDate or years, not both' });
    if (r.targetDate === undefined && r.years === undefined) ctx.addIssue({ code: 'custom', path: ['years'], message: 'give years or targetDate' });
  });

const TYPES = ['sip', 'lumpsum', 'loan-prepayment', 'retirement', 'emergency-fund', 'goal'] as const;

export const SimulateRequest = z.discriminatedUnion('type', [SipRequest, LumpsumRequest, LoanPrepaymentRequest, RetirementRequest, EmergencyFundRequest, GoalRequest], {
  error: `expected an object whose type is one of ${TYPES.join(', ')}`,
});
export type SimulateRequest = z.infer<typeof SimulateRequest>;

/**
 * `SimulateRequest` plus the checks that need today's date (`YYYY-MM-DD`, IST, from the
 * caller's clock): a goal's `targetDate` must be after today and within 60 years.
 */
export function simulateRequestOn(today: string) {
  const [y, rest] = [Number(today.slice(0, 4)), today.slice(4)];
  const latest = `${String(y + L.maxYears).padStart(4, '0')}${rest}`;
  return SimulateRequest.superRefine((r, ctx) => {
    if (r.type !== 'goal' || r.targetDate === undefined) return;
    if (r.targetDate <= today) ctx.addIssue({ code: 'custom', path: ['targetDate'], message: `must be after today (${today})` });
    else if (r.targetDate > latest) ctx.addIssue({ code: 'custom', path: ['targetDate'], message: `must be within ${L.maxYears} years (by ${latest})` });
  });
}

// The parsed request is exactly what the domain's `simulate` takes.
type Assignable<T extends DomainSimulateRequest> = T;
type _SimulateRequestMatchesDomain = Assignable<SimulateRequest>;
