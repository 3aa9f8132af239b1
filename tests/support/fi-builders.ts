/**
 * Small builders of Fi Money documents in Fi's own shapes (see fi-mcp.md), for the
 * normaliser tests. Each returns plain JSON, as the MCP client would hand it over.
 */

export interface Money {
  currencyCode?: string;
  units?: string;
  nanos?: number;
}

/** Rupees as Fi writes them: `inr('-1234', -500000000)` is -1234.50. */
export const inr = (units: string, nanos = 0): Money => ({ currencyCode: 'INR', units, ...(nanos === 0 ? {} : { nanos }) });

export const anEntry = (netWorthAttribute: string, value: Money): Record<string, unknown> => ({ netWorthAttribute, value });

export function aNetWorthDoc(o: {
  assets?: Record<string, unknown>[];
  liabilities?: Record<string, unknown>[];
  total?: Money;
  accounts?: Record<string, unknown>;
  schemes?: Record<string, unknown>[];
} = {}): Record<string, unknown> {
  return {
    netWorthResponse: {
      assetValues: o.assets ?? [anEntry('ASSET_TYPE_SAVINGS_ACCOUNTS', inr('1000'))],
      ...(o.liabilities ? { liabilityValues: o.liabilities } : {}),
      ...(o.total ? { totalNetWorthValue: o.total } : {}),
    },
    ...(o.accounts ? { accountDetailsBulkResponse: { accountDetailsMap: o.accounts } } : {}),
    ...(o.schemes ? { mfSchemeAnalytics: { schemeAnalytics: o.schemes } } : {}),
  };
}

export function anAccount(instrument: string, summaryKey: string, summary: Record<string, unknown>, masked = 'XXXXXX4821'): Record<string, unknown> {
  return {
    accountDetails: { fipId: 'DEMO-FIP', maskedAccountNumber: masked, accInstrumentType: `ACC_INSTRUMENT_TYPE_${instrument}` },
    [summaryKey]: summary,
  };
}

export function aScheme(isin: string, name: string, value: Money, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemeDetail: { amc: 'DEMO_AMC', nameData: { longName: name }, nav: inr('45', 120000000), assetClass: 'EQUITY', isinNumber: isin, categoryName: 'Flexi Cap Fund' },
    enrichedAnalytics: { analytics: { schemeDetails: { currentValue: value, investedValue: inr('1000'), XIRR: 12.34, units: 10.5, ...extra } } },
  };
}

export type Cell = string | number | null;

export interface BankRow {
  amount?: Cell;
  narration?: Cell;
  date?: Cell;
  type?: Cell;
  mode?: Cell;
  balance?: Cell;
}

/** `[amount, narration, date, type, mode, balance]`. */
export const aBankRow = (r: BankRow = {}): Cell[] => {
  const or = (v: Cell | undefined, d: Cell): Cell => (v === undefined ? d : v);
  return [or(r.amount, '250.00'), or(r.narration, 'UPI/DR/123/Cafe/okaxis'), or(r.date, '2026-10-01'), or(r.type, 2), or(r.mode, 'UPI'), or(r.balance, '10000.00')];
};

export const aBankDoc = (...blocks: { bank: string; txns: unknown[] }[]): Record<string, unknown> => ({
  schemaDescription: 'rows are [amount, narration, date, type, mode, balance]',
  bankTransactions: blocks,
});

/** Current MF shape row: `[orderType, date, purchasePrice, purchaseUnits, transactionAmount]`. */
export const anMfRow = (type: Cell = 1, date: Cell = '2026-01-05', price: Cell = 45.12, units: Cell = 110.824, amount: Cell = 5000): Cell[] => [type, date, price, units, amount];

export const anMfDoc = (...blocks: { isin: string; schemeName?: string; folioId?: string; txns: unknown[] }[]): Record<string, unknown> => ({
  mfTransactions: blocks.map((b) => ({ schemeName: 'Demo Flexi Cap Fund', folioId: '1234567/89', ...b })),
  schemaDescription: 'rows are [orderType, date, purchasePrice, purchaseUnits, transactionAmount]',
});

