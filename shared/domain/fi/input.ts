import type { MoneyInput } from '../money.js';

/**
 * The shapes the normalisers read: Fi's documents after the zod schemas in
 * shared/contracts/fi.ts accepted them (the inferred types are assignable to these).
 * Everything is optional because Fi drops fields inconsistently; positional rows stay
 * `unknown[]` so that one odd row is skipped and reported instead of failing the document.
 */

/** Numbers Fi sends as JSON numbers or as text (credit report, EPF). */
export type LooseNumber = string | number | null;

export interface NetWorthEntryInput {
  readonly netWorthAttribute?: string;
  readonly value?: MoneyInput;
}

export interface HoldingInfoInput {
  readonly isin?: string;
  readonly issuerName?: string;
  readonly units?: LooseNumber;
  readonly lastTradedPrice?: MoneyInput;
  readonly nav?: MoneyInput;
  readonly currentValue?: MoneyInput;
  readonly investedValue?: MoneyInput;
  readonly folioNumber?: string;
}

export interface AccountSummaryInput {
  readonly currentBalance?: MoneyInput;
  readonly currentValue?: MoneyInput;
  readonly balanceDate?: string;
  readonly depositAccountType?: string;
  readonly holdingsInfo?: readonly HoldingInfoInput[];
}

export const SUMMARY_KEYS = [
  'depositSummary',
  'recurringDepositSummary',
  'equitySummary',
  'etfSummary',
  'mutualFundSummary',
  'epfSummary',
  'npsSummary',
  'sgbSummary',
  'reitSummary',
  'invitSummary',
  'creditCardSummary',
  'loanSummary',
] as const;
export type SummaryKey = (typeof SUMMARY_KEYS)[number];

export type AccountDetailsEntryInput = {
  readonly accountDetails?: {
    readonly fipId?: string;
    readonly maskedAccountNumber?: string;
    readonly accInstrumentType?: string;
    readonly accountType?: unknown;
  };
} & { readonly [K in SummaryKey]?: AccountSummaryInput };

export interface SchemeAnalyticsInput {
  readonly schemeDetail?: {
    readonly amc?: string;
    readonly nameData?: { readonly longName?: string };
    readonly planType?: string;
    readonly investmentType?: string;
    readonly optionType?: string;
    readonly nav?: MoneyInput;
    readonly assetClass?: string;
    readonly isinNumber?: string;
    readonly categoryName?: string;
    readonly fundhouseDefinedRiskLevel?: string;
  };
  readonly enrichedAnalytics?: {
    readonly analytics?: {
      readonly schemeDetails?: {
        readonly currentValue?: MoneyInput;
        readonly investedValue?: MoneyInput;
        readonly XIRR?: LooseNumber;
        readonly unrealisedReturns?: MoneyInput;
        readonly navValue?: MoneyInput;
        readonly units?: LooseNumber;
      };
    };
  };
}

export interface NetWorthInput {
  readonly netWorthResponse: {
    readonly assetValues?: readonly NetWorthEntryInput[];
    readonly liabilityValues?: readonly NetWorthEntryInput[];
    readonly totalNetWorthValue?: MoneyInput;
  };
  readonly accountDetailsBulkResponse?: {
    readonly accountDetailsMap?: Readonly<Record<string, AccountDetailsEntryInput>>;
  };
  readonly mfSchemeAnalytics?: {
    readonly schemeAnalytics?: readonly SchemeAnalyticsInput[];
  };
}

export interface BankTransactionsInput {
  readonly bankTransactions: readonly {
    readonly bank?: string;
    readonly txns?: readonly unknown[];
  }[];
}

