import type { Consent } from '../../shared/contracts/consents.js';
import type { FiTool } from '../../shared/contracts/fi.js';
import type { MonthlyRollup } from '../../shared/domain/analytics/net-worth-history.js';
import { AppError } from '../../shared/domain/errors.js';
import type { Transaction } from '../../shared/domain/fi/types.js';
import type { AiUsageDay, AiUsageEntry, AiUsageLedger } from '../../shared/ports/ai-usage.js';
import type { ConsentRepo } from '../../shared/ports/consents.js';
import type { Conversation, ConversationRepo, StoredChatMessage } from '../../shared/ports/conversations.js';
import type { Commit, FinancialData, FinancialStore, NetWorthSnapshot, TransactionPage, TransactionQuery, ViewName, Views } from '../../shared/ports/financial-store.js';
import type { InsightJob, InsightRepo, StoredInsight } from '../../shared/ports/insights.js';

/**
 * Typed in-memory implementations of the data ports, with the semantics of the Firestore
 * adapters (generations, paging, atomic appends, idempotent writes), for use cases run
 * without the emulator: the chat eval, benches and unit tests. Every read returns a copy,
 * as a database read would, so a caller cannot change what is stored by mutating a result.
 */

const copy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** Stable JSON (sorted keys), to tell an unchanged document from a changed one. */
const stable = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

const EMPTY_DATA: FinancialData = { committedGen: 0, sources: {}, accounts: [], holdings: [], netWorth: null, creditReport: null, epf: null };

type StoredTxn = Transaction & { readonly source: FiTool; readonly gen: number };

interface UserFinancials {
  data: FinancialData;
  views: Partial<Views>;
  readonly transactions: Map<string, StoredTxn>;
  readonly snapshots: Map<string, NetWorthSnapshot>;
  readonly rollups: Map<string, MonthlyRollup>;
}

const encodeCursor = (c: { date: string; id: string }): string => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(cursor: string | undefined): { date: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (c && typeof c === 'object' && typeof (c as { date?: unknown }).date === 'string' && typeof (c as { id?: unknown }).id === 'string') return c as { date: string; id: string };
  } catch {
    // not a cursor we issued
  }
  throw new AppError('VALIDATION.INVALID_INPUT', 'cursor is invalid: use the nextCursor of a previous page', { problems: [{ field: 'cursor', message: 'not a cursor we issued' }] });
}