export const aLegacyMfTxn = (o: Record<string, unknown> = {}): Record<string, unknown> => ({
  isinNumber: 'INF000DEMO01',
  folioId: '1234567/89',
  externalOrderType: 'BUY',
  transactionDate: '2026-01-04T18:30:00Z',
  purchasePrice: inr('45', 120000000),
  transactionAmount: inr('5000'),
  transactionUnits: 110.824,
  transactionMode: 'N',
  schemeName: 'Demo Flexi Cap Fund',
  ...o,
});

export const aStockDoc = (...blocks: { isin: string; txns: unknown[] }[]): Record<string, unknown> => ({
  schemaDescription: 'rows are [type, date, quantity, price?]',
  stockTransactions: blocks,
});

export const anEstablishment = (o: Record<string, unknown> = {}): Record<string, unknown> => ({
  est_name: 'DEMO SOFTWARE PVT LTD',
  member_id: 'MHBAN00123450000067890',
  office: '(RO)BANDRA',
  doj_epf: '01-04-2019',
  doe_epf: 'NOT AVAILABLE',
  doe_eps: 'NOT AVAILABLE',
  pf_balance: { net_balance: '250000', employee_share: { credit: '150000', balance: '180000' }, employer_share: { credit: '50000', balance: '70000' } },
  ...o,
});

export const anEpfDoc = (...uans: { uan?: string; establishments: Record<string, unknown>[]; pension?: string }[]): Record<string, unknown> => ({
  uanAccounts: uans.map((u) => ({
    phoneNumber: { countryCode: '91', nationalNumber: '9999999999' },
    ...(u.uan ? { uan: u.uan } : {}),
    rawDetails: { est_details: u.establishments, overall_pf_balance: { pension_balance: u.pension ?? '50000', current_pf_balance: '250000' } },
  })),
});

export const aCreditAccountRow = (o: Record<string, unknown> = {}): Record<string, unknown> => ({
  subscriberName: 'DEMO BANK',
  portfolioType: 'R',
  accountType: '10',
  accountNumber: '4111111111111111',
  openDate: '20210315',
  creditLimitAmount: '100000',
  highestCreditOrOriginalLoanAmount: '100000',
  accountStatus: '11',
  paymentRating: '0',
  paymentHistoryProfile: '000000000000',
  currentBalance: '25000',
  amountPastDue: '0',
  rateOfInterest: '',
  repaymentTenure: '0',
  dateReported: '20261031',
  ...o,
});

export const A_DATE_OF_BIRTH = '19900412';
export const A_PAN = 'ABCPE1234F';

export const aCreditReportDoc = (o: { score?: string; reportDate?: string; rows?: unknown } = {}): Record<string, unknown> => ({
  creditReports: [
    {
      vendor: 'EXPERIAN',
      creditReportData: {
        creditProfileHeader: { reportDate: o.reportDate ?? '20261120', reportTime: '101512' },
        score: { bureauScore: o.score ?? '781', bureauScoreConfidenceLevel: 'H' },
        currentApplication: { currentApplicationDetails: { currentApplicantDetails: { dateOfBirthApplicant: A_DATE_OF_BIRTH, incomeTaxPan: A_PAN } } },
        creditAccount: {
          creditAccountSummary: { account: { creditAccountTotal: '1', creditAccountActive: '1', creditAccountDefault: '0', creditAccountClosed: '0' } },
          creditAccountDetails: o.rows ?? [aCreditAccountRow()],
        },
        totalCapsSummary: { totalCapsLast7Days: '0', totalCapsLast30Days: '1', totalCapsLast90Days: '2', totalCapsLast180Days: '3' },
      },
    },
  ],
});

/** A deterministic shuffle (mulberry32), so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** True when `s` holds a control character (C0 but tab/LF/CR, DEL, C1) or a bidi override. */
export function hasControlChars(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if ((cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return true;
  }
  return false;
}
