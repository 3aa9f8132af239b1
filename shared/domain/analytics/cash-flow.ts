import type { Paise } from '../money.js';
import type { CreditReportSummary, Holding, Transaction } from '../fi/types.js';
import { etfBucket, fundBucket } from './allocation.js';
import { round2, type AnalyticsInput, type AnalyticsSource } from './input.js';

/**
 * Cash flow from bank transactions: the period the data covers, income and spending per
 * calendar month, categories, recurring payments, an emergency-fund reading and an income
 * estimate for the debt and simulation sections.
 *
 * Pure and total: it reads only `input` (never a clock), never throws on odd data, and its
 * output is plain JSON (no `undefined`, NaN or Infinity; `null` plus a reason instead).
 * Money is integer paise. Narrations are third-party text and never reach the output; only a
 * short, cleaned counterparty label (at most 40 characters) of recurring payments does.
 */

// ---------------------------------------------------------------------------------------
// Categories

/**
 * What a bank row is, from its narration, mode and type. Credits are `salary`,
 * `other_income` (income-tax refunds included), `interest`, `refunds`, `borrowing` (loan
 * disbursals), `investments` (redemptions, SWP, broker payouts, FD/RD maturity and closure
 * proceeds) or `transfers`; debits are any of the others. `card_payment` is paying a
 * credit-card bill; `card_spend` (debit-card/POS purchases) and `bills` (BILLPAY utilities,
 * insurance premiums) are two categories beyond the brief's list, because otherwise most of a
 * typical month would land in `other`.
 */
export type Category =
  | 'salary'
  | 'other_income'
  | 'interest'
  | 'refunds'
  | 'borrowing'
  | 'rent'
  | 'emi'
  | 'card_payment'
  | 'upi_spend'
  | 'card_spend'
  | 'atm_cash'
  | 'bills'
  | 'investments'
  | 'fees'
  | 'tax'
  | 'transfers'
  | 'other';

/**
 * How a categorised row counts: `income` and `spending` make the savings rate;
 * `investment` (SIPs, FD/RD bookings, redemptions) and `transfer` (between the user's own
 * accounts) move money the user keeps, and `borrowing` (a loan paid out) is money the user
 * owes, so these are reported beside income and spending, not in them. A refund is a credit
 * that counts as negative spending.
 */
export type Flow = 'income' | 'spending' | 'investment' | 'transfer' | 'borrowing';

// The rules are plain alternations with bounded pieces (no nested quantifiers), so a
// hostile 500-character narration costs linear time.
const RX = {
  transfer: /\bSELF\b|\bOWN (?:A\/?C|ACCOUNT|ACCT)\b|\bSWEEP\b/,
  salary: /\bSALARY\b|\bSAL\b|\bPAYROLL\b|\bPENSION\b/,
  /** The Income Tax Department's refunds come from CPC (its Centralised Processing Centre) on behalf of the CBDT. */
  taxRefund: /\bINCOME TAX REFUND|\bIT REFUND|\bTAX REFUND|\bITR REFUND|\bCPC\b|\bCBDT\b/,
  refund: /\bREFUND|\bREVERSAL\b|\bREVERSED\b|\bREV\b|\bCASH ?BACK\b|\bCHARGEBACK\b/,
  borrowing: /\bDISBURS|\bLOAN\b/,
  investment:
    /\bSIP\b|\bMUTUAL FUNDS?\b|\bMF\b|\bAMC\b|\bBROK(?:ER|ERS|ING)\b|\bDEMAT\b|\bNPS\b|\bPRAN\b|\bREDEMPTION\b|\bSWP\b|\bFD BOOKING\b|\bRD INSTAL+MENT\b|\bRECURRING DEPOSIT\b|\bFIXED DEPOSIT\b|\bICCL\b|\bINDIAN CLEARING\b|\bBSE (?:LIMITED|LTD)\b|\bNSE CLEARING\b|\bNSCCL\b|\bCAMS\b|\bKFIN\w{0,10}|\bKARVY\b/,
  /** A deposit paid back: maturity, (premature) closure or its proceeds, in either word order, or a transfer from it. */
  depositProceeds:
    /\b(?:FD|RD|TD)\b.{0,40}\b(?:MATUR\w{0,6}|CLOSURE|CLOSED|PREMAT\w{0,10}|PROCEEDS)\b|\b(?:MATUR\w{0,6}|CLOSURE|PREMAT\w{0,10}|PROCEEDS)\b.{0,40}\b(?:FD|RD|TD)\b|\bTRF FROM (?:FD|RD)\b/,
  interest: /\bINTEREST\b|\bINT\b[ .:-]{0,3}(?:PD|CR|PAID|CREDIT)\b/,
  fees: /\bCHARGES?\b|\bCHGS?\b|\bBOUNCE|\bPENAL|\bLATE FEE\b|\bANNUAL FEE\b|\bMIN(?:IMUM)? BAL/,
  cash: /\bATM\b|\bCASH (?:WDL|WITHDRAWAL)\b|\bNWD\b/,
  recurringDeposit: /\bRD\b|\bRECURRING DEPOSIT\b/,
  emi: /\bEMI\b|\bLOAN\b|\bINSTAL+MENT\b/,
  loanWord: /\bEMI\b|\bLOAN\b/,
  /** Names NBFC lenders go by in Indian mandates. */
  nbfc: /\bFINANCE (?:LTD|LIMITED)\b|\bFINSERV\b|\bHOME FIN(?:ANCE)?\b|\bCAPITAL (?:LTD|LIMITED)\b/,
  mandate: /^(?:ACH|NACH|ECS)\b/,
  cardBill: /\bCREDIT ?CARD\b|\bCC\b|\bCARD SERVICES\b|\bCARDS\b|\bCARD (?:BILL|DUE|PAYMENT|AUTOPAY)\b|\bMIN(?:IMUM)? DUE\b/,
  card: /\bCARD\b/,
  pos: /^POS\b/,
  rent: /\bRENT\b|\bLANDLORD\b/,
  tax: /\bTDS\b|\bTCS\b|\bADVANCE TAX\b|\bINCOME TAX\b|\bSELF ASSESSMENT TAX\b|\bCBDT\b/,
  upi: /^UPI\b/,
  billpay: /^BILLPAY\b|\bBBPS\b/,
} as const;

/** Upper-case, width-folded (full-width letters become ASCII) text for the rules. */
function ruleText(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.slice(0, 1000).normalize('NFKC').toUpperCase();
}

