import type { FiTool } from '../contracts/fi.js';
import type { DailySnapshot, MonthlyRollup } from '../domain/analytics/net-worth-history.js';
import type { Account, CreditReportSummary, EpfResult, Holding, NetWorthSummary, Transaction } from '../domain/fi/types.js';

/** How one source fared in the last sync that touched it. */
export interface SourceState {
  readonly status: 'ok' | 'empty' | 'failed' | 'skipped' | 'erased';
  /** When its data was fetched (the data's as-of time), for `ok` and `empty`. */
  readonly fetchedAt?: string;
  readonly count?: number;
  readonly reason?: string;
}

/** What the read models are built from: the committed generation. */
export interface FinancialData {
  /** The committed generation; transaction documents above it are not yet visible. */
  readonly committedGen: number;
  readonly sources: Readonly<Partial<Record<FiTool, SourceState>>>;
  readonly accounts: readonly Account[];
  readonly holdings: readonly Holding[];
  readonly netWorth: NetWorthSummary | null;
  readonly creditReport: CreditReportSummary | null;
  readonly epf: EpfResult | null;
}

/** The precomputed read models, one document each under `users/{uid}/views/{name}`. */
export type ViewName = 'overview' | 'assets' | 'liabilities' | 'credit' | 'epf' | 'analytics';
export type Views = Readonly<Record<ViewName, Record<string, unknown>>>;

/** `YYYY-MM-DD` (IST): one snapshot a day, the last sync of the day wins. */
export type NetWorthSnapshot = DailySnapshot;

/** One generation to make visible at once. */
export interface Commit {
  readonly gen: number;
  readonly data: FinancialData;
  readonly views: Views;
  readonly snapshot: NetWorthSnapshot | null;
}

export interface TransactionQuery {
  readonly accountKey?: string;
  readonly kind?: Transaction['kind'];
  /** Inclusive `YYYY-MM-DD` bounds. */
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  /** Opaque cursor from a previous page. */
  readonly cursor?: string;
}

export interface TransactionPage {
  readonly items: ReadonlyArray<Transaction & { readonly source: FiTool }>;
  readonly nextCursor: string | null;
}

/**
 * A user's financial data in Firestore, written one generation at a time so that readers
 * see the old state or the new one, never a half: transactions are staged under the next
 * generation number (invisible to readers), then one batch replaces the small documents
 * (accounts, holdings, credit, EPF), the views, the day's snapshot and the committed
 * generation together.
 */
export interface FinancialStore {
  read(uid: string): Promise<FinancialData>;
  /**
   * Stages a source's transactions under `gen`: writes only ids not stored yet (ids are
   * content hashes, so a stored id is an unchanged transaction). Idempotent.
   */
  stageTransactions(uid: string, gen: number, tool: FiTool, transactions: readonly Transaction[]): Promise<{ written: number; unchanged: number }>;
  /** Makes a generation visible, atomically. Unchanged small documents are not rewritten. */
  commit(uid: string, commit: Commit): Promise<{ written: number }>;
  /** Deletes what was stored from these tools, and the snapshots derived from net worth. */
  erase(uid: string, tools: readonly FiTool[]): Promise<void>;
  view(uid: string, name: ViewName): Promise<Record<string, unknown> | null>;
  transactions(uid: string, query: TransactionQuery): Promise<TransactionPage>;
  /** The latest `limit` daily snapshots, oldest first. */
  snapshots(uid: string, limit: number): Promise<NetWorthSnapshot[]>;
  /**
   * Every transaction of generation `maxGen` or older (committed, or staged by the run
   * about to commit `maxGen`), all sources, without their storage fields.
   */
  allTransactions(uid: string, maxGen: number): Promise<Transaction[]>;
  /** Monthly net-worth rollups (`netWorthMonthly/{YYYY-MM}`), oldest first. */
  monthlyRollups(uid: string): Promise<MonthlyRollup[]>;
  /** Writes rollups whose content changed; returns how many were written. Idempotent. */
  saveMonthlyRollups(uid: string, rollups: readonly MonthlyRollup[]): Promise<number>;
}
