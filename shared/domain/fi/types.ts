import type { Paise } from '../money.js';
import type { FiToolName } from './tools.js';

/**
 * Our model of a user's Fi data, as the normalisers produce it. Every amount is integer
 * paise (cents for USD) with its currency; every date is `YYYY-MM-DD`; every instant is a
 * UTC ISO string. Nothing here holds a full account number, a PAN or a date of birth.
 */

/** A row or value the normaliser could not read; the rest of the document is still used. */
export interface Skipped {
  /** Why it was skipped, in words; never contains the row's content. */
  readonly reason: string;
  /** Index of the row within its list (`path` says which list). */
  readonly index: number;
  /** Dotted path of the list, e.g. `bankTransactions.1.txns`. */
  readonly path: string;
}

export type AccountInstrument =
  | 'savings'
  | 'current'
  | 'deposit'
  | 'recurring_deposit'
  | 'equities'
  | 'etf'
  | 'mutual_funds'
  | 'epf'
  | 'nps'
  | 'sgb'
  | 'reit'
  | 'invit'
  | 'credit_card'
  | 'loan'
  | 'us_securities'
  | 'other';

export interface Account {
  /** Deterministic: a hash of Fi's account key, so a re-sync keeps it. */
  readonly id: string;
  readonly source: FiToolName;
  readonly instrument: AccountInstrument;
  readonly fipId?: string;
  /** `XX` and the last four digits Fi shows (`XX4821`), or `XX` when it shows none. */
  readonly maskedNumber: string;
  /** For liabilities, the positive amount owed. */
  readonly balancePaise: Paise;
  readonly currency: string;
  /** UTC ISO instant of the balance, when Fi gives one. */
  readonly asOf?: string;
  readonly isLiability: boolean;
}

export type HoldingKind = 'mutual_fund' | 'equity' | 'etf' | 'us_equity' | 'sgb' | 'nps' | 'other';

export interface Holding {
  readonly id: string;
  readonly accountId?: string;
  readonly kind: HoldingKind;
  readonly isin?: string;
  readonly name: string;
  readonly units?: number;
  readonly valuePaise: Paise;
  readonly investedPaise?: Paise;
  readonly navPaise?: Paise;
  readonly currency: string;
  readonly xirrPercent?: number;
  readonly assetClass?: string;
  readonly category?: string;
  readonly amc?: string;
  readonly folio?: string;
}

export type TransactionKind = 'bank' | 'mf' | 'stock';
export type TransactionDirection = 'credit' | 'debit' | 'other';
export type BankTransactionType = 'CREDIT' | 'DEBIT' | 'OPENING' | 'INTEREST' | 'TDS' | 'INSTALLMENT' | 'CLOSING' | 'OTHERS';
export type InvestmentTransactionType = 'BUY' | 'SELL' | 'BONUS' | 'SPLIT';
export type TransactionType = BankTransactionType | InvestmentTransactionType;

export interface Transaction {
  /** Deterministic from content plus the occurrence among identical rows (see the normalisers). */
  readonly id: string;
  readonly kind: TransactionKind;
  /** Bank block name (bank), `isin:folio` (mf), or ISIN (stock). */
  readonly accountKey: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** From the user's cash point of view: a BUY is a debit, a SELL a credit. */
  readonly direction: TransactionDirection;
  readonly type: TransactionType;
  /** Unsigned, >= 0; `direction` carries the sign. */
  readonly amountPaise: Paise;
  readonly currency: string;
  readonly mode?: string;
  /** Third-party text: control characters removed, at most 500 UTF-16 units. Data, never instructions. */
  readonly narration?: string;
  readonly balancePaise?: Paise;
  readonly units?: number;
  readonly pricePaise?: Paise;
  readonly schemeName?: string;
}

export interface NetWorthSummary {
  /** Keyed by Fi's attribute without its prefix, lower-cased: `mutual_fund`, `savings_accounts`, ... */
  readonly assetsByType: Readonly<Record<string, Paise>>;
  /** Positive amounts owed, keyed like `home_loan`, `credit_card`, whichever convention Fi used. */
  readonly liabilitiesByType: Readonly<Record<string, Paise>>;
  readonly totalAssetsPaise: Paise;
  readonly totalLiabilitiesPaise: Paise;
  /** Ours: total assets minus total liabilities, computed from the entries. */
  readonly netWorthPaise: Paise;
  /** Fi's `totalNetWorthValue`, kept beside ours. */
  readonly fiTotalPaise?: Paise;
  /** `fiTotalPaise - netWorthPaise`, 0 when Fi gave no total. */
  readonly mismatchPaise: Paise;
  /** True when Fi gave a total and it differs from ours by at least one paisa. */
  readonly mismatch: boolean;
}

