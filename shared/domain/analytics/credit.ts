import type { Paise } from '../money.js';
import type { CreditAccount } from '../fi/types.js';
import { categorise, lenderToken, loanLenderWords, safeLabel } from './cash-flow.js';
import { round2, type AnalyticsInput, type AnalyticsSource } from './input.js';

/**
 * Credit analytics from the (most recent) Experian report: score band, utilisation,
 * enquiries, payment history, defaults, account age and active loans.
 *
 * Pure and total: reads only `input`, never a clock, never throws; output is plain JSON
 * with `null` plus a reason where a figure is unavailable. Money in integer paise (the
 * bureau reports whole rupees). Lender names are third-party text: they appear only as
 * cleaned labels of at most 40 characters.
 */

export type ScoreBand = 'poor' | 'fair' | 'good' | 'very_good' | 'excellent';

/**
 * Score bands on the 300-900 scale Indian bureaus use. There is no single official banding;
 * these are the FICO-style bands Experian publishes (300-579 poor, 580-669 fair, 670-739
 * good, 740-799 very good, 800+ exceptional), with the top band stretched to India's 900
 * ceiling, as Indian lenders' and aggregators' guides commonly present them. Separately, 750
 * is the cut-off Indian lenders most often quote for easy approval (`meetsCommonLenderThreshold`).
 */
export const SCORE_BANDS: readonly { readonly band: ScoreBand; readonly min: number; readonly max: number }[] = [
  { band: 'poor', min: 300, max: 579 },
  { band: 'fair', min: 580, max: 669 },
  { band: 'good', min: 670, max: 739 },
  { band: 'very_good', min: 740, max: 799 },
  { band: 'excellent', min: 800, max: 900 },
];
export const COMMON_LENDER_THRESHOLD = 750;

export type ScoreConfidence = 'high' | 'medium' | 'low' | 'unknown';

export type UtilisationStatus = 'good' | 'fair' | 'high' | 'over_limit';

/**
 * Card utilisation status: up to 30% good (the guidance bureaus and lenders give), over 30%
 * up to 50% fair, over 50% up to 100% high, over 100% over the limit.
 */
export const UTILISATION_THRESHOLDS = { good: 30, fair: 50, limit: 100 } as const;

/**
 * Account status codes read as settled or written off: the only evidence of settlement we
 * take (the payment-history letters are asset classifications, see `readPaymentHistory`).
 * `"71"` is the code our data (the dev personas, modelled on Fi's Experian reports) uses for
 * a settled account, and the one counted in Experian's `creditAccountDefault` there.
 */
const SETTLED_STATUS = new Set(['71']);

export interface CreditScore {
  readonly value: number | null;
  readonly band: ScoreBand | null;
  readonly bandMin: number | null;
  readonly bandMax: number | null;
  readonly meetsCommonLenderThreshold: boolean | null;
  readonly confidence: ScoreConfidence;
  /** Experian's own code (`H`, `M`, `L`), cleaned; null when absent. */
  readonly confidenceCode: string | null;
  readonly reason: string | null;
  readonly bandsSource: string;
}

export interface CardUtilisation {
  readonly accountId: string;
  readonly lender: string | null;
  readonly balancePaise: Paise;
  readonly limitPaise: Paise | null;
  /** Balance / limit, percent, 2 decimals; null without a limit. */
  readonly utilisationPercent: number | null;
  readonly status: UtilisationStatus | null;
  readonly reason: string | null;
}

export interface Utilisation {
  /** Open credit cards only. */
  readonly cards: readonly CardUtilisation[];
  /** Balances of the cards with a limit. */
  readonly totalBalancePaise: Paise;
  readonly totalLimitPaise: Paise;
  /** Σ balance / Σ limit over open cards with a limit; null when there is none. */
  readonly overallPercent: number | null;
  readonly overallStatus: UtilisationStatus | null;
  readonly reason: string | null;
  readonly thresholds: string;
}

export interface Enquiries {
  /** Experian's counts of credit enquiries within 7/30/90/180 days of the report date; null when absent. */
  readonly last7Days: number | null;
  readonly last30Days: number | null;
  readonly last90Days: number | null;
  readonly last180Days: number | null;
}

