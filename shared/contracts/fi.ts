import { z } from 'zod';
import { FI_TOOL_NAMES, SUMMARY_KEYS } from '../domain/fi/index.js';
import type {
  BankTransactionsInput,
  CreditReportInput,
  EpfInput,
  MfTransactionsInput,
  NetWorthInput,
  StockTransactionsInput,
} from '../domain/fi/index.js';

/**
 * Fi Money MCP: the six tools and the documents they return (see the team's fi-mcp.md).
 * Schemas are tolerant (unknown fields pass through; fields Fi drops inconsistently are
 * optional) but reject a document of the wrong kind for its tool: each requires its tool's
 * own top-level key. Positional transaction rows are accepted as lists of anything, so one
 * odd row is skipped (and reported) by the normaliser instead of failing the whole document.
 */
export const FI_TOOLS = FI_TOOL_NAMES;
export type FiTool = (typeof FI_TOOLS)[number];

/** Fi's money: `{currencyCode?, units?: "<int>", nanos?: int}`. */
export const FiMoney = z.looseObject({
  currencyCode: z.string().optional(),
  units: z.union([z.string().regex(/^-?\d+$/, 'expected an integer string'), z.number().int()]).optional(),
  nanos: z.number().int().optional(),
});
export type FiMoney = z.infer<typeof FiMoney>;

/** Numbers Fi writes as JSON numbers or as text (credit report and EPF amounts, counts, dates). */
const LooseNumber = z.union([z.string(), z.number()]).nullable();
/**
 * A positional row. Deliberately unchecked here: the normaliser reads and checks its columns
 * and skips (and reports) a row it cannot read, so one odd row never fails a whole sync.
 */
const Row = z.unknown();

// ---------------------------------------------------------------- fetch_net_worth

export const FiNetWorthEntry = z.looseObject({
  netWorthAttribute: z.string().optional(),
  value: FiMoney.optional(),
});

const FiHoldingInfo = z.looseObject({
  isin: z.string().optional(),
  issuerName: z.string().optional(),
  units: LooseNumber.optional(),
  lastTradedPrice: FiMoney.optional(),
  nav: FiMoney.optional(),
  currentValue: FiMoney.optional(),
  investedValue: FiMoney.optional(),
  folioNumber: z.string().optional(),
});

const FiAccountSummary = z.looseObject({
  currentBalance: FiMoney.optional(),
  currentValue: FiMoney.optional(),
  balanceDate: z.string().optional(),
  depositAccountType: z.string().optional(),
  holdingsInfo: z.array(FiHoldingInfo).optional(),
});

const summaries = Object.fromEntries(SUMMARY_KEYS.map((k) => [k, FiAccountSummary.optional()])) as Record<(typeof SUMMARY_KEYS)[number], z.ZodOptional<typeof FiAccountSummary>>;

export const FiAccountDetailsEntry = z.looseObject({
  accountDetails: z
    .looseObject({
      fipId: z.string().optional(),
      maskedAccountNumber: z.string().optional(),
      accInstrumentType: z.string().optional(),
      ifscCode: z.string().optional(),
      accountType: z.unknown().optional(),
      fipMeta: z.unknown().optional(),
    })
    .optional(),
  ...summaries,
});

