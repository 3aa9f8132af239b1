import type { Account, CreditReportSummary, EpfResult, Holding, NetWorthSummary, Transaction } from '../fi/types.js';

/**
 * Everything the analytics read: one user's committed, normalised Fi data. Pure data; the
 * analytics never fetch, never read a clock (`asOf` is given) and never throw on odd data.
 */
export interface AnalyticsInput {
  /** `YYYY-MM-DD` (IST): the day the figures are computed for (XIRR's terminal date, ages, periods). */
  readonly asOf: string;
  readonly accounts: readonly Account[];
  readonly holdings: readonly Holding[];
  readonly netWorth: NetWorthSummary | null;
  /** Every committed transaction, all kinds (bank, mf, stock), in no particular order. */
  readonly transactions: readonly Transaction[];
  readonly creditReport: CreditReportSummary | null;
  readonly epf: EpfResult | null;
}

/** Where a section's figures come from: Fi's tools, by name. */
export type AnalyticsSource =
  | 'fetch_net_worth'
  | 'fetch_credit_report'
  | 'fetch_epf_details'
  | 'fetch_mf_transactions'
  | 'fetch_bank_transactions'
  | 'fetch_stock_transactions';

/** Rounds a ratio or percentage for display: 2 decimals, half away from zero, no -0. */
export const round2 = (x: number): number => (Math.sign(x) * Math.round(Math.abs(x) * 100)) / 100 + 0;