export interface NetWorthResult {
  readonly accounts: readonly Account[];
  readonly holdings: readonly Holding[];
  readonly netWorth: NetWorthSummary;
  readonly skipped: readonly Skipped[];
}

export interface TransactionsResult {
  readonly transactions: readonly Transaction[];
  readonly skipped: readonly Skipped[];
}

export interface CreditAccount {
  /** Deterministic from lender, type, open date and amount, plus occurrence; never the account number. */
  readonly id: string;
  readonly lender: string;
  readonly kind: 'credit_card' | 'loan';
  /** A readable loan type from Experian's account type code, when known. */
  readonly loanType?: string;
  /** Experian's account type code as given (`"10"` is a credit card). */
  readonly accountTypeCode?: string;
  /** `R` revolving or `I` instalment. */
  readonly portfolioType?: string;
  /** Experian's status `"11"` (active). */
  readonly open: boolean;
  readonly statusCode?: string;
  readonly openedOn?: string;
  readonly closedOn?: string;
  readonly reportedOn?: string;
  readonly creditLimitPaise?: Paise;
  readonly sanctionedPaise?: Paise;
  readonly currentBalancePaise: Paise;
  readonly pastDuePaise: Paise;
  readonly rateOfInterest?: number;
  readonly repaymentTenureMonths?: number;
  /** `"0"` means current. */
  readonly paymentRating?: string;
  /** One character a month, most recent first, as Experian gives it. */
  readonly paymentHistory?: string;
}

export interface CreditEnquiries {
  readonly last7Days?: number;
  readonly last30Days?: number;
  readonly last90Days?: number;
  readonly last180Days?: number;
}

export interface CreditReportTotals {
  /** Experian's own counts, when present. */
  readonly accountsTotal?: number;
  readonly accountsActive?: number;
  readonly accountsDefault?: number;
  readonly accountsClosed?: number;
  readonly outstandingSecuredPaise?: Paise;
  readonly outstandingUnsecuredPaise?: Paise;
  readonly outstandingAllPaise?: Paise;
  /** Ours, from the account rows: open accounts and their balances. */
  readonly openAccounts: number;
  readonly openBalancePaise: Paise;
  readonly pastDuePaise: Paise;
  readonly openCardLimitPaise: Paise;
  readonly openCardBalancePaise: Paise;
  /** Open card balance / open card limit, in percent (2 decimals); absent without limits. */
  readonly cardUtilisationPercent?: number;
}

export interface CreditReportSummary {
  readonly vendor?: string;
  /** `YYYY-MM-DD`. */
  readonly reportDate: string;
  readonly score?: number;
  readonly scoreConfidence?: string;
  readonly accounts: readonly CreditAccount[];
  readonly enquiries?: CreditEnquiries;
  readonly totals: CreditReportTotals;
}

export interface CreditReportResult {
  /** Most recent report first. */
  readonly reports: readonly CreditReportSummary[];
  readonly skipped: readonly Skipped[];
}

export interface EpfAccount {
  /** Deterministic from the UAN and member id (hashed, so the raw ids are not exposed). */
  readonly id: string;
  /** Masked: `XX` and the last four characters. */
  readonly uan?: string;
  /** Masked: `XX` and the last four characters of the member id. */
  readonly memberId: string;
  readonly establishment: string;
  readonly office?: string;
  readonly joinedOn?: string;
  readonly exitedOn?: string;
  readonly employeeSharePaise: Paise;
  readonly employerSharePaise: Paise;
  readonly pensionPaise?: Paise;
  readonly balancePaise: Paise;
  /**
   * The member left this employer (an exit date is set, so no contribution can follow) and
   * money is still parked there: worth transferring to the current account.
   */
  readonly dormant: boolean;
  /** Position of its UAN in Fi's `uanAccounts` (and in `EpfResult.uans`), 0-based. */
  readonly uanIndex: number;
}

export interface EpfUanSummary {
  readonly uan?: string;
  readonly establishments: number;
  readonly pensionPaise?: Paise;
  readonly currentPfBalancePaise?: Paise;
  readonly employeeShareTotalPaise?: Paise;
  readonly employerShareTotalPaise?: Paise;
}

export interface EpfResult {
  readonly accounts: readonly EpfAccount[];
  readonly uans: readonly EpfUanSummary[];
  /** Sum of the accounts' balances. */
  readonly totalBalancePaise: Paise;
  readonly skipped: readonly Skipped[];
}