/** What the categoriser may know beyond the row itself. */
export interface CategoriseContext {
  /**
   * Distinctive words of the lenders of the user's active loans (see `loanLenderWords`), upper
   * case. An ACH/NACH/ECS debit naming one of them is that loan's instalment.
   */
  readonly lenders?: readonly string[];
}

/** Words too common in lender names to tie a bank narration to one lender. */
const GENERIC_LENDER_WORDS = new Set(['BANK', 'THE', 'LTD', 'LIMITED', 'FINANCE', 'FINANCIAL', 'FINSERV', 'CARD', 'CARDS', 'SERVICES', 'NBFC', 'CO', 'OPERATIVE', 'COOPERATIVE', 'CONSUMER', 'HOUSING', 'CAPITAL', 'CREDIT', 'PVT', 'PRIVATE', 'OF', 'INDIA', 'AND', 'LOAN', 'LOANS', 'APP', 'MONEY']);

/** The first distinctive word of a lender's name (`QUICKRUPEE FINANCE LTD` -> `QUICKRUPEE`), upper case, or null. */
export function lenderToken(lender: unknown): string | null {
  const label = safeLabel(lender, 40);
  if (label === null) return null;
  for (const word of label.toUpperCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word.length >= 3 && !GENERIC_LENDER_WORDS.has(word) && !/^\d+$/.test(word)) return word;
  }
  return null;
}

/** The distinctive words of the lenders of the open loans (not cards) in a credit report, sorted and unique. */
export function loanLenderWords(report: CreditReportSummary | null | undefined): string[] {
  const accounts = report && typeof report === 'object' && Array.isArray(report.accounts) ? report.accounts : [];
  const words = accounts.filter((a) => a && typeof a === 'object' && a.kind === 'loan' && a.open === true).map((a) => lenderToken(a.lender));
  return [...new Set(words.filter((w): w is string => w !== null))].sort();
}

const namesLender = (text: string, lenders: readonly string[] | undefined): boolean => {
  if (!Array.isArray(lenders) || lenders.length === 0) return false;
  const words = new Set(text.split(/[^\p{L}\p{N}]+/u));
  return lenders.some((l) => typeof l === 'string' && words.has(l));
};

/**
 * The category of one transaction, by the first rule that matches. Investment and stock
 * transactions (kind `mf`/`stock`) are `investments`; OPENING, CLOSING and OTHERS rows (no
 * direction) are `other` and left out of every flow.
 *
 * Credits: INTEREST type -> interest; `SELF`/`OWN A/C` -> transfers; an income-tax refund
 * (`INCOME TAX REFUND`, `IT REFUND`, `TAX REFUND`, `CPC`, `CBDT`) -> other_income; salary,
 * payroll or pension -> salary; refund, reversal (`REV-UPI`, `UPI/REV`), cashback -> refunds;
 * a loan disbursal (`DISBURS…`, `LOAN`) -> borrowing; fund, SIP, broker, NPS, redemption,
 * exchange or registrar (ICCL, BSE, NSE Clearing, CAMS, KFin) wording, or FD/RD maturity,
 * closure or proceeds (`TRF FROM FD`) -> investments; interest wording -> interest; anything
 * else -> other_income.
 *
 * Debits: TDS type -> tax; CHARGES mode or charge/bounce/penalty wording -> fees; ATM/CASH
 * mode or withdrawal wording -> atm_cash; own-account wording -> transfers; investment
 * wording without EMI/LOAN -> investments (a SIP on an INSTALLMENT row too); INSTALLMENT type
 * -> emi (an RD instalment -> investments); EMI/loan wording -> emi; credit-card bill wording
 * (not a POS purchase) -> card_payment; an ACH/NACH/ECS mandate naming an active loan's lender
 * (`context.lenders`) or an NBFC (`FINANCE LTD`, `FINSERV`, `HOME FIN`, `CAPITAL LTD`) -> emi;
 * rent/landlord -> rent; tax wording -> tax; UPI -> upi_spend; card/POS -> card_spend;
 * BILLPAY -> bills; else other. Without `context` the lender rule uses the NBFC names only.
 * Pure; never throws.
 */
export function categorise(t: Transaction, context: CategoriseContext = {}): Category {
  if (t === null || typeof t !== 'object') return 'other';
  if (t.kind !== 'bank') return 'investments';
  const text = ruleText(t.narration);
  const mode = ruleText(t.mode);
  if (t.direction === 'credit') {
    if (t.type === 'INTEREST') return 'interest';
    if (RX.transfer.test(text)) return 'transfers';
    if (RX.taxRefund.test(text)) return 'other_income';
    if (RX.salary.test(text)) return 'salary';
    if (RX.refund.test(text)) return 'refunds';
    if (RX.borrowing.test(text)) return 'borrowing';
    if (RX.investment.test(text) || RX.depositProceeds.test(text)) return 'investments';
    if (RX.interest.test(text)) return 'interest';
    return 'other_income';
  }
  if (t.direction !== 'debit') return 'other';
  if (t.type === 'TDS') return 'tax';
  if (mode === 'CHARGES' || RX.fees.test(text)) return 'fees';
  if (mode === 'ATM' || mode === 'CASH' || RX.cash.test(text)) return 'atm_cash';
  if (RX.transfer.test(text)) return 'transfers';
  // A SIP collected as an INSTALLMENT is an investment; a loan against funds is still a loan.
  if (RX.investment.test(text) && !RX.loanWord.test(text)) return 'investments';
  if (t.type === 'INSTALLMENT') return RX.recurringDeposit.test(text) && !RX.loanWord.test(text) ? 'investments' : 'emi';
  if (RX.emi.test(text)) return 'emi';
  const pos = RX.pos.test(text);
  if (!pos && (RX.cardBill.test(text) || (mode === 'BILLPAY' && RX.card.test(text)))) return 'card_payment';
  const mandate = mode === 'ACH' || mode === 'NACH' || mode === 'ECS' || RX.mandate.test(text);
  if (mandate && (namesLender(text, context.lenders) || RX.nbfc.test(text))) return 'emi';
  if (RX.rent.test(text)) return 'rent';
  if (RX.tax.test(text)) return 'tax';
  if (mode === 'UPI' || RX.upi.test(text)) return 'upi_spend';
  if (pos || mode === 'CARD_PAYMENT' || mode === 'CARD' || mode === 'POS') return 'card_spend';
  if (mode === 'BILLPAY' || RX.billpay.test(text)) return 'bills';
  return 'other';
}