export interface AccountPaymentHistory {
  readonly accountId: string;
  readonly lender: string | null;
  readonly kind: 'credit_card' | 'loan';
  readonly open: boolean;
  readonly statusCode: string | null;
  /** Characters in the history (one a month, most recent first). */
  readonly monthsReported: number;
  /** Months marked 1-9 months past due. */
  readonly lateMonths: number;
  /** Largest delay in months; 0 when never late. */
  readonly worstDelayMonths: number;
  /** 0 = the latest reported month; null when never late. Counted from the account's `dateReported`. */
  readonly mostRecentLateMonthIndex: number | null;
  /** Months classified substandard (`B`), doubtful (`D`) or loss (`L`): a non-performing asset. */
  readonly nonPerformingMonths: number;
  /** Months classified special mention (`M`): standard, watched by the lender. */
  readonly specialMentionMonths: number;
  /** `B`, `D` or `L` in the history or the payment rating. */
  readonly nonPerformingInHistory: boolean;
}

export interface PaymentHistory {
  readonly accounts: readonly AccountPaymentHistory[];
  readonly accountsWithLatePayments: number;
  readonly totalLateMonths: number;
  readonly worstDelayMonths: number;
  /** Smallest `mostRecentLateMonthIndex` over all accounts; null when none was late. */
  readonly mostRecentLateMonthIndex: number | null;
  /** Late months within the 12 most recent months of each account's history. */
  readonly lateMonthsLast12: number;
  /** Accounts with a non-performing classification (`B`, `D`, `L`) in history or rating. */
  readonly accountsNonPerforming: number;
  readonly nonPerformingMonths: number;
  /** How the history characters are read, in words. */
  readonly legend: string;
}

export interface DefaultAccount {
  readonly accountId: string;
  readonly lender: string | null;
  readonly kind: 'credit_card' | 'loan';
  readonly statusCode: string | null;
  /**
   * Why it counts: a settled/written-off status code (`status`), a non-performing asset
   * classification (`B`, `D`, `L`) in the rating or history (`history`), or both.
   */
  readonly evidence: 'status' | 'history' | 'status_and_history';
}

export interface ActiveLoan {
  readonly accountId: string;
  readonly lender: string | null;
  /** Readable type from Experian's code (`auto_loan`, `housing_loan`, ...), null when unknown. */
  readonly loanType: string | null;
  readonly accountTypeCode: string | null;
  readonly ratePercent: number | null;
  readonly outstandingPaise: Paise;
  readonly sanctionedPaise: Paise | null;
  readonly pastDuePaise: Paise;
  readonly tenureMonths: number | null;
  readonly openedOn: string | null;
  readonly ageMonths: number | null;
  /**
   * The instalment seen in the bank data for this lender: of the latest day with an
   * instalment, the amount seen most often over all its instalments (ties: the smaller);
   * null when not seen or ambiguous.
   */
  readonly emiPaise: Paise | null;
  readonly emiSource: 'bank_transactions' | null;
  readonly emiReason: string | null;
}

export type CreditAnalytics =
  | {
      readonly available: true;
      readonly asOf: string;
      readonly sources: readonly AnalyticsSource[];
      readonly vendor: string | null;
      /** `YYYY-MM-DD`; null when unreadable. */
      readonly reportDate: string | null;
      /** Days from the report date to `asOf`; null when either date is unreadable. */
      readonly reportAgeDays: number | null;
      readonly score: CreditScore;
      readonly utilisation: Utilisation;
      readonly enquiries: Enquiries;
      readonly paymentHistory: PaymentHistory;
      readonly defaults: { readonly accounts: readonly DefaultAccount[]; readonly experianDefaultCount: number | null };
      readonly accounts: { readonly total: number; readonly open: number; readonly closed: number };
      readonly age: { readonly oldestAccountMonths: number | null; readonly averageAccountAgeMonths: number | null; readonly basis: string };
      readonly loans: readonly ActiveLoan[];
      readonly totals: { readonly openBalancePaise: Paise; readonly pastDuePaise: Paise };
    }
  | {
      readonly available: false;
      readonly asOf: string;
      readonly sources: readonly AnalyticsSource[];
      readonly reason: 'no-credit-report';
      readonly message: string;
    };

// ---------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

