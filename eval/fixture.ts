import { CONSENT_SCOPES, type Consent } from '../shared/contracts/consents.js';
import { FI_TOOLS, parseFiDocument, type FiTool } from '../shared/contracts/fi.js';
import type { AnalyticsInput } from '../shared/domain/analytics/input.js';
import { monthlyRollups, type DailySnapshot } from '../shared/domain/analytics/net-worth-history.js';
import type { Transaction } from '../shared/domain/fi/types.js';
import type { Clock } from '../shared/ports/clock.js';
import type { FinancialData, SourceState } from '../shared/ports/financial-store.js';
import type { LogFields, Logger } from '../shared/ports/logger.js';
import type { ChatDeps } from '../shared/usecases/ai/chat.usecase.js';
import type { Llm } from '../shared/ports/llm.js';
import { buildReadModels, istDate, snapshotOf } from '../shared/usecases/read-models.js';
import { InMemoryAiUsageLedger, InMemoryConsentRepo, InMemoryConversationRepo, InMemoryFinancialStore } from '../tests/support/memory-stores.js';
import { personaInput, rawPersona } from '../tests/support/persona-data.js';

/**
 * One persona as the chat sees it after a successful sync: its Fi files through the real
 * parser and normalisers (`personaInput`), committed with `buildReadModels` into in-memory
 * stores, every consent scope granted, and a net-worth history (see `replayedSnapshots`).
 */

/** When the personas were synced (their data date, 12:00 IST). */
export const SYNCED_AT = '2026-11-20T06:30:00.000Z';
/** When the questions are asked: three days after the sync. */
export const ASKED_AT = '2026-11-23T09:00:00.000Z';

/**
 * A clock that starts at `iso` and moves 10 ms on every reading: time passes as in a real run
 * (a turn's answer is later than its question, the next turn later still), deterministically.
 */
export function tickingClock(iso: string): Clock {
  let t = Date.parse(iso);
  return {
    now: () => {
      const d = new Date(t);
      t += 10;
      return d;
    },
  };
}

/** A logger that keeps nothing (the eval reads the answers, not the logs). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: (_fields: LogFields) => silentLogger,
};

const SOURCE_OF: Readonly<Record<Transaction['kind'], FiTool>> = { bank: 'fetch_bank_transactions', mf: 'fetch_mf_transactions', stock: 'fetch_stock_transactions' };

/** Per source, what a sync at `SYNCED_AT` would have recorded: `ok` for a readable document, `empty` otherwise. */
function sourcesOf(phone: string, transactions: readonly Transaction[]): Partial<Record<FiTool, SourceState>> {
  const out: Partial<Record<FiTool, SourceState>> = {};
  for (const tool of FI_TOOLS) {
    const raw: unknown = rawPersona(phone, tool);
    const readable = raw !== undefined && parseFiDocument(tool, raw).kind === 'document';
    const count = transactions.filter((t) => SOURCE_OF[t.kind] === tool).length;
    out[tool] = readable ? { status: 'ok', fetchedAt: SYNCED_AT, ...(count ? { count } : {}) } : { status: 'empty', fetchedAt: SYNCED_AT };
  }
  return out;
}

/**
 * Past daily snapshots for the net-worth history, one a week back from the sync: the
 * savings balances replayed from the bank rows' running balances (each account's balance at
 * the end of that day), every other asset and liability held at its synced value. Personas
 * without bank rows get no past snapshots (their history is the sync day alone).
 */