/** Newest first, then by id descending: the order of the Firestore query (`date desc, id desc`). */
const newestFirst = (a: { date: string; id: string }, b: { date: string; id: string }): number => (a.date !== b.date ? (a.date < b.date ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * `FinancialStore` in memory. Transactions staged under a generation above the committed one
 * stay invisible to `transactions` until `commit` makes that generation visible; `commit`
 * replaces the small documents and views at once; `erase` removes a source's data and marks
 * it erased. Pages of `transactions` follow the Firestore adapter: newest first, opaque
 * cursors, an invalid cursor is `VALIDATION.INVALID_INPUT`.
 */
export class InMemoryFinancialStore implements FinancialStore {
  private readonly users = new Map<string, UserFinancials>();

  private user(uid: string): UserFinancials {
    let u = this.users.get(uid);
    if (!u) {
      u = { data: EMPTY_DATA, views: {}, transactions: new Map(), snapshots: new Map(), rollups: new Map() };
      this.users.set(uid, u);
    }
    return u;
  }

  async read(uid: string): Promise<FinancialData> {
    return copy(this.user(uid).data);
  }

  async stageTransactions(uid: string, gen: number, tool: FiTool, transactions: readonly Transaction[]): Promise<{ written: number; unchanged: number }> {
    const stored = this.user(uid).transactions;
    let written = 0;
    for (const t of transactions) {
      const existing = stored.get(t.id);
      if (existing && existing.source === tool) continue;
      stored.set(t.id, copy({ ...t, source: tool, gen }));
      written++;
    }
    return { written, unchanged: transactions.length - written };
  }

  /** Counts documents written as the Firestore adapter does: changed or deleted small documents, every view, the snapshot, the state. */
  async commit(uid: string, c: Commit): Promise<{ written: number }> {
    const u = this.user(uid);
    const changed = <T extends { id: string }>(before: readonly T[], after: readonly T[]): number => {
      const prev = new Map(before.map((x) => [x.id, stable(x)]));
      const next = new Set(after.map((x) => x.id));
      return after.filter((x) => prev.get(x.id) !== stable(x)).length + [...prev.keys()].filter((id) => !next.has(id)).length;
    };
    const written =
      changed(u.data.accounts, c.data.accounts) +
      changed(u.data.holdings, c.data.holdings) +
      changed(u.data.epf?.accounts ?? [], c.data.epf?.accounts ?? []) +
      (stable(u.data.creditReport) !== stable(c.data.creditReport) && c.data.creditReport ? 1 : 0) +
      Object.keys(c.views).length +
      (c.snapshot ? 1 : 0) +
      1;
    u.data = copy({ ...c.data, committedGen: c.gen });
    u.views = copy(c.views);
    if (c.snapshot) u.snapshots.set(c.snapshot.date, copy(c.snapshot));
    return { written };
  }

  async erase(uid: string, tools: readonly FiTool[]): Promise<void> {
    const u = this.user(uid);
    for (const [id, t] of u.transactions) if (tools.includes(t.source)) u.transactions.delete(id);
    const sources = { ...u.data.sources };
    for (const t of tools) sources[t] = { status: 'erased' };
    const netWorth = tools.includes('fetch_net_worth');
    if (netWorth) {
      u.snapshots.clear();
      u.rollups.clear();
    }
    u.data = {
      ...u.data,
      sources,
      ...(netWorth ? { accounts: [], holdings: [], netWorth: null } : {}),
      ...(tools.includes('fetch_credit_report') ? { creditReport: null } : {}),
      ...(tools.includes('fetch_epf_details') ? { epf: null } : {}),
    };
  }

  async view(uid: string, name: ViewName): Promise<Record<string, unknown> | null> {
    return copy(this.user(uid).views[name] ?? null);
  }

  async transactions(uid: string, query: TransactionQuery): Promise<TransactionPage> {
    const u = this.user(uid);
    const after = decodeCursor(query.cursor);
    const limit = Math.max(0, Math.floor(query.limit));
    const visible = [...u.transactions.values()]
      .filter((t) => t.gen <= u.data.committedGen)
      .filter((t) => (query.kind ? t.kind === query.kind : true) && (query.accountKey ? t.accountKey === query.accountKey : true))
      .filter((t) => (query.from ? t.date >= query.from : true) && (query.to ? t.date <= query.to : true))
      .sort(newestFirst)
      .filter((t) => !after || newestFirst(t, after) > 0);
    const page = visible.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ gen: _gen, ...t }) => copy(t)),
      nextCursor: visible.length > limit && last ? encodeCursor({ date: last.date, id: last.id }) : null,
    };
  }

  async snapshots(uid: string, limit: number): Promise<NetWorthSnapshot[]> {
    const all = [...this.user(uid).snapshots.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return copy(limit > 0 ? all.slice(-limit) : []);
  }

  async allTransactions(uid: string, maxGen: number): Promise<Transaction[]> {
    return [...this.user(uid).transactions.values()].filter((t) => t.gen <= maxGen).map(({ gen: _gen, source: _source, ...t }) => copy(t));
  }

  async monthlyRollups(uid: string): Promise<MonthlyRollup[]> {
    return copy([...this.user(uid).rollups.values()].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0)));
  }

  async saveMonthlyRollups(uid: string, rollups: readonly MonthlyRollup[]): Promise<number> {
    const stored = this.user(uid).rollups;
    let written = 0;
    for (const r of rollups) {
      if (stable(stored.get(r.month)) === stable(r)) continue;
      stored.set(r.month, copy(r));
      written++;
    }
    return written;
  }

  /** For fixtures: a day's snapshot as a past sync would have written it. */
  async putSnapshot(uid: string, snapshot: NetWorthSnapshot): Promise<void> {
    this.user(uid).snapshots.set(snapshot.date, copy(snapshot));
  }
}

