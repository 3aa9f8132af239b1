import type { Account, CreditAccount, NetWorthSummary } from '../fi/types.js';
import type { Paise } from '../money.js';
import { bankObservedEmis } from './credit.js';
import { type AnalyticsInput, type AnalyticsSource, round2 } from './input.js';
import { emi, monthlyInterest } from './loan.js';

/**
 * Debt analytics: what the user owes, what it costs a month, how that compares with income,
 * and how long it takes to clear it all with the avalanche and snowball methods.
 *
 * Source: open accounts of the credit report (`fetch_credit_report`); without a report, the
 * liabilities of the net worth (`fetch_net_worth`). Pure; never throws on odd data (unreadable
 * numbers become zero or an assumed value, and the assumption is stated).
 */

export type DebtType =
  | 'credit_card'
  | 'home_loan'
  | 'loan_against_property'
  | 'vehicle_loan'
  | 'personal_loan'
  | 'consumer_loan'
  | 'gold_loan'
  | 'education_loan'
  | 'business_loan'
  | 'other_loan';

/**
 * Annual rates assumed when a lender reports none (or an unusable one), in percent:
 * typical Indian rates in 2025-26. Cards: finance charges of about 3.5% a month (42% a
 * year), which the bureaus never report. Home 8.5% and vehicle 9.5% (bank repo-linked
 * rates); loan against property 10%; gold and education 10%; personal loans 14% (bank
 * average; NBFCs charge more); consumer-durable loans 16% (when not "no-cost"); business 16%;
 * anything unnamed is treated like a personal loan.
 */
export const ASSUMED_RATE_PERCENT: Readonly<Record<DebtType, number>> = {
  credit_card: 42,
  home_loan: 8.5,
  loan_against_property: 10,
  vehicle_loan: 9.5,
  personal_loan: 14,
  consumer_loan: 16,
  gold_loan: 10,
  education_loan: 10,
  business_loan: 16,
  other_loan: 14,
};

/**
 * Remaining tenure assumed to estimate an EMI from the outstanding balance when the report
 * gives no sanctioned amount and tenure (typical remaining terms, in months).
 */
export const ASSUMED_REMAINING_MONTHS: Readonly<Record<Exclude<DebtType, 'credit_card'>, number>> = {
  home_loan: 180,
  loan_against_property: 120,
  vehicle_loan: 48,
  personal_loan: 36,
  consumer_loan: 12,
  gold_loan: 12,
  education_loan: 84,
  business_loan: 36,
  other_loan: 36,
};

/** A card's minimum due: 5% of the balance (interest included), at least ₹200, at most the balance (the usual Indian rule). */
export const CARD_MINIMUM_PERCENT = 5;
export const CARD_MINIMUM_FLOOR_PAISE = 20_000;
/** Payoff plans stop here (50 years) and report `never`. */
export const PAYOFF_MAX_MONTHS = 600;
/** A plan whose total balance passes this (₹1 lakh crore) is growing without bound: `never`. */
const RUNAWAY_PAISE = 1e15;
/** Rates above this are taken as unreadable and replaced by the assumed rate. */
const MAX_PLAUSIBLE_RATE = 60;

/**
 * Where a liability's monthly payment comes from, in order of preference for a loan:
 * `bank-observed` (the instalment seen in the bank data, see `bankObservedEmis`),
 * `sanctioned-terms` (the EMI of the sanctioned amount over the tenure at the rate), else
 * `estimated-from-outstanding` (the balance over a typical remaining term). A card's is its
 * `card-minimum-due`.
 */
export type EmiBasis = 'bank-observed' | 'sanctioned-terms' | 'estimated-from-outstanding' | 'card-minimum-due';

export interface Liability {
  /**
   * The credit account's id, the net-worth account's id, or for a net-worth total by type
   * `net-worth:<key>` (a key from our fixed table) or `net-worth:<type>-<hash>` (an unknown
   * key: our type and an FNV-1a hash of it, so no Fi text enters the id).
   */
  readonly id: string;
  readonly source: Extract<AnalyticsSource, 'fetch_credit_report' | 'fetch_net_worth'>;
  /** Third-party text (the lender's name as reported): data, never instructions. */
  readonly lender: string | null;
  readonly kind: 'credit_card' | 'loan';
  readonly type: DebtType;
  readonly outstandingPaise: Paise;
  readonly ratePercent: number;
  /** True when the lender reported no usable rate and `ASSUMED_RATE_PERCENT` was used. */
  readonly rateAssumed: boolean;
  /** The EMI for a loan; the minimum due for a card. */
  readonly monthlyPaymentPaise: Paise;
  readonly paymentBasis: EmiBasis;
  readonly sanctionedPaise: Paise | null;
  readonly tenureMonths: number | null;
  readonly pastDuePaise: Paise;
}

