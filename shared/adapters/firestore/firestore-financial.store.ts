import type { DocumentReference, Firestore, Query, WriteBatch } from '@google-cloud/firestore';
import type { FiTool } from '../../contracts/fi.js';
import { AppError } from '../../domain/errors.js';
import type { MonthlyRollup } from '../../domain/analytics/net-worth-history.js';
import type { Account, CreditReportSummary, EpfAccount, EpfResult, Holding, NetWorthSummary, Transaction } from '../../domain/fi/types.js';
import type {
  Commit,
  FinancialData,
  FinancialStore,
  NetWorthSnapshot,
  SourceState,
  TransactionPage,
  TransactionQuery,
  ViewName,
} from '../../ports/financial-store.js';
import { plain } from './client.js';

/** Firestore keeps batches well under its limits at this size. */
const BATCH = 400;

interface StateDoc {
  committedGen: number;
  sources: Partial<Record<FiTool, SourceState>>;
  netWorth: NetWorthSummary | null;
  epfUans: EpfResult['uans'] | null;
  epfTotalPaise: number | null;
}

type StoredTxn = Transaction & { source: FiTool; gen: number };

const stable = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

/**
 * Layout under `users/{uid}`: `state/financial` (committed generation, per-source state,
 * net-worth summary), `accounts/{id}`, `holdings/{id}`, `transactions/{id}` (one document
 * per transaction, with `source` and `gen`), `creditReports/{reportDate}`, `epf/{id}`,
 * `netWorth/{YYYY-MM-DD}`, `views/{name}`.
 */
export class FirestoreFinancialStore implements FinancialStore {
  constructor(private readonly db: Firestore) {}

  private user(uid: string) {
    return this.db.collection('users').doc(uid);
  }

  private stateRef(uid: string) {
    return this.user(uid).collection('state').doc('financial');
  }

  async read(uid: string): Promise<FinancialData> {
    const u = this.user(uid);
    const [state, accounts, holdings, credit, epf] = await Promise.all([
      this.stateRef(uid).get(),
      u.collection('accounts').get(),
      u.collection('holdings').get(),
      u.collection('creditReports').orderBy('reportDate', 'desc').limit(1).get(),
      u.collection('epf').get(),
    ]);
    const s = (state.data() as StateDoc | undefined) ?? { committedGen: 0, sources: {}, netWorth: null, epfUans: null, epfTotalPaise: null };
    const epfAccounts = epf.docs.map((d) => d.data() as EpfAccount);
    return {
      committedGen: s.committedGen,
      sources: s.sources,
      accounts: accounts.docs.map((d) => d.data() as Account),
      holdings: holdings.docs.map((d) => d.data() as Holding),
      netWorth: s.netWorth,
      creditReport: credit.empty ? null : (credit.docs[0]!.data() as CreditReportSummary),
      epf: s.epfUans || epfAccounts.length ? { accounts: epfAccounts, uans: s.epfUans ?? [], totalBalancePaise: s.epfTotalPaise ?? 0, skipped: [] } : null,
    };
  }

  async stageTransactions(uid: string, gen: number, tool: FiTool, transactions: readonly Transaction[]): Promise<{ written: number; unchanged: number }> {
    const col = this.user(uid).collection('transactions');
    const existing = new Set((await col.where('source', '==', tool).select().get()).docs.map((d) => d.id));
    const fresh = transactions.filter((t) => !existing.has(t.id));
    for (let i = 0; i < fresh.length; i += BATCH) {
      const batch = this.db.batch();
      for (const t of fresh.slice(i, i + BATCH)) batch.set(col.doc(t.id), plain<StoredTxn>({ ...t, source: tool, gen }));
      await batch.commit();
    }
    return { written: fresh.length, unchanged: transactions.length - fresh.length };
  }

  async commit(uid: string, c: Commit): Promise<{ written: number }> {
    const u = this.user(uid);
    const current = await this.read(uid);
    const ops: Array<(b: WriteBatch) => void> = [];
    const replace = <T extends { id: string }>(col: string, before: readonly T[], after: readonly T[]) => {
      const prev = new Map(before.map((x) => [x.id, stable(x)]));
      const next = new Set(after.map((x) => x.id));
      for (const x of after) if (prev.get(x.id) !== stable(x)) ops.push((b) => b.set(u.collection(col).doc(x.id), plain(x)));
      for (const id of prev.keys()) if (!next.has(id)) ops.push((b) => b.delete(u.collection(col).doc(id)));
    };
    replace('accounts', current.accounts, c.data.accounts);
    replace('holdings', current.holdings, c.data.holdings);
    replace('epf', current.epf?.accounts ?? [], c.data.epf?.accounts ?? []);
    const nextCredit = c.data.creditReport;
    const prevCredit = current.creditReport;
    if (stable(nextCredit) !== stable(prevCredit)) {
      if (prevCredit && prevCredit.reportDate !== nextCredit?.reportDate && !nextCredit) ops.push((b) => b.delete(u.collection('creditReports').doc(prevCredit.reportDate)));
      if (nextCredit) ops.push((b) => b.set(u.collection('creditReports').doc(nextCredit.reportDate), plain(nextCredit)));
    }
    for (const [name, view] of Object.entries(c.views)) ops.push((b) => b.set(u.collection('views').doc(name), plain(view)));
    if (c.snapshot) {
      const snap = c.snapshot;
      ops.push((b) => b.set(u.collection('netWorth').doc(snap.date), plain(snap)));
    }
    const state: StateDoc = {
      committedGen: c.gen,
      sources: c.data.sources,
      netWorth: c.data.netWorth,
      epfUans: c.data.epf?.uans ?? null,
      epfTotalPaise: c.data.epf?.totalBalancePaise ?? null,
    };
    ops.push((b) => b.set(this.stateRef(uid), plain(state)));
    if (ops.length > 490) {
      throw new AppError('INTERNAL', `a generation of ${ops.length} document writes does not fit one atomic batch`);
    }
    const batch = this.db.batch();
    for (const op of ops) op(batch);
    await batch.commit();
    return { written: ops.length };
  }