/** How a category counts (see `Flow`); a `refunds` credit is spending with a negative sign. */
export function flowOf(category: Category): Flow {
  if (category === 'transfers') return 'transfer';
  if (category === 'investments') return 'investment';
  if (category === 'borrowing') return 'borrowing';
  if (category === 'salary' || category === 'other_income' || category === 'interest') return 'income';
  return 'spending';
}

// ---------------------------------------------------------------------------------------
// Labels from third-party text

const MARKDOWN_LINK = /!?\[[^\]]{0,200}\]\([^)]{0,500}\)/g;
const URL = /\b(?:https?|ftp):\/\/\S{0,500}|\bwww\.\S{0,500}/gi;
const TAG = /<[^>]{0,200}>/g;
/** Letters and marks of any script, digits, spaces and a little punctuation; the rest is dropped. */
const DISALLOWED = /[^\p{L}\p{M}\p{N} &.,'+-]+/gu;

/**
 * A short display label from third-party text (a narration segment, a lender or an
 * employer name): width-folded, markdown links/images, URLs and HTML tags removed, anything
 * but letters, digits, spaces and `& . , ' + -` removed (so no brackets, quotes, slashes,
 * colons, emoji or control characters survive), whitespace collapsed, cut to `max` code
 * points. `null` when nothing is left. It is still data, never instructions.
 */
export function safeLabel(value: unknown, max = 40): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = value
    .slice(0, 2000)
    .normalize('NFKC')
    .replace(MARKDOWN_LINK, ' ')
    .replace(URL, ' ')
    .replace(TAG, ' ')
    .replace(DISALLOWED, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = Array.from(cleaned).slice(0, Math.max(0, max)).join('').replace(/[\s&.,'+-]+$/, '').replace(/^[\s&.,'+-]+/, '');
  return cut === '' ? null : cut;
}

/**
 * Channel prefixes, possibly stacked (`MMT/IMPS/…`, `BIL/ONL/…`, `INF/INFT/…`,
 * `TO TRANSFER-UPI/DR/…`, `REV-UPI/…`): stripped one after another, at most `MAX_PREFIXES`.
 */
const PREFIX = /^(?:TO TRANSFER|BY TRANSFER|UPI|IMPS|NEFT|RTGS|NACH|ACH|ECS|FT|BILLPAY|BBPS|POS|MMT|BIL|ONL|INFT|INF|REV)\b[\s/:-]{0,3}(?:(?:DR|CR|D|C|P2A|P2M|TRF|TO|FROM)\b[\s/:-]{0,3})?/;
const MAX_PREFIXES = 4;
const IFSC = /^[A-Z]{4}0[A-Z0-9]{6}$/;
const HANDLE = /^(?:OK[A-Z]{2,8}|YBL|PAYTM|IBL|AXL|APL|UPI|YAPL|JUPITERAXIS|FBL)$/;

/** Words that carry references rather than names: 3+ digits, masks like `XX2231` or `4771XXXXXXXX3161`. */
const isReferenceWord = (word: string): boolean => (word.match(/\d/g)?.length ?? 0) >= 3 || /X{2,}\d|\dX{2,}/.test(word);

export interface Counterparty {
  /** Upper-case letters, digits and spaces: what groups rows as one payee. Empty when none. */
  readonly key: string;
  /** Cleaned and capped at 40 characters; null when none. */
  readonly label: string | null;
}

/**
 * The payee or payer named in a narration, by the common Indian formats: `UPI/DR/<ref>/<name>/…`,
 * `IMPS/P2A/<ref>/<name>/…`, `NEFT CR-<IFSC>-<name>-…`, `ACH D- <name>-…`, `BILLPAY/<biller>/…`,
 * `POS <card> <merchant>`. Reference numbers, IFSCs, masked card/account numbers and UPI
 * handles are skipped; the first remaining segment is the counterparty. Never throws.
 */
export function counterpartyOf(narration: unknown): Counterparty {
  if (typeof narration !== 'string') return { key: '', label: null };
  const text = narration
    .slice(0, 1000)
    .normalize('NFKC')
    .replace(MARKDOWN_LINK, ' ')
    .replace(URL, ' ')
    .replace(TAG, ' ')
    .trim();
  // The prefixes are ASCII, so their length is the same in the upper-cased text.
  let body = text;
  for (let i = 0; i < MAX_PREFIXES; i++) {
    const prefix = PREFIX.exec(body.toUpperCase());
    if (!prefix || prefix[0].length === 0) break;
    body = body.slice(prefix[0].length);
  }
  for (const segment of body.split(/[/|-]/)) {
    const words = segment
      .trim()
      .split(/\s+/)
      .filter((w) => w !== '' && !isReferenceWord(w));
    const candidate = words.join(' ');
    const upper = candidate.toUpperCase();
    if (candidate === '' || IFSC.test(upper) || HANDLE.test(upper) || /^\d+$/.test(upper)) continue;
    const label = safeLabel(candidate, 40);
    if (label === null) continue;
    const key = label
      .toUpperCase()
      .replace(/[^\p{L}\p{M}\p{N} ]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (key === '') continue;
    return { key, label };
  }
  return { key: '', label: null };
}

// ---------------------------------------------------------------------------------------
// Dates

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a valid `YYYY-MM-DD` in 1900-2200 (the range `dates.ts` accepts), else undefined. */
function dayNumber(date: unknown): number | undefined {
  if (typeof date !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2200) return undefined;
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return Math.round(t / DAY_MS);
}

const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Rounds half away from zero to an integer (paise), never -0. */
const roundPaise = (x: number): Paise => (Math.sign(x) * Math.round(Math.abs(x))) + 0;

/** One calendar month is 365.25 / 12 = 30.4375 days. */
export const DAYS_PER_MONTH = 30.4375;

// ---------------------------------------------------------------------------------------
// Output types

export interface FlowFigures {
  /** Salary, other income and interest credits. */
  readonly incomePaise: Paise;
  /** Every other debit (rent, EMIs, card bills, UPI, cash, fees, tax, ...) less refunds. */
  readonly spendingPaise: Paise;
  /** `incomePaise - spendingPaise`, exactly. Money invested is part of it (it was not spent). */
  readonly netPaise: Paise;
  /** Net as a percentage of income, 2 decimals; null when there is no income. */
  readonly savingsRatePercent: number | null;
  /** Debits to investments (SIPs, fund purchases, FD/RD bookings, NPS, broker funding). */
  readonly investedPaise: Paise;
  /** Credits from investments (redemptions, SWP, broker payouts). */
  readonly redeemedPaise: Paise;
  /**
   * Own-account transfers: `SELF`/`OWN A/C` wording, or a debit and a credit of the same
   * amount paired as one move between the user's accounts (see `cashFlow`).
   */
  readonly transfersInPaise: Paise;
  readonly transfersOutPaise: Paise;
  /** Loan disbursals: money borrowed, neither income nor spending. */
  readonly borrowedPaise: Paise;
  /** Refund credits (already subtracted from spending). */
  readonly refundsPaise: Paise;
  /** Every credit (CREDIT and INTEREST rows) = income + refunds + redeemed + transfers in + borrowed. */
  readonly creditsPaise: Paise;
  /** Every debit (DEBIT, TDS, INSTALLMENT rows) = spending + refunds + invested + transfers out. */
  readonly debitsPaise: Paise;
  readonly transactionCount: number;
}

export interface MonthlyCashFlow extends FlowFigures {
  /** `YYYY-MM`. */
  readonly month: string;
  /** The part of the month the data covers, `YYYY-MM-DD`. */
  readonly from: string;
  readonly to: string;
  readonly daysCovered: number;
  readonly daysInMonth: number;
  /** True when the data covers only part of this calendar month. */
  readonly partial: boolean;
}

export interface CoveredPeriod {
  readonly from: string;
  readonly to: string;
  /** Inclusive day count. */
  readonly days: number;
  /** `days / 30.4375`, 2 decimals. */
  readonly months: number;
  readonly wholeMonths: readonly string[];
  readonly partialMonths: readonly string[];
}

export interface MonthlyAverages {
  readonly incomePaise: Paise;
  readonly spendingPaise: Paise;
  readonly netPaise: Paise;
  readonly investedPaise: Paise;
  /** Total net / total income over the period, 2 decimals; null without income. */
  readonly savingsRatePercent: number | null;
  /** How the averages treat partial months, in words. */
  readonly basis: string;
}

export interface CategoryTotal {
  readonly category: Category;
  /** Debits for spending categories; refunds appear as a negative amount. Credits for income. */
  readonly amountPaise: Paise;
  readonly count: number;
}

export interface RecurringPayment {
  /** Cleaned payee name from the narration, at most 40 characters; never the narration. */
  readonly counterparty: string;
  readonly category: Category;
  /** Median amount of the occurrences. */
  readonly typicalAmountPaise: Paise;
  readonly cadence: 'monthly';
  readonly occurrences: number;
  /** Mean days between occurrences, 1 decimal. */
  readonly averageIntervalDays: number;
  readonly firstDate: string;
  readonly lastDate: string;
  readonly lastAmountPaise: Paise;
}

export type EmergencyFundStatus = 'low' | 'ok' | 'strong' | 'unavailable';

export interface EmergencyFund {
  readonly status: EmergencyFundStatus;
  /** Liquid assets / average monthly spending, 1 decimal; null when unavailable. */
  readonly months: number | null;
  readonly liquidAssetsPaise: Paise | null;
  /** Savings and current account balances, each negative balance counted as zero. */
  readonly bankBalancesPaise: Paise | null;
  /** Current value of liquid, overnight and money-market funds and liquid ETFs (the allocation's cash funds). */
  readonly liquidFundsPaise: Paise;
  readonly averageMonthlySpendingPaise: Paise | null;
  readonly reason: string | null;
  /** What counts as liquid and where the thresholds come from, in words. */
  readonly definition: string;
}

export interface IncomeEstimate {
  /** Average monthly income over the covered period (days-based, see `basis`); null without bank data. */
  readonly monthlyIncomePaise: Paise | null;
  /** Median of the per-month salary totals over months with a salary credit; null when none. */
  readonly monthlySalaryPaise: Paise | null;
  /**
   * Median over every calendar month the period touches (partial ones included, a month
   * without any counting as zero) of the month's income other than salary; null without bank
   * data. A credit that recurs monthly survives the median; a one-off does not.
   */
  readonly monthlyOtherIncomePaise: Paise | null;
  /**
   * The monthly income to set obligations and plans against (EMI to income, simulation
   * defaults): with a salary, `monthlySalaryPaise + monthlyOtherIncomePaise`; without one,
   * the days-based `monthlyIncomePaise`. Null without bank data.
   */
  readonly typicalMonthlyIncomePaise: Paise | null;
  readonly typicalIncomeBasis: 'salary-plus-other' | 'days-average' | null;
  readonly salaryDetected: boolean;
  /** Number of salary or pension credits seen. */
  readonly salaryCredits: number;
  readonly basis: string;
  readonly reason: string | null;
}

export interface ExcludedRows {
  /** OPENING and CLOSING rows: balances, not money moving. */
  readonly balanceRows: number;
  /** OTHERS-type rows: no direction, so neither in nor out. */
  readonly undirected: number;
  /** Dated after `asOf`. */
  readonly afterAsOf: number;
  /** Unreadable date or amount, or a currency other than INR. */
  readonly unreadable: number;
}

export type CashFlowAnalytics =
  | {
      readonly available: true;
      readonly asOf: string;
      readonly sources: readonly AnalyticsSource[];
      readonly period: CoveredPeriod;
      /** What the period means for the figures, in words (Fi shares about two months). */
      readonly coverage: string;
      readonly months: readonly MonthlyCashFlow[];
      readonly totals: FlowFigures;
      readonly monthlyAverage: MonthlyAverages;
      /** Sums to `totals.spendingPaise` exactly; largest first. */
      readonly spendingByCategory: readonly CategoryTotal[];
      /** Sums to `totals.incomePaise` exactly; largest first. */
      readonly incomeByCategory: readonly CategoryTotal[];
      readonly recurring: readonly RecurringPayment[];
      readonly emergencyFund: EmergencyFund;
      readonly incomeEstimate: IncomeEstimate;
      readonly excluded: ExcludedRows;
    }
  | {
      readonly available: false;
      readonly asOf: string;
      readonly sources: readonly AnalyticsSource[];
      readonly reason: 'no-bank-transactions';
      readonly message: string;
      readonly incomeEstimate: IncomeEstimate;
    };

// ---------------------------------------------------------------------------------------
// Rows

interface Row {
  readonly id: string;
  readonly accountKey: string;
  readonly day: number;
  readonly date: string;
  readonly month: string;
  readonly amountPaise: Paise;
  readonly direction: 'credit' | 'debit';
  readonly category: Category;
  readonly flow: Flow;
  readonly narration: string | undefined;
}

interface Prepared {
  readonly rows: readonly Row[];
  /** Every bank row with a readable date up to asOf, including OPENING/CLOSING, for the period. */
  readonly firstDay: number | undefined;
  readonly lastDay: number | undefined;
  readonly excluded: ExcludedRows;
  readonly bankRows: number;
}

/** Transfers between the user's accounts without own-account wording look like these on each side. */
const PAIRABLE_DEBIT: ReadonlySet<Category> = new Set(['upi_spend', 'other']);
const PAIRABLE_CREDIT: ReadonlySet<Category> = new Set(['other_income']);
/** A debit and a credit in different banks at most this many days apart can be one move. */
const PAIR_DAYS = 1;
/** With a shared reference number, the two sides may post up to this many days apart (weekends). */
const PAIR_DAYS_SAME_REFERENCE = 3;

/** Reference numbers in a narration: UPI/IMPS RRNs (12 digits), NEFT/RTGS UTRs (up to 5 letters and 12-22 digits). */
function referencesOf(narration: string | undefined): string[] {
  if (typeof narration !== 'string') return [];
  return narration
    .slice(0, 1000)
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => /^[A-Z]{0,5}\d{12,22}$/.test(w));
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** A total order on rows that does not depend on the input order (ids are content hashes). */
const canonical = (a: Row, b: Row): number =>
  a.day - b.day || a.amountPaise - b.amountPaise || compareText(a.accountKey, b.accountKey) || compareText(a.narration ?? '', b.narration ?? '') || compareText(a.id, b.id);

/**
 * Moves between the user's own accounts that carry no own-account wording: a debit
 * (UPI/other) and a credit (other income) of the same amount, either in different bank
 * blocks at most a day apart, or sharing a reference number at most three days apart, are
 * paired and both become `transfers`. Debits are taken in a canonical order (date, amount,
 * bank, narration, id); each takes the unpaired credit sharing a reference first, then the
 * nearest in days, then the first in the same order. So the result does not depend on the
 * order of the input.
 */
function pairOwnTransfers(rows: readonly Row[]): Row[] {
  const debits = rows.filter((r) => r.direction === 'debit' && PAIRABLE_DEBIT.has(r.category)).sort(canonical);
  const creditsByAmount = new Map<number, Row[]>();
  for (const r of rows) {
    if (r.direction !== 'credit' || !PAIRABLE_CREDIT.has(r.category)) continue;
    const list = creditsByAmount.get(r.amountPaise) ?? [];
    list.push(r);
    creditsByAmount.set(r.amountPaise, list);
  }
  for (const list of creditsByAmount.values()) list.sort(canonical);
  const paired = new Set<Row>();
  for (const d of debits) {
    const refs = referencesOf(d.narration);
    let best: Row | undefined;
    let bestRank: [number, number] | undefined;
    for (const c of creditsByAmount.get(d.amountPaise) ?? []) {
      if (paired.has(c)) continue;
      const gap = Math.abs(c.day - d.day);
      const shared = refs.length > 0 && referencesOf(c.narration).some((ref) => refs.includes(ref));
      if (!(shared ? gap <= PAIR_DAYS_SAME_REFERENCE : gap <= PAIR_DAYS && c.accountKey !== d.accountKey)) continue;
      const rank: [number, number] = [shared ? 0 : 1, gap];
      if (bestRank === undefined || rank[0] < bestRank[0] || (rank[0] === bestRank[0] && rank[1] < bestRank[1])) {
        best = c;
        bestRank = rank;
      }
    }
    if (best !== undefined) {
      paired.add(d);
      paired.add(best);
    }
  }
  return rows.map((r) => (paired.has(r) ? { ...r, category: 'transfers', flow: 'transfer' } : r));
}

function prepare(input: AnalyticsInput): Prepared {
  const asOfDay = dayNumber(input.asOf);
  const context: CategoriseContext = { lenders: loanLenderWords(input.creditReport) };
  const rows: Row[] = [];
  const excluded = { balanceRows: 0, undirected: 0, afterAsOf: 0, unreadable: 0 };
  let firstDay: number | undefined;
  let lastDay: number | undefined;
  let bankRows = 0;
  for (const t of Array.isArray(input.transactions) ? input.transactions : []) {
    if (t === null || typeof t !== 'object' || t.kind !== 'bank') continue;
    bankRows++;
    const day = dayNumber(t.date);
    const amount = typeof t.amountPaise === 'number' ? t.amountPaise + 0 : t.amountPaise;
    if (day === undefined || !Number.isSafeInteger(amount) || amount < 0 || (t.currency !== undefined && t.currency !== 'INR')) {
      excluded.unreadable++;
      continue;
    }
    if (asOfDay !== undefined && day > asOfDay) {
      excluded.afterAsOf++;
      continue;
    }
    firstDay = firstDay === undefined ? day : Math.min(firstDay, day);
    lastDay = lastDay === undefined ? day : Math.max(lastDay, day);
    if (t.type === 'OPENING' || t.type === 'CLOSING') {
      excluded.balanceRows++;
      continue;
    }
    if (t.direction !== 'credit' && t.direction !== 'debit') {
      excluded.undirected++;
      continue;
    }
    const category = categorise(t, context);
    const date = dateOf(day);
    rows.push({
      id: typeof t.id === 'string' ? t.id : '',
      accountKey: typeof t.accountKey === 'string' ? t.accountKey : '',
      day,
      date,
      month: date.slice(0, 7),
      amountPaise: amount,
      direction: t.direction,
      category,
      flow: flowOf(category),
      narration: typeof t.narration === 'string' ? t.narration : undefined,
    });
  }
  return { rows: pairOwnTransfers(rows), firstDay, lastDay, excluded, bankRows };
}

interface Accumulator {
  income: number;
  spending: number;
  invested: number;
  redeemed: number;
  transfersIn: number;
  transfersOut: number;
  borrowed: number;
  refunds: number;
  credits: number;
  debits: number;
  count: number;
}

const emptyAccumulator = (): Accumulator => ({ income: 0, spending: 0, invested: 0, redeemed: 0, transfersIn: 0, transfersOut: 0, borrowed: 0, refunds: 0, credits: 0, debits: 0, count: 0 });

function add(acc: Accumulator, row: Row): void {
  acc.count++;
  const a = row.amountPaise;
  if (row.direction === 'credit') {
    acc.credits += a;
    if (row.flow === 'transfer') acc.transfersIn += a;
    else if (row.flow === 'investment') acc.redeemed += a;
    else if (row.flow === 'borrowing') acc.borrowed += a;
    else if (row.category === 'refunds') {
      acc.refunds += a;
      acc.spending -= a;
    } else acc.income += a;
  } else {
    acc.debits += a;
    if (row.flow === 'transfer') acc.transfersOut += a;
    else if (row.flow === 'investment') acc.invested += a;
    else acc.spending += a;
  }
}

const savingsRate = (income: number, net: number): number | null => (income > 0 ? round2((net / income) * 100) : null);

function figures(acc: Accumulator): FlowFigures {
  const net = acc.income - acc.spending;
  return {
    incomePaise: acc.income,
    spendingPaise: acc.spending + 0,
    netPaise: net + 0,
    savingsRatePercent: savingsRate(acc.income, net),
    investedPaise: acc.invested,
    redeemedPaise: acc.redeemed,
    transfersInPaise: acc.transfersIn,
    transfersOutPaise: acc.transfersOut,
    borrowedPaise: acc.borrowed,
    refundsPaise: acc.refunds,
    creditsPaise: acc.credits,
    debitsPaise: acc.debits,
    transactionCount: acc.count,
  };
}

// ---------------------------------------------------------------------------------------
// Recurring payments

/** A payee paid more often than this in one calendar month is a shop, not a subscription. */
const MAX_PAYMENTS_PER_MONTH = 3;
/**
 * "Similar" amounts: within 20% of the smallest in a cluster for bills and card-bill
 * payments (they vary by usage), within 2% for everything else (EMIs, SIPs, rent and
 * subscriptions repeat to the rupee; a looser band lets two random grocery bills pass).
 */
const VARIABLE_TOLERANCE = 0.2;
const FIXED_TOLERANCE = 0.02;
const toleranceOf = (category: Category): number => (category === 'bills' || category === 'card_payment' ? VARIABLE_TOLERANCE : FIXED_TOLERANCE);
/** Monthly: consecutive occurrences 25 to 35 days apart (a month, give or take weekends and holidays). */
const MIN_GAP_DAYS = 25;
const MAX_GAP_DAYS = 35;

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] ?? 0) : roundPaise(((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
}

/** Two or more payments, each in a different calendar month, consecutive ones 25-35 days apart. */
function isMonthly(byDate: readonly Row[]): boolean {
  if (byDate.length < 2 || new Set(byDate.map((r) => r.month)).size !== byDate.length) return false;
  for (let i = 1; i < byDate.length; i++) {
    const gap = (byDate[i]?.day ?? 0) - (byDate[i - 1]?.day ?? 0);
    if (gap < MIN_GAP_DAYS || gap > MAX_GAP_DAYS) return false;
  }
  return true;
}

/**
 * Debits to one counterparty (not own-account transfers) of similar amount (see the
 * tolerances) and one category, paid in at least two different calendar months with every
 * gap between consecutive payments 25-35 days. A payee is left out when it was paid more
 * than three times in some month, or when any of its payments falls outside such a monthly
 * pattern (cabs, groceries, cafes).
 */
function findRecurring(rows: readonly Row[]): RecurringPayment[] {
  const groups = new Map<string, { labels: Map<string, number>; rows: Row[] }>();
  for (const row of rows) {
    if (row.direction !== 'debit' || row.flow === 'transfer') continue;
    const party = counterpartyOf(row.narration);
    if (party.key === '' || party.label === null) continue;
    const group = groups.get(party.key) ?? { labels: new Map<string, number>(), rows: [] };
    group.rows.push(row);
    group.labels.set(party.label, (group.labels.get(party.label) ?? 0) + 1);
    groups.set(party.key, group);
  }
  const found: RecurringPayment[] = [];
  for (const { labels, rows: groupRows } of groups.values()) {
    // The payee's most frequent spelling; a tie goes to the first in code-point order.
    const label = [...labels.entries()].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))[0]?.[0] ?? '';
    const perMonth = new Map<string, number>();
    for (const r of groupRows) perMonth.set(r.month, (perMonth.get(r.month) ?? 0) + 1);
    if (Math.max(...perMonth.values()) > MAX_PAYMENTS_PER_MONTH) continue;
    const byAmount = [...groupRows].sort((a, b) => a.amountPaise - b.amountPaise || a.day - b.day);
    const clusters: Row[][] = [];
    for (const r of byAmount) {
      const current = clusters[clusters.length - 1];
      const base = current?.[0]?.amountPaise;
      const head = current?.[0];
      if (current && head && base !== undefined && head.category === r.category && r.amountPaise <= base * (1 + toleranceOf(r.category))) current.push(r);
      else clusters.push([r]);
    }
    const monthly = clusters.map((cluster) => [...cluster].sort((a, b) => a.day - b.day || a.amountPaise - b.amountPaise)).filter(isMonthly);
    // A payee with any payment outside a monthly pattern is a shop visited now and then.
    if (monthly.reduce((n, c) => n + c.length, 0) !== groupRows.length) continue;
    for (const byDate of monthly) {
      const first = byDate[0];
      const last = byDate[byDate.length - 1];
      if (!first || !last) continue;
      const categories = new Map<Category, number>();
      for (const r of byDate) categories.set(r.category, (categories.get(r.category) ?? 0) + 1);
      const category = [...categories.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? 'other';
      found.push({
        counterparty: label,
        category,
        typicalAmountPaise: median(byDate.map((r) => r.amountPaise).sort((a, b) => a - b)),
        cadence: 'monthly',
        occurrences: byDate.length,
        averageIntervalDays: Math.round(((last.day - first.day) / (byDate.length - 1)) * 10) / 10,
        firstDate: first.date,
        lastDate: last.date,
        lastAmountPaise: last.amountPaise,
      });
    }
  }
  return found.sort((a, b) => b.typicalAmountPaise - a.typicalAmountPaise || compareText(a.counterparty, b.counterparty) || compareText(a.category, b.category) || compareText(a.firstDate, b.firstDate));
}

// ---------------------------------------------------------------------------------------
// Emergency fund and income

/** Emergency-fund cover: under 3 months of spending is low, 3 to 6 ok, over 6 strong. */
export const EMERGENCY_FUND_MONTHS = { low: 3, strong: 6 } as const;

const EMERGENCY_FUND_DEFINITION =
  'Liquid assets are savings and current account balances from the net-worth data (a negative balance counts as zero) ' +
  'plus the funds the allocation counts as cash: liquid, overnight and money-market funds (or Fi asset class CASH) and liquid ETFs ' +
  '(redeemable within a working day). Fixed deposits, other funds, stocks and EPF are left out. ' +
  'Months = liquid assets / average monthly spending (spending excludes investments and own-account transfers). ' +
  'Status on the 1-decimal figure: under 3 months low, 3 to 6 ok, over 6 strong: the 3-6 months of expenses most financial planners advise.';

/** A holding the allocation puts in its `cash` bucket (the same rule, so both sections agree). */
const isLiquidHolding = (h: Holding): boolean => (h.kind === 'mutual_fund' && fundBucket(h) === 'cash') || (h.kind === 'etf' && etfBucket(h) === 'cash');

function liquidAssets(input: AnalyticsInput): { bank: Paise | null; funds: Paise } {
  const accounts = Array.isArray(input.accounts) ? input.accounts : [];
  const cash = accounts.filter((a) => a && (a.instrument === 'savings' || a.instrument === 'current') && !a.isLiability && a.currency === 'INR' && Number.isSafeInteger(a.balancePaise));
  const bank = cash.length === 0 ? null : cash.reduce((sum, a) => sum + Math.max(0, a.balancePaise), 0);
  const holdings = Array.isArray(input.holdings) ? input.holdings : [];
  const funds = holdings
    .filter((h) => h && typeof h === 'object' && h.currency === 'INR' && Number.isSafeInteger(h.valuePaise) && isLiquidHolding(h))
    .reduce((sum, h) => sum + Math.max(0, h.valuePaise), 0);
  return { bank, funds };
}

function emergencyFund(input: AnalyticsInput, averageSpending: Paise | null): EmergencyFund {
  const { bank, funds } = liquidAssets(input);
  const liquid = bank === null && funds === 0 ? null : (bank ?? 0) + funds;
  const base = { liquidAssetsPaise: liquid, bankBalancesPaise: bank, liquidFundsPaise: funds, averageMonthlySpendingPaise: averageSpending, definition: EMERGENCY_FUND_DEFINITION };
  if (liquid === null) return { ...base, status: 'unavailable', months: null, reason: 'No savings or current account balance is known (net-worth data missing) and no liquid fund is held.' };
  if (averageSpending === null || averageSpending <= 0) return { ...base, status: 'unavailable', months: null, reason: 'No spending in the bank data to measure cover against.' };
  const months = Math.round((liquid / averageSpending) * 10) / 10;
  const status: EmergencyFundStatus = months < EMERGENCY_FUND_MONTHS.low ? 'low' : months > EMERGENCY_FUND_MONTHS.strong ? 'strong' : 'ok';
  return { ...base, status, months, reason: null };
}

const INCOME_BASIS =
  'monthlyIncomePaise = income over the covered period / (days covered / 30.4375), so partial months count for their share of days. ' +
  'monthlySalaryPaise = median of the calendar-month salary totals over months with a salary or pension credit. ' +
  'monthlyOtherIncomePaise = median over the calendar months covered (a month without any counts as zero) of income other than salary, so a one-off credit does not count. ' +
  'typicalMonthlyIncomePaise, used for EMI to income and the simulations = salary + other income for a salaried user, else monthlyIncomePaise.';

function estimateIncome(rows: readonly Row[], firstDay: number | undefined, lastDay: number | undefined): IncomeEstimate {
  if (firstDay === undefined || lastDay === undefined || lastDay < firstDay) {
    return {
      monthlyIncomePaise: null,
      monthlySalaryPaise: null,
      monthlyOtherIncomePaise: null,
      typicalMonthlyIncomePaise: null,
      typicalIncomeBasis: null,
      salaryDetected: false,
      salaryCredits: 0,
      basis: INCOME_BASIS,
      reason: 'No bank transactions: income cannot be estimated.',
    };
  }
  const days = lastDay - firstDay + 1;
  const incomeRows = rows.filter((r) => r.direction === 'credit' && r.flow === 'income');
  const income = incomeRows.reduce((s, r) => s + r.amountPaise, 0);
  const salaryRows = incomeRows.filter((r) => r.category === 'salary');
  const perMonth = new Map<string, number>();
  for (const r of salaryRows) perMonth.set(r.month, (perMonth.get(r.month) ?? 0) + r.amountPaise);
  const salaryMonths = [...perMonth.values()].sort((a, b) => a - b);
  const otherPerMonth = new Map<string, number>(monthsOf(firstDay, lastDay).map((m) => [m.month, 0]));
  for (const r of incomeRows) if (r.category !== 'salary' && otherPerMonth.has(r.month)) otherPerMonth.set(r.month, (otherPerMonth.get(r.month) ?? 0) + r.amountPaise);
  const other = median([...otherPerMonth.values()].sort((a, b) => a - b));
  const monthlyIncome = roundPaise((income * DAYS_PER_MONTH) / days);
  const salary = salaryMonths.length > 0 ? median(salaryMonths) : null;
  return {
    monthlyIncomePaise: monthlyIncome,
    monthlySalaryPaise: salary,
    monthlyOtherIncomePaise: other,
    typicalMonthlyIncomePaise: salary !== null ? salary + other : monthlyIncome,
    typicalIncomeBasis: salary !== null ? 'salary-plus-other' : 'days-average',
    salaryDetected: salaryRows.length > 0,
    salaryCredits: salaryRows.length,
    basis: INCOME_BASIS,
    reason: null,
  };
}

/** The income estimate on its own (for debt ratios and simulations); see `IncomeEstimate`. Pure, never throws. */
export function incomeEstimate(input: AnalyticsInput): IncomeEstimate {
  const prepared = prepare(input);
  return estimateIncome(prepared.rows, prepared.firstDay, prepared.lastDay);
}

/**
 * The monthly income obligations and plans are measured against: `typicalMonthlyIncomePaise`
 * (see `IncomeEstimate`). An estimate stored before that field existed gives the salary when
 * one was detected, else the days-based average. Null when unknown or not a whole, positive
 * number of paise.
 */
export function incomeForObligations(estimate: Partial<IncomeEstimate> | null | undefined): Paise | null {
  if (!estimate || typeof estimate !== 'object') return null;
  const pick = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : null);
  if ('typicalMonthlyIncomePaise' in estimate) return pick(estimate.typicalMonthlyIncomePaise);
  return (estimate.salaryDetected === true ? pick(estimate.monthlySalaryPaise) : null) ?? pick(estimate.monthlyIncomePaise);
}

