import { sumPaise, type Paise } from '../money.js';
import { toIsoDate } from '../dates.js';
import { contentId, OccurrenceCounter } from './ids.js';
import type { CreditAccountRowInput, CreditReportInput } from './input.js';
import { compact, readInteger, readNumber, readRupees, readString } from './read.js';
import { sanitiseUntrustedText } from './text.js';
import type { CreditAccount, CreditEnquiries, CreditReportResult, CreditReportSummary, Skipped } from './types.js';

/** Experian account type codes we can name; `"10"` is a credit card, the rest are loans. */
const ACCOUNT_TYPES: Readonly<Record<string, string>> = {
  '01': 'auto_loan',
  '02': 'housing_loan',
  '03': 'property_loan',
  '04': 'loan_against_shares',
  '05': 'personal_loan',
  '06': 'consumer_loan',
  '07': 'gold_loan',
  '08': 'education_loan',
  '09': 'loan_to_professional',
  '13': 'two_wheeler_loan',
  '17': 'commercial_vehicle_loan',
  '32': 'used_car_loan',
  '33': 'construction_equipment_loan',
  '51': 'business_loan',
};
const CREDIT_CARD = '10';
const ACTIVE = '11';

/** `"10"`, `10` and `"010"` are the same code. */
function typeCode(value: unknown): string | undefined {
  const text = readString(value);
  if (text === undefined) return undefined;
  return /^\d+$/.test(text) ? String(Number(text)).padStart(2, '0') : text.slice(0, 10);
}


/** A bureau score is 300-900; anything else (Experian writes `""`, `"0"` or `"-1"` for none) is no score. */
function scoreOf(value: unknown): number | undefined {
  const n = readInteger(value);
  return n !== undefined && n >= 300 && n <= 900 ? n : undefined;
}

function accountOf(row: CreditAccountRowInput, occurrences: OccurrenceCounter): CreditAccount {
  const code = typeCode(row.accountType);
  const status = readString(row.accountStatus);
  // The id hashes what identifies the account to a reader, never the account number.
  const key = JSON.stringify([readString(row.subscriberName) ?? null, code ?? null, readString(row.openDate) ?? null, readString(row.highestCreditOrOriginalLoanAmount) ?? null]);
  return compact({
    id: contentId('credit-account', [key, occurrences.next(key)]),
    lender: sanitiseUntrustedText(row.subscriberName, 120) ?? 'Unknown lender',
    kind: code === CREDIT_CARD ? ('credit_card' as const) : ('loan' as const),
    loanType: code === undefined || code === CREDIT_CARD ? undefined : ACCOUNT_TYPES[code],
    accountTypeCode: code,
    portfolioType: sanitiseUntrustedText(row.portfolioType, 4),
    open: status === ACTIVE,
    statusCode: status?.slice(0, 10),
    openedOn: toIsoDate(readString(row.openDate)),
    closedOn: toIsoDate(readString(row.dateClosed)),
    reportedOn: toIsoDate(readString(row.dateReported)),
    creditLimitPaise: readRupees(row.creditLimitAmount),
    sanctionedPaise: readRupees(row.highestCreditOrOriginalLoanAmount),
    currentBalancePaise: readRupees(row.currentBalance) ?? 0,
    pastDuePaise: readRupees(row.amountPastDue) ?? 0,
    rateOfInterest: readNumber(row.rateOfInterest),
    repaymentTenureMonths: readInteger(row.repaymentTenure),
    paymentRating: sanitiseUntrustedText(row.paymentRating, 4),
    paymentHistory: sanitiseUntrustedText(row.paymentHistoryProfile, 120),
  });
}

/**
 * Normalises `fetch_credit_report` (Experian) into one summary per report, most recent
 * first: date, score (300-900, else none), accounts, enquiry counts, Experian's totals and
 * ours (open accounts, balances, card utilisation).
 *
 * Privacy: it reads only the fields it returns, so the date of birth, PAN, addresses, phone
 * numbers and account numbers in the report never reach the output. Pure and total; a
 * report without data or a readable report date is listed in `skipped`.
 */
export function normaliseCreditReport(doc: CreditReportInput): CreditReportResult {
  const reports: CreditReportSummary[] = [];
  const skipped: Skipped[] = [];
  doc.creditReports.forEach((report, index) => {
    const data = report.creditReportData;
    if (data === undefined) return void skipped.push({ reason: 'report has no creditReportData', index, path: 'creditReports' });
    const reportDate = toIsoDate(readString(data.creditProfileHeader?.reportDate));
    if (reportDate === undefined) return void skipped.push({ reason: 'report date missing or unreadable', index, path: 'creditReports' });

    const rows = data.creditAccount?.creditAccountDetails;
    const list = rows === undefined ? [] : Array.isArray(rows) ? rows : [rows as CreditAccountRowInput];
    const occurrences = new OccurrenceCounter();
    const accounts = list.map((row) => accountOf(row, occurrences));

    const open = accounts.filter((a) => a.open);
    const openCards = open.filter((a) => a.kind === 'credit_card');
    const limited = openCards.filter((a) => a.creditLimitPaise !== undefined && a.creditLimitPaise > 0);
    const openCardLimitPaise = sumPaise(limited.map((a) => a.creditLimitPaise ?? 0)) ?? 0;
    const limitedBalance = sumPaise(limited.map((a) => a.currentBalancePaise)) ?? 0;
    const summary = data.creditAccount?.creditAccountSummary;
    const caps = data.totalCapsSummary;
    const enquiries: CreditEnquiries = compact({
      last7Days: readInteger(caps?.totalCapsLast7Days),
      last30Days: readInteger(caps?.totalCapsLast30Days),
      last90Days: readInteger(caps?.totalCapsLast90Days),
      last180Days: readInteger(caps?.totalCapsLast180Days),
    });
    const pastDue: Paise = sumPaise(accounts.map((a) => a.pastDuePaise)) ?? 0;
    reports.push(
      compact({
        vendor: sanitiseUntrustedText(report.vendor, 40),
        reportDate,
        score: scoreOf(data.score?.bureauScore),
        scoreConfidence: sanitiseUntrustedText(data.score?.bureauScoreConfidenceLevel, 20),
        accounts,
        enquiries: Object.keys(enquiries).length > 0 ? enquiries : undefined,
        totals: compact({
          accountsTotal: readInteger(summary?.account?.creditAccountTotal),
          accountsActive: readInteger(summary?.account?.creditAccountActive),
          accountsDefault: readInteger(summary?.account?.creditAccountDefault),
          accountsClosed: readInteger(summary?.account?.creditAccountClosed),
          outstandingSecuredPaise: readRupees(summary?.totalOutstandingBalance?.outstandingBalanceSecured),
          outstandingUnsecuredPaise: readRupees(summary?.totalOutstandingBalance?.outstandingBalanceUnSecured),
          outstandingAllPaise: readRupees(summary?.totalOutstandingBalance?.outstandingBalanceAll),
          openAccounts: open.length,
          openBalancePaise: sumPaise(open.map((a) => a.currentBalancePaise)) ?? 0,
          pastDuePaise: pastDue,
          openCardLimitPaise,
          openCardBalancePaise: sumPaise(openCards.map((a) => a.currentBalancePaise)) ?? 0,
          cardUtilisationPercent: openCardLimitPaise > 0 ? Math.round((limitedBalance / openCardLimitPaise) * 10_000) / 100 : undefined,
        }),
      }),
    );
  });
  reports.sort((a, b) => (a.reportDate < b.reportDate ? 1 : a.reportDate > b.reportDate ? -1 : 0));
  return { reports, skipped };
}