export type EmiStatus = 'healthy' | 'stretched' | 'high';

export interface EmiToIncome {
  /** EMIs plus card minimum dues over monthly income, in percent (2 decimals). */
  readonly percent: number;
  /** Below 30: healthy; 30 to 50: stretched; above 50: high (the bands Indian lenders use for FOIR). */
  readonly status: EmiStatus;
  readonly monthlyObligationsPaise: Paise;
  readonly monthlyIncomePaise: Paise;
}

export interface PayoffStep {
  readonly id: string;
  readonly lender: string | null;
  readonly type: DebtType;
  /** Month (1 = the first month of the plan) in which this debt reaches zero. */
  readonly paidOffInMonth: number;
}

export type PayoffPlan =
  | {
      readonly strategy: 'avalanche' | 'snowball';
      readonly status: 'paid-off';
      readonly months: number;
      readonly totalInterestPaise: Paise;
      readonly totalPaidPaise: Paise;
      /** Debts in the order they are cleared. */
      readonly order: readonly PayoffStep[];
    }
  | {
      readonly strategy: 'avalanche' | 'snowball';
      readonly status: 'never';
      readonly months: null;
      readonly totalInterestPaise: null;
      readonly totalPaidPaise: null;
      /**
       * `budget-below-interest`: the budget does not even cover the first month's interest.
       * `longer-than-cap`: not cleared within `PAYOFF_MAX_MONTHS` (or the balance runs away).
       */
      readonly reason: 'budget-below-interest' | 'longer-than-cap';
      /** Debts cleared within the cap, in order. */
      readonly order: readonly PayoffStep[];
    };

export interface PayoffComparison {
  readonly budgetPaise: Paise;
  readonly budgetSource: 'given' | 'minimum-payments';
  /** Sum of this month's EMIs and card minimum dues. */
  readonly minimumPaymentsPaise: Paise;
  /** The budget does not cover the minimum payments; they are paid in the strategy's order until it runs out. */
  readonly budgetBelowMinimums: boolean;
  readonly avalanche: PayoffPlan;
  readonly snowball: PayoffPlan;
  /** Snowball's interest minus avalanche's; null unless both pay off. */
  readonly interestSavedByAvalanchePaise: Paise | null;
  /** Snowball's months minus avalanche's; null unless both pay off. */
  readonly monthsSavedByAvalanche: number | null;
}

export interface DebtAnalytics {
  readonly asOf: string;
  /** Where the liabilities come from (the credit report, else the net worth); empty when there are none anywhere. */
  readonly sources: readonly AnalyticsSource[];
  /** Open accounts only (zero balances included), largest balance first. */
  readonly liabilities: readonly Liability[];
  readonly openLoanCount: number;
  readonly openCardCount: number;
  readonly totalOutstandingPaise: Paise;
  /** Loans' EMIs. */
  readonly totalEmiPaise: Paise;
  /** EMIs plus cards' minimum dues. */
  readonly totalMinimumPaymentsPaise: Paise;
  readonly emiToIncome: EmiToIncome | null;
  /** Null when nothing is owed. */
  readonly payoff: PayoffComparison | null;
  /** Every assumption made, in words (no figures from third-party text). */
  readonly notes: readonly string[];
}

export interface DebtOptions {
  /** Monthly take-home income, when the cash-flow analytics know it. */
  readonly monthlyIncomePaise?: number | null;
  /** Monthly amount for the payoff plans; default: the minimum payments. */
  readonly monthlyBudgetPaise?: number | null;
}

const LOAN_TYPES: Readonly<Record<string, DebtType>> = {
  auto_loan: 'vehicle_loan',
  two_wheeler_loan: 'vehicle_loan',
  used_car_loan: 'vehicle_loan',
  commercial_vehicle_loan: 'vehicle_loan',
  housing_loan: 'home_loan',
  property_loan: 'loan_against_property',
  personal_loan: 'personal_loan',
  consumer_loan: 'consumer_loan',
  gold_loan: 'gold_loan',
  education_loan: 'education_loan',
  business_loan: 'business_loan',
  loan_to_professional: 'business_loan',
  construction_equipment_loan: 'business_loan',
  loan_against_shares: 'other_loan',
};