/** `ConsentRepo` in memory: newest grant first (at most 100), revoking only an active consent. */
export class InMemoryConsentRepo implements ConsentRepo {
  private readonly byUser = new Map<string, Map<string, Consent>>();

  private col(uid: string): Map<string, Consent> {
    let m = this.byUser.get(uid);
    if (!m) {
      m = new Map();
      this.byUser.set(uid, m);
    }
    return m;
  }

  async create(uid: string, consent: Consent): Promise<void> {
    const col = this.col(uid);
    if (col.has(consent.id)) throw new AppError('CONFLICT', 'a consent with this id exists');
    col.set(consent.id, copy(consent));
  }

  async list(uid: string): Promise<Consent[]> {
    return copy([...this.col(uid).values()].sort((a, b) => (a.grantedAt < b.grantedAt ? 1 : a.grantedAt > b.grantedAt ? -1 : 0)).slice(0, 100));
  }

  async get(uid: string, id: string): Promise<Consent | null> {
    return copy(this.col(uid).get(id) ?? null);
  }

  async revoke(uid: string, id: string, at: string): Promise<Consent | null> {
    const col = this.col(uid);
    const consent = col.get(id);
    if (!consent || consent.status !== 'active') return null;
    const revoked: Consent = { ...consent, status: 'revoked', revokedAt: at };
    col.set(id, revoked);
    return copy(revoked);
  }
}

/**
 * `ConversationRepo` in memory, as the Firestore adapter behaves: messages are read in id
 * order (the chat writes ids that sort in conversation order), the last `limit` oldest first;
 * `append` writes the conversation and its messages together and adds the number of messages
 * appended to the stored `messageCount` (so two racing turns both count).
 */
export class InMemoryConversationRepo implements ConversationRepo {
  private readonly byUser = new Map<string, Map<string, { conversation: Conversation; messages: Map<string, StoredChatMessage> }>>();

  private col(uid: string) {
    let m = this.byUser.get(uid);
    if (!m) {
      m = new Map();
      this.byUser.set(uid, m);
    }
    return m;
  }

  async get(uid: string, id: string): Promise<Conversation | null> {
    return copy(this.col(uid).get(id)?.conversation ?? null);
  }

  async list(uid: string, limit: number): Promise<Conversation[]> {
    return copy(
      [...this.col(uid).values()]
        .map((c) => c.conversation)
        .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0))
        .slice(0, Math.max(0, limit)),
    );
  }

  async messages(uid: string, id: string, limit: number): Promise<StoredChatMessage[]> {
    const c = this.col(uid).get(id);
    if (!c || limit <= 0) return [];
    const byId = [...c.messages.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return copy(byId.slice(-limit));
  }

  async append(uid: string, conversation: Conversation, messages: readonly StoredChatMessage[]): Promise<void> {
    const col = this.col(uid);
    const stored = col.get(conversation.id);
    const next = new Map(stored?.messages ?? []);
    for (const m of messages) next.set(m.id, copy(m));
    const messageCount = (stored?.conversation.messageCount ?? 0) + messages.length;
    // One replacement of the entry: the question and its answer land together.
    col.set(conversation.id, { conversation: copy({ ...conversation, messageCount }), messages: next });
  }

  async delete(uid: string, id: string): Promise<boolean> {
    return this.col(uid).delete(id);
  }
  async deleteAll(uid: string): Promise<void> {
    this.byUser.delete(uid);
  }

}

/** `AiUsageLedger` in memory: daily totals and reservations per user and IST day, plus every entry. */
export class InMemoryAiUsageLedger implements AiUsageLedger {
  private readonly days = new Map<string, AiUsageDay>();
  /** Every call recorded, in order, with its user and day. */
  readonly entries: Array<AiUsageEntry & { readonly uid: string; readonly day: string }> = [];