export interface MfTransactionsInput {
  /** Current shape: positional rows `[orderType, date, purchasePrice, purchaseUnits, transactionAmount]`. */
  readonly mfTransactions?: readonly {
    readonly isin?: string;
    readonly schemeName?: string;
    readonly folioId?: string;
    readonly txns?: readonly unknown[];
  }[];
  /** Older documented shape: one object per transaction. */
  readonly transactions?: readonly {
    readonly isinNumber?: string;
    readonly folioId?: string;
    readonly externalOrderType?: string;
    readonly transactionDate?: string;
    readonly purchasePrice?: MoneyInput;
    readonly transactionAmount?: MoneyInput;
    readonly transactionUnits?: LooseNumber;
    readonly transactionMode?: string;
    readonly schemeName?: string;
  }[];
}

export interface StockTransactionsInput {
  readonly stockTransactions: readonly {
    readonly isin?: string;
    readonly txns?: readonly unknown[];
  }[];
}

export interface EpfShareInput {
  readonly credit?: LooseNumber;
  readonly balance?: LooseNumber;
}

export interface EpfEstablishmentInput {
  readonly est_name?: string;
  readonly member_id?: string;
  readonly office?: string;
  readonly doj_epf?: string;
  readonly doe_epf?: string;
  readonly doe_eps?: string;
  readonly pf_balance?: {
    readonly net_balance?: LooseNumber;
    readonly pension_balance?: LooseNumber;
    readonly employee_share?: EpfShareInput;
    readonly employer_share?: EpfShareInput;
  };
}

export interface EpfInput {
  readonly uanAccounts: readonly {
    readonly uan?: LooseNumber;
    readonly rawDetails?: {
      readonly uan?: LooseNumber;
      readonly est_details?: readonly EpfEstablishmentInput[];
      readonly overall_pf_balance?: {
        readonly pension_balance?: LooseNumber;
        readonly current_pf_balance?: LooseNumber;
        readonly employee_share_total?: EpfShareInput;
        readonly employer_share_total?: EpfShareInput;
      };
    };
  }[];
}

export interface CreditAccountRowInput {
  readonly subscriberName?: LooseNumber;
  readonly portfolioType?: LooseNumber;
  readonly accountType?: LooseNumber;
  readonly openDate?: LooseNumber;
  readonly dateClosed?: LooseNumber;
  readonly creditLimitAmount?: LooseNumber;
  readonly highestCreditOrOriginalLoanAmount?: LooseNumber;
  readonly accountStatus?: LooseNumber;
  readonly paymentRating?: LooseNumber;
  readonly paymentHistoryProfile?: LooseNumber;
  readonly currentBalance?: LooseNumber;
  readonly amountPastDue?: LooseNumber;
  readonly rateOfInterest?: LooseNumber;
  readonly repaymentTenure?: LooseNumber;
  readonly dateReported?: LooseNumber;
}

export interface CreditReportDataInput {
  readonly creditProfileHeader?: { readonly reportDate?: LooseNumber; readonly reportTime?: LooseNumber };
  readonly score?: { readonly bureauScore?: LooseNumber; readonly bureauScoreConfidenceLevel?: LooseNumber };
  readonly creditAccount?: {
    readonly creditAccountSummary?: {
      readonly account?: {
        readonly creditAccountTotal?: LooseNumber;
        readonly creditAccountActive?: LooseNumber;
        readonly creditAccountDefault?: LooseNumber;
        readonly creditAccountClosed?: LooseNumber;
      };
      readonly totalOutstandingBalance?: {
        readonly outstandingBalanceSecured?: LooseNumber;
        readonly outstandingBalanceUnSecured?: LooseNumber;
        readonly outstandingBalanceAll?: LooseNumber;
      };
    };
    /** Experian's XML-to-JSON turns a single account into an object rather than a list. */
    readonly creditAccountDetails?: readonly CreditAccountRowInput[] | CreditAccountRowInput;
  };
  readonly totalCapsSummary?: {
    readonly totalCapsLast7Days?: LooseNumber;
    readonly totalCapsLast30Days?: LooseNumber;
    readonly totalCapsLast90Days?: LooseNumber;
    readonly totalCapsLast180Days?: LooseNumber;
  };
}

export interface CreditReportInput {
  readonly creditReports: readonly {
    readonly creditReportData?: CreditReportDataInput;
    readonly vendor?: string;
  }[];
}