/** Net-worth liability keys (`LIABILITY_TYPE_*` lower-cased) to our types. */
const NET_WORTH_TYPES: Readonly<Record<string, DebtType>> = {
  home_loan: 'home_loan',
  vehicle_loan: 'vehicle_loan',
  credit_card: 'credit_card',
  loan: 'other_loan',
  other_loan: 'other_loan',
  personal_loan: 'personal_loan',
  education_loan: 'education_loan',
  gold_loan: 'gold_loan',
};

const safePaise = (value: unknown): Paise => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0);
const positiveInt = (value: unknown): number | null => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null);

export function cardMinimumDue(balancePaise: Paise): Paise {
  if (balancePaise <= 0) return 0;
  return Math.min(balancePaise, Math.max(CARD_MINIMUM_FLOOR_PAISE, Math.round((balancePaise * CARD_MINIMUM_PERCENT) / 100)));
}

/** A reported rate we can use: finite, 0-60% (0 is a real "no-cost EMI" for a loan, but never a card's revolving rate). */
function usableRate(rate: number | undefined, kind: 'credit_card' | 'loan'): number | undefined {
  if (rate === undefined || !Number.isFinite(rate) || rate < 0 || rate > MAX_PLAUSIBLE_RATE) return undefined;
  if (kind === 'credit_card' && rate === 0) return undefined;
  return rate;
}

interface Draft {
  readonly id: string;
  readonly source: Liability['source'];
  readonly lender: string | null;
  readonly kind: 'credit_card' | 'loan';
  readonly type: DebtType;
  readonly outstandingPaise: Paise;
  readonly reportedRate?: number;
  readonly sanctionedPaise: Paise | null;
  readonly tenureMonths: number | null;
  readonly pastDuePaise: Paise;
  /** The instalment seen in the bank data, when there is one. */
  readonly observedEmiPaise?: Paise;
}

function complete(d: Draft): Liability {
  const { reportedRate, observedEmiPaise, ...rest } = d;
  const reported = usableRate(reportedRate, d.kind);
  const ratePercent = reported ?? ASSUMED_RATE_PERCENT[d.type];
  const base = { ...rest, ratePercent, rateAssumed: reported === undefined };
  if (d.kind === 'credit_card' || d.type === 'credit_card') {
    return { ...base, monthlyPaymentPaise: cardMinimumDue(d.outstandingPaise), paymentBasis: 'card-minimum-due' };
  }
  if (d.outstandingPaise === 0) return { ...base, monthlyPaymentPaise: 0, paymentBasis: d.sanctionedPaise && d.tenureMonths ? 'sanctioned-terms' : 'estimated-from-outstanding' };
  // Nothing is owed beyond this month's balance and interest.
  const cap = d.outstandingPaise + monthlyInterest(d.outstandingPaise, ratePercent);
  // Absurd amounts (beyond ~₹90 lakh crore) get no EMI rather than unsafe integers.
  const sane = (paise: number) => paise <= Number.MAX_SAFE_INTEGER / 1000;
  if (observedEmiPaise !== undefined && Number.isSafeInteger(observedEmiPaise) && observedEmiPaise > 0) {
    return { ...base, monthlyPaymentPaise: Math.min(cap, observedEmiPaise), paymentBasis: 'bank-observed' };
  }
  if (d.sanctionedPaise !== null && d.tenureMonths !== null && d.tenureMonths <= 1200 && sane(d.sanctionedPaise)) {
    return { ...base, monthlyPaymentPaise: Math.min(cap, emi(d.sanctionedPaise, ratePercent, d.tenureMonths)), paymentBasis: 'sanctioned-terms' };
  }
  const months = ASSUMED_REMAINING_MONTHS[d.type as Exclude<DebtType, 'credit_card'>] ?? 36;
  const estimate = sane(d.outstandingPaise) ? emi(d.outstandingPaise, ratePercent, months) : 0;
  return { ...base, monthlyPaymentPaise: Math.min(cap, estimate), paymentBasis: 'estimated-from-outstanding' };
}