export const FiSchemeAnalytics = z.looseObject({
  schemeDetail: z
    .looseObject({
      amc: z.string().optional(),
      nameData: z.looseObject({ longName: z.string().optional() }).optional(),
      planType: z.string().optional(),
      investmentType: z.string().optional(),
      optionType: z.string().optional(),
      nav: FiMoney.optional(),
      assetClass: z.string().optional(),
      isinNumber: z.string().optional(),
      categoryName: z.string().optional(),
      fundhouseDefinedRiskLevel: z.string().optional(),
    })
    .optional(),
  enrichedAnalytics: z
    .looseObject({
      analytics: z
        .looseObject({
          schemeDetails: z
            .looseObject({
              currentValue: FiMoney.optional(),
              investedValue: FiMoney.optional(),
              XIRR: LooseNumber.optional(),
              unrealisedReturns: FiMoney.optional(),
              absoluteReturns: FiMoney.optional(),
              realisedReturns: FiMoney.optional(),
              navValue: FiMoney.optional(),
              units: LooseNumber.optional(),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

export const FiNetWorthDocument = z.looseObject({
  netWorthResponse: z.looseObject({
    assetValues: z.array(FiNetWorthEntry).optional(),
    liabilityValues: z.array(FiNetWorthEntry).optional(),
    totalNetWorthValue: FiMoney.optional(),
  }),
  accountDetailsBulkResponse: z.looseObject({ accountDetailsMap: z.record(z.string(), FiAccountDetailsEntry).optional() }).optional(),
  mfSchemeAnalytics: z.looseObject({ schemeAnalytics: z.array(FiSchemeAnalytics).optional() }).optional(),
});
export type FiNetWorthDocument = z.infer<typeof FiNetWorthDocument>;

// ---------------------------------------------------------------- fetch_credit_report

export const FiCreditAccountRow = z.looseObject({
  subscriberName: LooseNumber.optional(),
  portfolioType: LooseNumber.optional(),
  accountType: LooseNumber.optional(),
  openDate: LooseNumber.optional(),
  dateClosed: LooseNumber.optional(),
  creditLimitAmount: LooseNumber.optional(),
  highestCreditOrOriginalLoanAmount: LooseNumber.optional(),
  accountStatus: LooseNumber.optional(),
  paymentRating: LooseNumber.optional(),
  paymentHistoryProfile: LooseNumber.optional(),
  currentBalance: LooseNumber.optional(),
  amountPastDue: LooseNumber.optional(),
  rateOfInterest: LooseNumber.optional(),
  repaymentTenure: LooseNumber.optional(),
  dateReported: LooseNumber.optional(),
});

export const FiCreditReportData = z.looseObject({
  creditProfileHeader: z.looseObject({ reportDate: LooseNumber.optional(), reportTime: LooseNumber.optional() }).optional(),
  score: z.looseObject({ bureauScore: LooseNumber.optional(), bureauScoreConfidenceLevel: LooseNumber.optional() }).optional(),
  // Holds the date of birth and identifiers: tolerated, never typed, never read.
  currentApplication: z.unknown().optional(),
  creditAccount: z
    .looseObject({
      creditAccountSummary: z
        .looseObject({
          account: z
            .looseObject({
              creditAccountTotal: LooseNumber.optional(),
              creditAccountActive: LooseNumber.optional(),
              creditAccountDefault: LooseNumber.optional(),
              creditAccountClosed: LooseNumber.optional(),
            })
            .optional(),
          totalOutstandingBalance: z
            .looseObject({
              outstandingBalanceSecured: LooseNumber.optional(),
              outstandingBalanceUnSecured: LooseNumber.optional(),
              outstandingBalanceAll: LooseNumber.optional(),
            })
            .optional(),
        })
        .optional(),
      // Experian's XML-to-JSON gives a single account as an object instead of a list.
      creditAccountDetails: z.union([z.array(FiCreditAccountRow), FiCreditAccountRow]).optional(),
    })
    .optional(),
  totalCapsSummary: z
    .looseObject({
      totalCapsLast7Days: LooseNumber.optional(),
      totalCapsLast30Days: LooseNumber.optional(),
      totalCapsLast90Days: LooseNumber.optional(),
      totalCapsLast180Days: LooseNumber.optional(),
    })
    .optional(),
});

export const FiCreditReportDocument = z.looseObject({
  creditReports: z.array(z.looseObject({ creditReportData: FiCreditReportData.optional(), vendor: z.string().optional() })),
});
export type FiCreditReportDocument = z.infer<typeof FiCreditReportDocument>;

// ---------------------------------------------------------------- fetch_epf_details

const FiEpfShare = z.looseObject({ credit: LooseNumber.optional(), balance: LooseNumber.optional() });

export const FiEpfEstablishment = z.looseObject({
  est_name: z.string().optional(),
  member_id: z.string().optional(),
  office: z.string().optional(),
  doj_epf: z.string().optional(),
  doe_epf: z.string().optional(),
  doe_eps: z.string().optional(),
  pf_balance: z
    .looseObject({
      net_balance: LooseNumber.optional(),
      pension_balance: LooseNumber.optional(),
      employee_share: FiEpfShare.optional(),
      employer_share: FiEpfShare.optional(),
    })
    .optional(),
});

export const FiEpfDocument = z.looseObject({
  uanAccounts: z.array(
    z.looseObject({
      phoneNumber: z.unknown().optional(),
      uan: LooseNumber.optional(),
      rawDetails: z
        .looseObject({
          uan: LooseNumber.optional(),
          est_details: z.array(FiEpfEstablishment).optional(),
          overall_pf_balance: z
            .looseObject({
              pension_balance: LooseNumber.optional(),
              current_pf_balance: LooseNumber.optional(),
              employee_share_total: FiEpfShare.optional(),
              employer_share_total: FiEpfShare.optional(),
            })
            .optional(),
        })
        .optional(),
    }),
  ),
});
export type FiEpfDocument = z.infer<typeof FiEpfDocument>;

// ---------------------------------------------------------------- fetch_mf_transactions

/** Current shape: rows `[orderType (1 BUY, 2 SELL), "YYYY-MM-DD", purchasePrice, purchaseUnits, transactionAmount]`. */
export const FiMfTransactionBlock = z.looseObject({
  isin: z.string().optional(),
  schemeName: z.string().optional(),
  folioId: z.string().optional(),
  txns: z.array(Row).optional(),
});

/** Older documented shape: one object per transaction. */
export const FiMfTransactionLegacy = z.looseObject({
  isinNumber: z.string().optional(),
  folioId: z.string().optional(),
  externalOrderType: z.string().optional(),
  transactionDate: z.string().optional(),
  purchasePrice: FiMoney.optional(),
  transactionAmount: FiMoney.optional(),
  transactionUnits: LooseNumber.optional(),
  transactionMode: z.string().optional(),
  schemeName: z.string().optional(),
});

/** Either shape (or both); at least one of `mfTransactions` and `transactions` must be there. */
export const FiMfTransactionsDocument = z
  .looseObject({
    mfTransactions: z.array(FiMfTransactionBlock).optional(),
    transactions: z.array(FiMfTransactionLegacy).optional(),
  })
  .refine((d) => d.mfTransactions !== undefined || d.transactions !== undefined, {
    message: 'expected a list in mfTransactions (or the older transactions)',
    path: ['mfTransactions'],
  });
export type FiMfTransactionsDocument = z.infer<typeof FiMfTransactionsDocument>;

// ---------------------------------------------------------------- fetch_bank_transactions

/** Rows: `[amount, narration, date, type (1..8), mode, balance]`, all text but type. */
export const FiBankTransactionsDocument = z.looseObject({
  bankTransactions: z.array(z.looseObject({ bank: z.string().optional(), txns: z.array(Row).optional() })),
});
export type FiBankTransactionsDocument = z.infer<typeof FiBankTransactionsDocument>;

// ---------------------------------------------------------------- fetch_stock_transactions

/** Rows: `[type (1 BUY, 2 SELL, 3 BONUS, 4 SPLIT), "YYYY-MM-DD", quantity, price?]`. */
export const FiStockTransactionsDocument = z.looseObject({
  stockTransactions: z.array(z.looseObject({ isin: z.string().optional(), txns: z.array(Row).optional() })),
});
export type FiStockTransactionsDocument = z.infer<typeof FiStockTransactionsDocument>;

// ---------------------------------------------------------------- per tool

export const FiToolSchemas = {
  fetch_net_worth: FiNetWorthDocument,
  fetch_credit_report: FiCreditReportDocument,
  fetch_epf_details: FiEpfDocument,
  fetch_mf_transactions: FiMfTransactionsDocument,
  fetch_bank_transactions: FiBankTransactionsDocument,
  fetch_stock_transactions: FiStockTransactionsDocument,
} as const satisfies Record<FiTool, z.ZodType>;

/** The validated document type of each tool. */
export interface FiDocuments {
  fetch_net_worth: FiNetWorthDocument;
  fetch_credit_report: FiCreditReportDocument;
  fetch_epf_details: FiEpfDocument;
  fetch_mf_transactions: FiMfTransactionsDocument;
  fetch_bank_transactions: FiBankTransactionsDocument;
  fetch_stock_transactions: FiStockTransactionsDocument;
}

// Compile-time proof that what the schemas accept is what the domain normalisers read.
type Fits<A extends B, B> = A;
export type FiDocumentsFitTheNormalisers = [
  Fits<FiNetWorthDocument, NetWorthInput>,
  Fits<FiCreditReportDocument, CreditReportInput>,
  Fits<FiEpfDocument, EpfInput>,
  Fits<FiMfTransactionsDocument, MfTransactionsInput>,
  Fits<FiBankTransactionsDocument, BankTransactionsInput>,
  Fits<FiStockTransactionsDocument, StockTransactionsInput>,
];

export type FiParseResult<D extends Record<string, unknown> = Record<string, unknown>> =
  | { readonly kind: 'document'; readonly document: D }
  | { readonly kind: 'not-connected' }
  | { readonly kind: 'malformed'; readonly reason: string };

/**
 * Classifies one tool's parsed JSON: `{}` (or only `schemaDescription`) is "not connected";
 * anything the tool's schema rejects (including a document of another tool's kind) is
 * malformed, with a reason naming the first offending field (`tool: path: message`, at most
 * 300 characters, never the offending value); otherwise the validated document, typed for
 * the tool, with unknown fields kept. Pure; never throws.
 */
export function parseFiDocument<T extends FiTool>(tool: T, value: unknown): FiParseResult<FiDocuments[T]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'malformed', reason: `${tool}: expected a JSON object` };
  const keys = Object.keys(value).filter((k) => k !== 'schemaDescription');
  if (keys.length === 0) return { kind: 'not-connected' };
  const schema: z.ZodType = FiToolSchemas[tool];
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(document)';
    return { kind: 'malformed', reason: `${tool}: ${field}: ${issue?.message ?? 'invalid'}`.slice(0, 300) };
  }
  return { kind: 'document', document: parsed.data as FiDocuments[T] };
}