function parseDate(date: unknown): { y: number; m: number; d: number; day: number } | undefined {
  if (typeof date !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined;
  return { y, m, d, day: Math.round(t / DAY_MS) };
}

/** Whole months from `from` to `to` (a month counts once its day of month is reached); null when unreadable or negative. */
export function monthsBetween(from: unknown, to: unknown): number | null {
  const a = parseDate(from);
  const b = parseDate(to);
  if (!a || !b || a.day > b.day) return null;
  return (b.y - a.y) * 12 + (b.m - a.m) - (b.d < a.d ? 1 : 0);
}

const safeCount = (n: unknown): number | null => (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n + 0 : null);
/** A safe integer amount, `-0` normalised to `0` (JSON cannot carry `-0`); else null. */
const safePaise = (n: unknown): Paise | null => (typeof n === 'number' && Number.isSafeInteger(n) ? n + 0 : null);

function scoreOf(score: unknown, confidenceCode: unknown): CreditScore {
  const code = safeLabel(confidenceCode, 10);
  const upper = code?.toUpperCase() ?? '';
  const confidence: ScoreConfidence = upper === 'H' || upper === 'HIGH' ? 'high' : upper === 'M' || upper === 'MEDIUM' ? 'medium' : upper === 'L' || upper === 'LOW' ? 'low' : 'unknown';
  const bandsSource = 'FICO-style bands Experian publishes (300-579 poor, 580-669 fair, 670-739 good, 740-799 very good, 800-900 excellent, top band stretched to 900); 750 is the cut-off Indian lenders most often quote.';
  const value = typeof score === 'number' && Number.isInteger(score) && score >= 300 && score <= 900 ? score : null;
  if (value === null) {
    return { value: null, band: null, bandMin: null, bandMax: null, meetsCommonLenderThreshold: null, confidence, confidenceCode: code, reason: 'The report carries no score (too little credit history, or none given).', bandsSource };
  }
  const band = SCORE_BANDS.find((b) => value >= b.min && value <= b.max) ?? null;
  return {
    value,
    band: band?.band ?? null,
    bandMin: band?.min ?? null,
    bandMax: band?.max ?? null,
    meetsCommonLenderThreshold: value >= COMMON_LENDER_THRESHOLD,
    confidence,
    confidenceCode: code,
    reason: null,
    bandsSource,
  };
}

export function utilisationStatus(percent: number): UtilisationStatus {
  if (percent <= UTILISATION_THRESHOLDS.good) return 'good';
  if (percent <= UTILISATION_THRESHOLDS.fair) return 'fair';
  if (percent <= UTILISATION_THRESHOLDS.limit) return 'high';
  return 'over_limit';
}

function utilisationOf(accounts: readonly CreditAccount[]): Utilisation {
  const cards: CardUtilisation[] = [];
  let totalBalance = 0;
  let totalLimit = 0;
  for (const a of accounts) {
    if (a.kind !== 'credit_card' || !a.open) continue;
    const balance = Math.max(0, safePaise(a.currentBalancePaise) ?? 0);
    const limit = safePaise(a.creditLimitPaise);
    const lender = safeLabel(a.lender, 40);
    if (limit === null || limit <= 0) {
      cards.push({ accountId: String(a.id), lender, balancePaise: balance, limitPaise: null, utilisationPercent: null, status: null, reason: 'The report gives no credit limit for this card.' });
      continue;
    }
    totalBalance += balance;
    totalLimit += limit;
    const percent = round2((balance / limit) * 100);
    cards.push({ accountId: String(a.id), lender, balancePaise: balance, limitPaise: limit, utilisationPercent: percent, status: utilisationStatus(percent), reason: null });
  }
  const overall = totalLimit > 0 ? round2((totalBalance / totalLimit) * 100) : null;
  return {
    cards,
    totalBalancePaise: totalBalance,
    totalLimitPaise: totalLimit,
    overallPercent: overall,
    overallStatus: overall === null ? null : utilisationStatus(overall),
    reason: overall !== null ? null : cards.length === 0 ? 'No open credit card.' : 'No open card has a credit limit in the report.',
    thresholds: 'Up to 30% good (the usual bureau and lender guidance), over 30% to 50% fair, over 50% to 100% high, over 100% over the limit.',
  };
}

/**
 * How we read `paymentHistoryProfile` and `paymentRating`, after Experian India's legend for
 * the days-past-due grid: a digit is that many months past due; when the lender reports an
 * RBI asset classification instead, `S` is Standard (under 90 days overdue), `M` Special
 * Mention (standard, watched), `B` Substandard, `D` Doubtful and `L` Loss (the last three are
 * non-performing assets); `N`, `X` and anything else carry no information. Settlement and
 * write-off are never read from these letters, only from the account's status code.
 */
export const PAYMENT_HISTORY_LEGEND =
  'One character a month, most recent first: 0 on time; 1-9 that many months past due; S standard, M special mention (RBI asset classes, not late); ' +
  'B substandard, D doubtful, L loss (non-performing assets); N, X and others no information. Settled or written-off accounts are known from their status code only.';

const NON_PERFORMING = new Set(['B', 'D', 'L']);

/**
 * Reads one Experian payment-history string (most recent month first) per
 * `PAYMENT_HISTORY_LEGEND`: digits `1`-`9` are late months; `B`, `D`, `L` non-performing
 * months; `M` special-mention months; `0`, `S` and any other character (`X`, `?`, `N`, ...)
 * count for nothing but `monthsReported`. Pure, total.
 */
export function readPaymentHistory(history: unknown): {
  monthsReported: number;
  lateMonths: number;
  worstDelayMonths: number;
  mostRecentLateMonthIndex: number | null;
  lateMonthsLast12: number;
  nonPerformingMonths: number;
  specialMentionMonths: number;
} {
  const text = typeof history === 'string' ? history.slice(0, 240) : '';
  let lateMonths = 0;
  let worst = 0;
  let mostRecent: number | null = null;
  let last12 = 0;
  let nonPerforming = 0;
  let specialMention = 0;
  const chars = Array.from(text);
  chars.forEach((c, index) => {
    if (c >= '1' && c <= '9') {
      lateMonths++;
      worst = Math.max(worst, Number(c));
      if (mostRecent === null) mostRecent = index;
      if (index < 12) last12++;
    } else if (NON_PERFORMING.has(c.toUpperCase())) nonPerforming++;
    else if (c.toUpperCase() === 'M') specialMention++;
  });
  return { monthsReported: chars.length, lateMonths, worstDelayMonths: worst, mostRecentLateMonthIndex: mostRecent, lateMonthsLast12: last12, nonPerformingMonths: nonPerforming, specialMentionMonths: specialMention };
}

interface EmiRow {
  readonly day: number;
  readonly text: string;
  readonly amountPaise: Paise;
}

function emiRows(input: AnalyticsInput, asOfDay: number | undefined): EmiRow[] {
  const rows: EmiRow[] = [];
  const context = { lenders: loanLenderWords(input.creditReport) };
  for (const t of Array.isArray(input.transactions) ? input.transactions : []) {
    if (!t || t.kind !== 'bank' || t.direction !== 'debit' || !Number.isSafeInteger(t.amountPaise) || t.amountPaise <= 0) continue;
    const date = parseDate(t.date);
    if (!date || (asOfDay !== undefined && date.day > asOfDay)) continue;
    if (categorise(t, context) !== 'emi') continue;
    rows.push({ day: date.day, text: String(t.narration ?? '').normalize('NFKC').toUpperCase(), amountPaise: t.amountPaise });
  }
  return rows;
}

/**
 * The instalment of one loan from its matching bank rows: of the latest day's rows, the
 * amount seen most often over all the rows (an EMI repeats), ties to the smaller. Independent
 * of the rows' order; null without rows.
 */
function observedInstalment(matches: readonly EmiRow[]): Paise | null {
  if (matches.length === 0) return null;
  const latestDay = Math.max(...matches.map((r) => r.day));
  const frequency = new Map<number, number>();
  for (const r of matches) frequency.set(r.amountPaise, (frequency.get(r.amountPaise) ?? 0) + 1);
  const candidates = [...new Set(matches.filter((r) => r.day === latestDay).map((r) => r.amountPaise))];
  candidates.sort((a, b) => (frequency.get(b) ?? 0) - (frequency.get(a) ?? 0) || a - b);
  return candidates[0] ?? null;
}

function activeLoans(input: AnalyticsInput, accounts: readonly CreditAccount[]): { loans: ActiveLoan[]; usedBank: boolean } {
  const asOfDay = parseDate(input.asOf)?.day;
  const open = accounts.filter((a) => a.kind === 'loan' && a.open);
  const rows = emiRows(input, asOfDay);
  const tokens = open.map((a) => lenderToken(a.lender));
  let usedBank = false;
  const loans = open.map((a, i): ActiveLoan => {
    const lender = safeLabel(a.lender, 40);
    const token = tokens[i] ?? null;
    const opened = parseDate(a.openedOn);
    let emiPaise: Paise | null = null;
    let emiReason: string | null = null;
    if (token === null) emiReason = 'The lender name has no distinctive word to find its instalments by.';
    else if (tokens.filter((t) => t === token).length > 1) emiReason = 'Several active loans from this lender: the bank instalments cannot be told apart.';
    else {
      const word = new RegExp(`(?:^|[^\\p{L}\\p{N}])${token}(?:[^\\p{L}\\p{N}]|$)`, 'u');
      const matches = rows.filter((r) => word.test(r.text) && (!opened || r.day >= opened.day));
      const chosen = observedInstalment(matches);
      if (chosen === null) emiReason = rows.length === 0 ? 'No loan instalment in the bank data.' : 'No instalment to this lender in the bank data.';
      else {
        emiPaise = chosen;
        usedBank = true;
      }
    }
    return {
      accountId: String(a.id),
      lender,
      loanType: typeof a.loanType === 'string' ? a.loanType : null,
      accountTypeCode: safeLabel(a.accountTypeCode, 10),
      ratePercent: typeof a.rateOfInterest === 'number' && Number.isFinite(a.rateOfInterest) && a.rateOfInterest >= 0 && a.rateOfInterest < 100 ? a.rateOfInterest + 0 : null,
      outstandingPaise: Math.max(0, safePaise(a.currentBalancePaise) ?? 0),
      sanctionedPaise: safePaise(a.sanctionedPaise),
      pastDuePaise: Math.max(0, safePaise(a.pastDuePaise) ?? 0),
      tenureMonths: safeCount(a.repaymentTenureMonths) || null,
      openedOn: opened ? String(a.openedOn) : null,
      ageMonths: monthsBetween(a.openedOn, input.asOf),
      emiPaise,
      emiSource: emiPaise === null ? null : 'bank_transactions',
      emiReason,
    };
  });
  return { loans, usedBank };
}

/**
 * The instalment seen in the bank data for each active loan of the credit report, by the
 * credit account's id (the same figure as `ActiveLoan.emiPaise`); loans without one are left
 * out. Pure, never throws.
 */
export function bankObservedEmis(input: AnalyticsInput): ReadonlyMap<string, Paise> {
  const report = input.creditReport;
  if (!report || typeof report !== 'object' || !Array.isArray(report.accounts)) return new Map();
  const accounts = report.accounts.filter((a): a is CreditAccount => a !== null && typeof a === 'object');
  const out = new Map<string, Paise>();
  for (const loan of activeLoans(input, accounts).loans) if (loan.emiPaise !== null && loan.emiPaise > 0) out.set(loan.accountId, loan.emiPaise);
  return out;
}

/**
 * Credit analytics from `input.creditReport`; `available: false` (reason
 * `no-credit-report`) when there is none.
 *
 * - Score: band per `SCORE_BANDS`, Experian's confidence level, null plus a reason when the
 *   report has no score.
 * - Utilisation: per open card (balance / limit) and overall (Σ balance / Σ limit over open
 *   cards with a limit), statuses per `UTILISATION_THRESHOLDS`.
 * - Enquiries: Experian's 7/30/90/180-day counts (relative to the report date).
 * - Payment history: per account from `paymentHistory` (see `readPaymentHistory` and
 *   `PAYMENT_HISTORY_LEGEND`: `S` is Standard, not settled).
 * - Defaults: accounts with a settled/written-off status code (`"71"`), or a non-performing
 *   classification (`B`, `D`, `L`) in rating or history.
 * - Age: whole months from each account's open date to `asOf`, over all accounts (open and
 *   closed, as bureaus count history length); the average to 1 decimal.
 * - Loans: open non-card accounts; the EMI is the instalment (an `emi` bank debit, see
 *   `observedInstalment`) whose narration names the lender's distinctive word, when exactly
 *   one active loan has it.
 *
 * Pure, deterministic; never throws.
 */
export function creditAnalytics(input: AnalyticsInput): CreditAnalytics {
  const report = input.creditReport;
  if (!report || typeof report !== 'object') {
    return { available: false, asOf: input.asOf, sources: ['fetch_credit_report'], reason: 'no-credit-report', message: 'No credit report is connected.' };
  }
  const accounts = (Array.isArray(report.accounts) ? report.accounts : []).filter((a): a is CreditAccount => a !== null && typeof a === 'object');
  const reportDay = parseDate(report.reportDate)?.day;
  const asOfDay = parseDate(input.asOf)?.day;

  const history = accounts.map((a): AccountPaymentHistory & { last12: number } => {
    const h = readPaymentHistory(a.paymentHistory);
    const rating = typeof a.paymentRating === 'string' ? a.paymentRating.trim().toUpperCase() : '';
    return {
      accountId: String(a.id),
      lender: safeLabel(a.lender, 40),
      kind: a.kind === 'credit_card' ? 'credit_card' : 'loan',
      open: a.open === true,
      statusCode: safeLabel(a.statusCode, 10),
      monthsReported: h.monthsReported,
      lateMonths: h.lateMonths,
      worstDelayMonths: h.worstDelayMonths,
      mostRecentLateMonthIndex: h.mostRecentLateMonthIndex,
      nonPerformingMonths: h.nonPerformingMonths,
      specialMentionMonths: h.specialMentionMonths,
      nonPerformingInHistory: h.nonPerformingMonths > 0 || NON_PERFORMING.has(rating),
      last12: h.lateMonthsLast12,
    };
  });
  const lateIndexes = history.map((h) => h.mostRecentLateMonthIndex).filter((i): i is number => i !== null);
  const paymentHistory: PaymentHistory = {
    accounts: history.map(({ last12: _last12, ...rest }) => rest),
    accountsWithLatePayments: history.filter((h) => h.lateMonths > 0).length,
    totalLateMonths: history.reduce((s, h) => s + h.lateMonths, 0),
    worstDelayMonths: history.reduce((m, h) => Math.max(m, h.worstDelayMonths), 0),
    mostRecentLateMonthIndex: lateIndexes.length > 0 ? Math.min(...lateIndexes) : null,
    lateMonthsLast12: history.reduce((s, h) => s + h.last12, 0),
    accountsNonPerforming: history.filter((h) => h.nonPerformingInHistory).length,
    nonPerformingMonths: history.reduce((s, h) => s + h.nonPerformingMonths, 0),
    legend: PAYMENT_HISTORY_LEGEND,
  };

  const defaults: DefaultAccount[] = [];
  history.forEach((h) => {
    const byStatus = h.statusCode !== null && SETTLED_STATUS.has(h.statusCode);
    if (!byStatus && !h.nonPerformingInHistory) return;
    defaults.push({ accountId: h.accountId, lender: h.lender, kind: h.kind, statusCode: h.statusCode, evidence: byStatus && h.nonPerformingInHistory ? 'status_and_history' : byStatus ? 'status' : 'history' });
  });

  const ages = accounts.map((a) => monthsBetween(a.openedOn, input.asOf)).filter((m): m is number => m !== null);
  const { loans, usedBank } = activeLoans(input, accounts);
  const e = report.enquiries;
  const open = accounts.filter((a) => a.open === true);
  const sources: AnalyticsSource[] = ['fetch_credit_report'];
  if (usedBank) sources.push('fetch_bank_transactions');
  return {
    available: true,
    asOf: input.asOf,
    sources,
    vendor: safeLabel(report.vendor, 20),
    reportDate: reportDay === undefined ? null : String(report.reportDate),
    reportAgeDays: reportDay === undefined || asOfDay === undefined ? null : asOfDay - reportDay,
    score: scoreOf(report.score, report.scoreConfidence),
    utilisation: utilisationOf(accounts),
    enquiries: { last7Days: safeCount(e?.last7Days), last30Days: safeCount(e?.last30Days), last90Days: safeCount(e?.last90Days), last180Days: safeCount(e?.last180Days) },
    paymentHistory,
    defaults: { accounts: defaults, experianDefaultCount: safeCount(report.totals?.accountsDefault) },
    accounts: { total: accounts.length, open: open.length, closed: accounts.length - open.length },
    age: {
      oldestAccountMonths: ages.length > 0 ? Math.max(...ages) : null,
      averageAccountAgeMonths: ages.length > 0 ? Math.round((ages.reduce((s, m) => s + m, 0) / ages.length) * 10) / 10 : null,
      basis: 'Whole months from each account’s open date to the as-of date, over every account in the report (open and closed); the average to 1 decimal.',
    },
    loans,
    totals: {
      openBalancePaise: open.reduce((s, a) => s + Math.max(0, safePaise(a.currentBalancePaise) ?? 0), 0),
      pastDuePaise: accounts.reduce((s, a) => s + Math.max(0, safePaise(a.pastDuePaise) ?? 0), 0),
    },
  };
}