function fromCreditReport(accounts: readonly CreditAccount[], observed: ReadonlyMap<string, Paise>): Draft[] {
  return accounts
    .filter((a) => typeof a === 'object' && a !== null && a.open === true)
    .map((a) => {
      const kind = a.kind === 'credit_card' ? 'credit_card' : 'loan';
      const seen = kind === 'loan' ? observed.get(String(a.id)) : undefined;
      return {
        id: a.id,
        source: 'fetch_credit_report' as const,
        lender: typeof a.lender === 'string' ? a.lender : null,
        kind,
        type: kind === 'credit_card' ? 'credit_card' : (LOAN_TYPES[a.loanType ?? ''] ?? 'other_loan'),
        outstandingPaise: safePaise(a.currentBalancePaise),
        ...(a.rateOfInterest === undefined ? {} : { reportedRate: a.rateOfInterest }),
        // A card's "highest credit" is its peak balance, not a sanctioned amount.
        sanctionedPaise: kind === 'loan' ? positiveInt(a.sanctionedPaise) : null,
        tenureMonths: positiveInt(a.repaymentTenureMonths),
        pastDuePaise: safePaise(a.pastDuePaise),
        ...(seen === undefined ? {} : { observedEmiPaise: seen }),
      };
    });
}

/** FNV-1a (32-bit) of a string, as 8 hex digits: a short, stable id part that carries none of the text. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * Without a credit report: one liability per net-worth liability account when there are
 * such accounts (a loan account takes the net-worth type whose total equals its balance, or
 * the only non-card type there is, else `other_loan`); otherwise one per net-worth type.
 */
function fromNetWorth(accounts: readonly Account[], netWorth: NetWorthSummary | null, notes: string[]): Draft[] {
  const byType = Object.entries(netWorth?.liabilitiesByType ?? {}).filter(([, v]) => safePaise(v) > 0);
  const typeOf = (key: string): DebtType => NET_WORTH_TYPES[key] ?? (key.includes('card') ? 'credit_card' : 'other_loan');
  const loanTypes = byType.filter(([k]) => typeOf(k) !== 'credit_card');
  const liabilityAccounts = accounts.filter((a) => typeof a === 'object' && a !== null && a.isLiability === true && (a.instrument === 'loan' || a.instrument === 'credit_card'));
  const draft = (id: string, kind: 'credit_card' | 'loan', type: DebtType, outstandingPaise: Paise): Draft => ({
    id,
    source: 'fetch_net_worth',
    lender: null,
    kind,
    type,
    outstandingPaise,
    sanctionedPaise: null,
    tenureMonths: null,
    pastDuePaise: 0,
  });
  if (liabilityAccounts.length > 0) {
    notes.push('No credit report: liabilities come from the net-worth accounts, without lender names, rates or tenures.');
    return liabilityAccounts.map((a) => {
      const balance = safePaise(a.balancePaise);
      if (a.instrument === 'credit_card') return draft(a.id, 'credit_card', 'credit_card', balance);
      const matched = loanTypes.find(([, v]) => v === balance) ?? (loanTypes.length === 1 ? loanTypes[0] : undefined);
      return draft(a.id, 'loan', matched ? typeOf(matched[0]) : 'other_loan', balance);
    });
  }
  if (byType.length > 0) notes.push('No credit report: liabilities come from the net-worth totals by type (one line per type).');
  return byType.map(([key, value]) => {
    const type = typeOf(key);
    // A known key is our own text; an unknown one is Fi's, so only its hash goes into the id.
    const id = Object.prototype.hasOwnProperty.call(NET_WORTH_TYPES, key) ? `net-worth:${key}` : `net-worth:${type}-${fnv1a(key)}`;
    return draft(id, type === 'credit_card' ? 'credit_card' : 'loan', type, safePaise(value));
  });
}

interface PlanDebt {
  readonly index: number;
  readonly liability: Liability;
  balance: number;
  minimum: number;
  paidOffInMonth: number | null;
}

/**
 * Simulates paying `budgetPaise` a month against the debts until all are cleared or the cap.
 * Each month: the minimums are set on the opening balances (a loan its EMI, a card 5% /
 * ₹200 of its balance), interest accrues on every balance (rounded down to the paisa, as in
 * loan.ts), and every debt gets its minimum in the strategy's order while the budget lasts;
 * what is left goes to the first debt in that order still owing, then the next. No new
 * borrowing or card spending is assumed. Avalanche orders by rate (highest first), snowball
 * by the starting balance (smallest first); ties by the other key, then by id.
 */