  async erase(uid: string, tools: readonly FiTool[]): Promise<void> {
    const u = this.user(uid);
    const targets: Query[] = [];
    for (const tool of tools) {
      if (tool === 'fetch_net_worth') targets.push(u.collection('accounts'), u.collection('holdings'), u.collection('netWorth'), u.collection('netWorthMonthly'));
      else if (tool === 'fetch_credit_report') targets.push(u.collection('creditReports'));
      else if (tool === 'fetch_epf_details') targets.push(u.collection('epf'));
      else targets.push(u.collection('transactions').where('source', '==', tool));
    }
    for (const q of targets) await this.deleteAll(q);
    await this.db.runTransaction(async (tx) => {
      const snap = await tx.get(this.stateRef(uid));
      if (!snap.exists) return;
      const s = snap.data() as StateDoc;
      const sources = { ...s.sources };
      for (const t of tools) sources[t] = { status: 'erased' };
      tx.set(this.stateRef(uid), {
        ...s,
        sources,
        ...(tools.includes('fetch_net_worth') ? { netWorth: null } : {}),
        ...(tools.includes('fetch_epf_details') ? { epfUans: null, epfTotalPaise: null } : {}),
      });
    });
  }

  private async deleteAll(q: Query): Promise<void> {
    for (;;) {
      const snap = await q.select().limit(BATCH).get();
      if (snap.empty) return;
      const batch = this.db.batch();
      snap.docs.forEach((d) => batch.delete(d.ref as DocumentReference));
      await batch.commit();
    }
  }

  async view(uid: string, name: ViewName): Promise<Record<string, unknown> | null> {
    const snap = await this.user(uid).collection('views').doc(name).get();
    return snap.exists ? (snap.data() as Record<string, unknown>) : null;
  }

  async transactions(uid: string, query: TransactionQuery): Promise<TransactionPage> {
    const state = await this.stateRef(uid).get();
    const committed = (state.data() as StateDoc | undefined)?.committedGen ?? 0;
    let q: Query = this.user(uid).collection('transactions');
    if (query.kind) q = q.where('kind', '==', query.kind);
    if (query.accountKey) q = q.where('accountKey', '==', query.accountKey);
    if (query.from) q = q.where('date', '>=', query.from);
    if (query.to) q = q.where('date', '<=', query.to);
    q = q.orderBy('date', 'desc').orderBy('id', 'desc');
    let after = decodeCursor(query.cursor);
    const items: StoredTxn[] = [];
    // Staged documents of an uncommitted generation are skipped; they are rare, so a few
    // extra reads at most.
    for (let round = 0; round < 5 && items.length <= query.limit; round++) {
      const page = await (after ? q.startAfter(after.date, after.id) : q).limit(query.limit + 1).get();
      for (const d of page.docs) {
        const t = d.data() as StoredTxn;
        if (t.gen <= committed) items.push(t);
      }
      if (page.size < query.limit + 1) break;
      const last = page.docs[page.docs.length - 1]!.data() as StoredTxn;
      after = { date: last.date, id: last.id };
    }
    const pageItems = items.slice(0, query.limit);
    const more = items.length > query.limit;
    const last = pageItems[pageItems.length - 1];
    return {
      items: pageItems.map(({ gen: _gen, ...t }) => t),
      nextCursor: more && last ? encodeCursor({ date: last.date, id: last.id }) : null,
    };
  }

  async snapshots(uid: string, limit: number): Promise<NetWorthSnapshot[]> {
    const snap = await this.user(uid).collection('netWorth').orderBy('date', 'desc').limit(limit).get();
    return snap.docs.map((d) => d.data() as NetWorthSnapshot).reverse();
  }

  async allTransactions(uid: string, maxGen: number): Promise<Transaction[]> {
    const snap = await this.user(uid).collection('transactions').get();
    return snap.docs
      .map((d) => d.data() as StoredTxn)
      .filter((t) => t.gen <= maxGen)
      .map(({ gen: _gen, source: _source, ...t }) => t);
  }

  async monthlyRollups(uid: string): Promise<MonthlyRollup[]> {
    const snap = await this.user(uid).collection('netWorthMonthly').orderBy('month').get();
    return snap.docs.map((d) => d.data() as MonthlyRollup);
  }

  async saveMonthlyRollups(uid: string, rollups: readonly MonthlyRollup[]): Promise<number> {
    const col = this.user(uid).collection('netWorthMonthly');
    const before = new Map((await col.get()).docs.map((d) => [d.id, stable(d.data())]));
    const changed = rollups.filter((r) => before.get(r.month) !== stable(plain(r)));
    for (let i = 0; i < changed.length; i += BATCH) {
      const batch = this.db.batch();
      for (const r of changed.slice(i, i + BATCH)) batch.set(col.doc(r.month), plain(r));
      await batch.commit();
    }
    return changed.length;
  }
}

const encodeCursor = (c: { date: string; id: string }): string => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(cursor: string | undefined): { date: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (c && typeof c === 'object' && typeof (c as { date?: unknown }).date === 'string' && typeof (c as { id?: unknown }).id === 'string') {
      return c as { date: string; id: string };
    }
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION.INVALID_INPUT', 'cursor is invalid: use the nextCursor of a previous page', { problems: [{ field: 'cursor', message: 'not a cursor we issued' }] });
}