export function replayedSnapshots(input: AnalyticsInput, syncedAt: string): DailySnapshot[] {
  const nw = input.netWorth;
  if (!nw) return [];
  const byAccount = new Map<string, Transaction[]>();
  for (const t of input.transactions) {
    if (t.kind !== 'bank' || typeof t.balancePaise !== 'number') continue;
    const rows = byAccount.get(t.accountKey) ?? [];
    rows.push(t);
    byAccount.set(t.accountKey, rows);
  }
  if (!byAccount.size) return [];
  // Stable by date: rows of one day keep the order the normaliser gave them.
  const chains = [...byAccount.values()].map((rows) => rows.map((t, i) => ({ t, i })).sort((a, b) => (a.t.date < b.t.date ? -1 : a.t.date > b.t.date ? 1 : a.i - b.i)).map((x) => x.t));
  const first = chains.map((c) => c[0]!.date).sort()[0]!;
  const syncDay = istDate(new Date(syncedAt));
  const out: DailySnapshot[] = [];
  for (let day = Date.parse(`${syncDay}T00:00:00Z`) - 7 * 86_400_000; day >= Date.parse(`${first}T00:00:00Z`) + 7 * 86_400_000; day -= 7 * 86_400_000) {
    const date = new Date(day).toISOString().slice(0, 10);
    let delta = 0;
    for (const rows of chains) {
      const current = rows[rows.length - 1]!.balancePaise!;
      const then = rows.filter((r) => r.date <= date).at(-1)?.balancePaise ?? current;
      delta += current - then;
    }
    out.push({ date, at: `${date}T06:30:00.000Z`, netWorthPaise: nw.netWorthPaise - delta, totalAssetsPaise: nw.totalAssetsPaise - delta, totalLiabilitiesPaise: nw.totalLiabilitiesPaise });
  }
  return out.reverse();
}

export interface PersonaWorld {
  readonly phone: string;
  readonly uid: string;
  readonly input: AnalyticsInput;
  readonly store: InMemoryFinancialStore;
  readonly consents: InMemoryConsentRepo;
  readonly conversations: InMemoryConversationRepo;
  readonly ledger: InMemoryAiUsageLedger;
  /** The persona's daily snapshots, oldest first (past ones replayed, the sync's last). */
  readonly snapshots: readonly DailySnapshot[];
}

/** A persona synced into fresh in-memory stores, with every scope consented. Deterministic. */
export async function personaWorld(phone: string): Promise<PersonaWorld> {
  const uid = `eval-${phone}`;
  const input = personaInput(phone);
  const store = new InMemoryFinancialStore();
  const consents = new InMemoryConsentRepo();
  const syncedAt = new Date(SYNCED_AT);
  const gen = 1;
  for (const tool of ['fetch_bank_transactions', 'fetch_mf_transactions', 'fetch_stock_transactions'] as const) {
    await store.stageTransactions(uid, gen, tool, input.transactions.filter((t) => SOURCE_OF[t.kind] === tool));
  }
  const data: FinancialData = { committedGen: gen, sources: sourcesOf(phone, input.transactions), accounts: input.accounts, holdings: input.holdings, netWorth: input.netWorth, creditReport: input.creditReport, epf: input.epf };
  const snapshot = snapshotOf(data, syncedAt);
  await store.commit(uid, { gen, data, views: buildReadModels(data, syncedAt, input.transactions), snapshot });
  const past = replayedSnapshots(input, SYNCED_AT);
  for (const s of past) await store.putSnapshot(uid, s);
  const snapshots = [...past, ...(snapshot ? [snapshot] : [])];
  await store.saveMonthlyRollups(uid, monthlyRollups(snapshots));
  const consent: Consent = { id: `consent-${phone}`, scopes: [...CONSENT_SCOPES], purpose: 'personal_finance_insights', status: 'active', grantedAt: '2026-11-01T00:00:00.000Z', expiresAt: '2027-11-01T00:00:00.000Z' };
  await consents.create(uid, consent);
  return { phone, uid, input, store, consents, conversations: new InMemoryConversationRepo(), ledger: new InMemoryAiUsageLedger(), snapshots };
}

/** `chatTurn`'s dependencies over a persona's stores, with a day's budget no eval run reaches. */
export function chatDeps(world: PersonaWorld, llm: Llm, clock: Clock = tickingClock(ASKED_AT)): ChatDeps {
  return {
    llm,
    tools: { store: world.store, consents: world.consents, clock },
    conversations: world.conversations,
    budget: { ledger: world.ledger, clock, dailyTokens: 50_000_000, inputUsdPerMtok: 0.3, outputUsdPerMtok: 2.5 },
    clock,
    log: silentLogger,
  };
}