export function payoffPlan(liabilities: readonly Liability[], budgetPaise: Paise, strategy: 'avalanche' | 'snowball'): PayoffPlan {
  const debts: PlanDebt[] = liabilities
    .filter((l) => l.outstandingPaise > 0)
    .map((liability, index) => ({ index, liability, balance: liability.outstandingPaise, minimum: 0, paidOffInMonth: null }));
  const byId = (a: PlanDebt, b: PlanDebt) => (a.liability.id < b.liability.id ? -1 : a.liability.id > b.liability.id ? 1 : a.index - b.index);
  debts.sort((a, b) =>
    strategy === 'avalanche'
      ? b.liability.ratePercent - a.liability.ratePercent || a.liability.outstandingPaise - b.liability.outstandingPaise || byId(a, b)
      : a.liability.outstandingPaise - b.liability.outstandingPaise || b.liability.ratePercent - a.liability.ratePercent || byId(a, b),
  );
  const budget = Math.max(0, Math.floor(Number.isFinite(budgetPaise) ? budgetPaise : 0));
  const order: PayoffStep[] = [];
  const step = (d: PlanDebt, month: number) => {
    d.paidOffInMonth = month;
    order.push({ id: d.liability.id, lender: d.liability.lender, type: d.liability.type, paidOffInMonth: month });
  };
  let totalInterest = 0;
  let totalPaid = 0;
  let firstMonthInterest = 0;
  for (let month = 1; month <= PAYOFF_MAX_MONTHS; month++) {
    let owing = 0;
    for (const d of debts) {
      // The minimum is set on the opening balance (a card's statement balance; a loan's EMI).
      d.minimum = d.balance <= 0 ? 0 : d.liability.kind === 'credit_card' ? cardMinimumDue(d.balance) : d.liability.monthlyPaymentPaise;
      if (d.balance <= 0) continue;
      const interest = monthlyInterest(d.balance, d.liability.ratePercent);
      d.balance += interest;
      totalInterest += interest;
      if (month === 1) firstMonthInterest += interest;
    }
    let left = budget;
    for (const d of debts) {
      if (d.balance <= 0 || left === 0) continue;
      const pay = Math.min(d.minimum, d.balance, left);
      d.balance -= pay;
      left -= pay;
      totalPaid += pay;
    }
    for (const d of debts) {
      if (left === 0) break;
      if (d.balance <= 0) continue;
      const pay = Math.min(d.balance, left);
      d.balance -= pay;
      left -= pay;
      totalPaid += pay;
    }
    for (const d of debts) {
      if (d.balance <= 0 && d.paidOffInMonth === null) step(d, month);
      owing += Math.max(0, d.balance);
    }
    if (owing === 0) return { strategy, status: 'paid-off', months: month, totalInterestPaise: totalInterest, totalPaidPaise: totalPaid, order };
    if (owing > RUNAWAY_PAISE) break;
  }
  if (debts.length === 0) return { strategy, status: 'paid-off', months: 0, totalInterestPaise: 0, totalPaidPaise: 0, order };
  return {
    strategy,
    status: 'never',
    months: null,
    totalInterestPaise: null,
    totalPaidPaise: null,
    reason: budget <= firstMonthInterest ? 'budget-below-interest' : 'longer-than-cap',
    order,
  };
}

function emiToIncome(obligations: Paise, income: number | null | undefined): EmiToIncome | null {
  if (typeof income !== 'number' || !Number.isFinite(income) || income <= 0) return null;
  const percent = round2((obligations / income) * 100);
  const status: EmiStatus = percent < 30 ? 'healthy' : percent <= 50 ? 'stretched' : 'high';
  return { percent, status, monthlyObligationsPaise: obligations, monthlyIncomePaise: Math.round(income) };
}

/**
 * The user's debts and what to do about them. A loan's monthly payment is the instalment
 * seen in the bank data when there is one, else computed (see `EmiBasis`); `paymentBasis`
 * says which. Promises: totals are exact sums of the listed
 * liabilities; every assumed rate is flagged and every estimate named in `notes`; the plans
 * end in `paid-off` or an explicit `never`. Never throws: odd numbers (negative, fractional,
 * non-finite) are read as zero and unusable rates replaced by the assumed ones.
 */