  private get(uid: string, day: string): AiUsageDay {
    return this.days.get(`${uid}|${day}`) ?? { day, inputTokens: 0, outputTokens: 0, calls: 0, costUsd: 0, reserved: 0 };
  }

  async day(uid: string, day: string): Promise<AiUsageDay> {
    return { ...this.get(uid, day) };
  }

  /** Check and hold in one synchronous step: as atomic as the Firestore transaction. */
  async reserve(uid: string, day: string, tokens: number, limit: number): Promise<boolean> {
    const d = this.get(uid, day);
    if (d.inputTokens + d.outputTokens + d.reserved >= limit) return false;
    this.days.set(`${uid}|${day}`, { ...d, reserved: d.reserved + Math.max(0, tokens) });
    return true;
  }

  async record(uid: string, day: string, entry: AiUsageEntry, release = 0): Promise<AiUsageDay> {
    const d = this.get(uid, day);
    const next: AiUsageDay = {
      day,
      inputTokens: d.inputTokens + entry.inputTokens,
      outputTokens: d.outputTokens + entry.outputTokens,
      calls: d.calls + 1,
      costUsd: d.costUsd + entry.costUsd,
      reserved: Math.max(0, d.reserved - Math.max(0, release)),
    };
    this.days.set(`${uid}|${day}`, next);
    this.entries.push({ ...entry, uid, day });
    return { ...next };
  }

  async release(uid: string, day: string, tokens: number): Promise<void> {
    const d = this.get(uid, day);
    this.days.set(`${uid}|${day}`, { ...d, reserved: Math.max(0, d.reserved - Math.max(0, tokens)) });
  }
}

/** `InsightRepo` in memory: insights keyed by their content hash id, so a re-run adds nothing twice. */
export class InMemoryInsightRepo implements InsightRepo {
  private readonly insights = new Map<string, Map<string, StoredInsight>>();
  private readonly jobs = new Map<string, Map<string, InsightJob>>();

  private of<T>(m: Map<string, Map<string, T>>, uid: string): Map<string, T> {
    let inner = m.get(uid);
    if (!inner) {
      inner = new Map();
      m.set(uid, inner);
    }
    return inner;
  }

  async saveNew(uid: string, insights: readonly StoredInsight[]): Promise<number> {
    const col = this.of(this.insights, uid);
    let fresh = 0;
    for (const i of insights) {
      if (col.has(i.id)) continue;
      col.set(i.id, copy(i));
      fresh++;
    }
    return fresh;
  }

  async list(uid: string, query: { readonly category?: StoredInsight['category']; readonly limit: number; readonly now: string }): Promise<StoredInsight[]> {
    return copy(
      [...this.of(this.insights, uid).values()]
        .filter((i) => i.expiresAt > query.now && (!query.category || i.category === query.category))
        .filter((i) => i.status === 'active' || (i.status === 'snoozed' && (i.snoozedUntil ?? '') <= query.now))
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? -1 : 1))
        .slice(0, Math.max(0, query.limit)),
    );
  }

  async get(uid: string, id: string): Promise<StoredInsight | null> {
    return copy(this.of(this.insights, uid).get(id) ?? null);
  }

  async update(uid: string, id: string, patch: Partial<Pick<StoredInsight, 'status' | 'snoozedUntil' | 'statusChangedAt'>>): Promise<void> {
    const col = this.of(this.insights, uid);
    const current = col.get(id);
    // Firestore's update() fails on a missing document.
    if (!current) throw new AppError('NOT_FOUND', 'No insight with this id');
    col.set(id, copy({ ...current, ...patch }));
  }

  async saveJob(uid: string, job: InsightJob): Promise<void> {
    this.of(this.jobs, uid).set(job.jobId, copy(job));
  }

  async getJob(uid: string, jobId: string): Promise<InsightJob | null> {
    return copy(this.of(this.jobs, uid).get(jobId) ?? null);
  }

  async deleteAll(uid: string): Promise<void> {
    this.insights.delete(uid);
  }
}