// ---------------------------------------------------------------------------------------
// The section

function monthsOf(firstDay: number, lastDay: number): { month: string; fromDay: number; toDay: number; days: number }[] {
  const out: { month: string; fromDay: number; toDay: number; days: number }[] = [];
  const first = dateOf(firstDay);
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(5, 7));
  // Dates are limited to 1900-2200, so at most 3,612 months.
  for (;;) {
    const monthStart = Math.round(Date.UTC(y, m - 1, 1) / DAY_MS);
    if (monthStart > lastDay) break;
    const monthDays = daysInMonth(y, m);
    const fromDay = Math.max(firstDay, monthStart);
    const toDay = Math.min(lastDay, monthStart + monthDays - 1);
    out.push({ month: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`, fromDay, toDay, days: monthDays });
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

function categoryTotals(rows: readonly Row[], pick: (r: Row) => boolean, sign: (r: Row) => number): CategoryTotal[] {
  const totals = new Map<Category, { amount: number; count: number }>();
  for (const r of rows) {
    if (!pick(r)) continue;
    const t = totals.get(r.category) ?? { amount: 0, count: 0 };
    t.amount += sign(r) * r.amountPaise;
    t.count++;
    totals.set(r.category, t);
  }
  return [...totals.entries()]
    .map(([category, t]) => ({ category, amountPaise: t.amount + 0, count: t.count }))
    .sort((a, b) => b.amountPaise - a.amountPaise || (a.category < b.category ? -1 : 1));
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Cash-flow analytics from the bank transactions in `input` (kind `bank`, INR, dated up to
 * `asOf`; OPENING/CLOSING and direction-less rows excluded and counted). Without any bank
 * transaction it returns `available: false` with reason `no-bank-transactions`.
 *
 * Own-account transfers are found by wording (`SELF`, `OWN A/C`) and by pairing a debit with
 * a credit of the same amount a day apart in another bank, or sharing a reference number
 * (see `pairOwnTransfers`). ACH/NACH debits to the lenders of the credit report's active
 * loans are EMIs (see `categorise`).
 *
 * Promises: per month and in total, `netPaise = incomePaise - spendingPaise` exactly;
 * `creditsPaise = income + refunds + redeemed + transfersIn + borrowed` and
 * `debitsPaise = spending + refunds + invested + transfersOut`; the category lists sum to
 * income and spending. Pure, deterministic, idempotent; never throws.
 */
export function cashFlow(input: AnalyticsInput): CashFlowAnalytics {
  const prepared = prepare(input);
  const { rows, firstDay, lastDay } = prepared;
  if (firstDay === undefined || lastDay === undefined) {
    return {
      available: false,
      asOf: input.asOf,
      sources: ['fetch_bank_transactions'],
      reason: 'no-bank-transactions',
      message: prepared.bankRows === 0 ? 'No bank transactions are connected.' : 'No readable bank transaction on or before the as-of date.',
      incomeEstimate: estimateIncome([], undefined, undefined),
    };
  }
  const days = lastDay - firstDay + 1;
  const calendar = monthsOf(firstDay, lastDay);
  const perMonth = new Map<string, Accumulator>(calendar.map((c) => [c.month, emptyAccumulator()]));
  const total = emptyAccumulator();
  for (const row of rows) {
    add(total, row);
    const acc = perMonth.get(row.month);
    if (acc) add(acc, row);
  }
  const months: MonthlyCashFlow[] = calendar.map((c) => ({
    month: c.month,
    from: dateOf(c.fromDay),
    to: dateOf(c.toDay),
    daysCovered: c.toDay - c.fromDay + 1,
    daysInMonth: c.days,
    partial: c.toDay - c.fromDay + 1 < c.days,
    ...figures(perMonth.get(c.month) ?? emptyAccumulator()),
  }));
  const totals = figures(total);
  const monthsCovered = days / DAYS_PER_MONTH;
  const average = (paise: number): Paise => roundPaise(paise / monthsCovered);
  const wholeMonths = months.filter((m) => !m.partial).map((m) => m.month);
  const partialMonths = months.filter((m) => m.partial);
  const period: CoveredPeriod = { from: dateOf(firstDay), to: dateOf(lastDay), days, months: round2(monthsCovered), wholeMonths, partialMonths: partialMonths.map((m) => m.month) };
  const partialText = partialMonths.map((m) => `${m.month}: ${m.daysCovered} of ${m.daysInMonth} days`).join('; ');
  const coverage =
    `Bank transactions cover ${period.from} to ${period.to} (${plural(days, 'day')}, ${period.months} months): ` +
    `${plural(wholeMonths.length, 'whole calendar month')}${wholeMonths.length > 0 ? ` (${wholeMonths.join(', ')})` : ''}` +
    `${partialMonths.length > 0 ? ` and ${partialMonths.length} partial (${partialText})` : ''}. ` +
    'Fi shares only about the last two months of bank transactions, so these are short-window figures; a partial month shows only the days it covers.' +
    (days < 28 ? ` Less than a month of data: the monthly averages are extrapolated from ${plural(days, 'day')}.` : '');
  const monthlyAverage: MonthlyAverages = {
    incomePaise: average(totals.incomePaise),
    spendingPaise: average(totals.spendingPaise),
    netPaise: average(totals.netPaise),
    investedPaise: average(totals.investedPaise),
    savingsRatePercent: totals.savingsRatePercent,
    basis: `Period totals divided by the covered length in months (${days} days / 30.4375 = ${period.months}); partial months count for the share of days they cover.`,
  };
  const fund = emergencyFund(input, monthlyAverage.spendingPaise);
  const sources: AnalyticsSource[] = ['fetch_bank_transactions'];
  if (fund.bankBalancesPaise !== null || fund.liquidFundsPaise > 0) sources.push('fetch_net_worth');
  return {
    available: true,
    asOf: input.asOf,
    sources,
    period,
    coverage,
    months,
    totals,
    monthlyAverage,
    spendingByCategory: categoryTotals(rows, (r) => r.flow === 'spending', (r) => (r.direction === 'credit' ? -1 : 1)),
    incomeByCategory: categoryTotals(rows, (r) => r.flow === 'income', () => 1),
    recurring: findRecurring(rows),
    emergencyFund: fund,
    incomeEstimate: estimateIncome(rows, firstDay, lastDay),
    excluded: prepared.excluded,
  };
}