export function debtAnalytics(input: AnalyticsInput, opts: DebtOptions = {}): DebtAnalytics {
  const notes: string[] = [];
  const report = input.creditReport;
  let drafts: Draft[];
  let source: Liability['source'] | null;
  let observed: ReadonlyMap<string, Paise> = new Map();
  if (report !== null && report !== undefined && Array.isArray(report.accounts)) {
    observed = bankObservedEmis(input);
    drafts = fromCreditReport(report.accounts, observed);
    source = 'fetch_credit_report';
  } else {
    drafts = fromNetWorth(Array.isArray(input.accounts) ? input.accounts : [], input.netWorth ?? null, notes);
    source = drafts.length > 0 ? 'fetch_net_worth' : null;
  }
  const liabilities = drafts.map(complete).sort((a, b) => b.outstandingPaise - a.outstandingPaise || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const assumedTypes = [...new Set(liabilities.filter((l) => l.rateAssumed).map((l) => l.type))];
  for (const t of assumedTypes) notes.push(`No usable rate reported for some ${t.replace(/_/g, ' ')} accounts: ${ASSUMED_RATE_PERCENT[t]}% a year assumed.`);
  const seen = liabilities.filter((l) => l.paymentBasis === 'bank-observed').length;
  const computed = liabilities.filter((l) => l.kind === 'loan' && l.outstandingPaise > 0 && l.paymentBasis !== 'bank-observed').length;
  if (seen > 0) {
    notes.push(`${seen === 1 ? 'One loan\'s EMI is' : `${seen} loans' EMIs are`} the instalment seen in the bank data${computed > 0 ? '; the others are computed from the sanctioned terms or estimated, as no instalment to their lender was found' : ''}.`);
  }
  if (liabilities.some((l) => l.paymentBasis === 'estimated-from-outstanding' && l.outstandingPaise > 0)) {
    notes.push('Some EMIs are estimates: the outstanding balance repaid over a typical remaining term for the loan type.');
  }
  if (liabilities.some((l) => l.kind === 'credit_card' && l.outstandingPaise > 0)) {
    notes.push(`Card minimum due taken as ${CARD_MINIMUM_PERCENT}% of the balance (at least ₹${CARD_MINIMUM_FLOOR_PAISE / 100}).`);
  }

  const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
  const loans = liabilities.filter((l) => l.kind === 'loan');
  const cards = liabilities.filter((l) => l.kind === 'credit_card');
  const totalOutstandingPaise = sum(liabilities.map((l) => l.outstandingPaise));
  const totalEmiPaise = sum(loans.map((l) => l.monthlyPaymentPaise));
  const totalMinimumPaymentsPaise = sum(liabilities.map((l) => l.monthlyPaymentPaise));

  let payoff: PayoffComparison | null = null;
  if (totalOutstandingPaise > 0) {
    const given = opts.monthlyBudgetPaise;
    const useGiven = typeof given === 'number' && Number.isFinite(given) && given >= 0;
    const budgetPaise = useGiven ? Math.floor(given) : totalMinimumPaymentsPaise;
    const avalanche = payoffPlan(liabilities, budgetPaise, 'avalanche');
    const snowball = payoffPlan(liabilities, budgetPaise, 'snowball');
    const both = avalanche.status === 'paid-off' && snowball.status === 'paid-off';
    payoff = {
      budgetPaise,
      budgetSource: useGiven ? 'given' : 'minimum-payments',
      minimumPaymentsPaise: totalMinimumPaymentsPaise,
      budgetBelowMinimums: budgetPaise < totalMinimumPaymentsPaise,
      avalanche,
      snowball,
      interestSavedByAvalanchePaise: both ? snowball.totalInterestPaise - avalanche.totalInterestPaise : null,
      monthsSavedByAvalanche: both ? snowball.months - avalanche.months : null,
    };
  }

  return {
    asOf: input.asOf,
    sources: source === null ? [] : seen > 0 ? [source, 'fetch_bank_transactions'] : [source],
    liabilities,
    openLoanCount: loans.length,
    openCardCount: cards.length,
    totalOutstandingPaise,
    totalEmiPaise,
    totalMinimumPaymentsPaise,
    emiToIncome: emiToIncome(totalMinimumPaymentsPaise, opts.monthlyIncomePaise),
    payoff,
    notes,
  };
}
