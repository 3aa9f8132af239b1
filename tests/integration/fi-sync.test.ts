import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EnvelopeSecretBox } from '../../shared/adapters/crypto/envelope.js';
import { LocalKeyWrapper } from '../../shared/adapters/crypto/local-key-wrapper.js';
import { FirestoreAuditLog } from '../../shared/adapters/firestore/firestore-audit.log.js';
import { FirestoreConnectionRepo } from '../../shared/adapters/firestore/firestore-connection.repo.js';
import { FirestoreConsentRepo } from '../../shared/adapters/firestore/firestore-consent.repo.js';
import { FirestoreFinancialStore } from '../../shared/adapters/firestore/firestore-financial.store.js';
import { FirestoreSyncRunRepo } from '../../shared/adapters/firestore/firestore-sync-run.repo.js';
import { FI_TOOLS, parseFiDocument, type FiTool } from '../../shared/contracts/fi.js';
import type { FiConnectionState, FiSession, FiSource, FiToolOutcome } from '../../shared/ports/fi-source.js';
import { grantConsent } from '../../shared/usecases/consents.usecase.js';
import { FI_SESSION_PURPOSE } from '../../shared/usecases/fi-session.js';
import { runFiSync, type RunFiSyncDeps } from '../../shared/usecases/run-fi-sync.usecase.js';
import { buildAnalytics } from '../../shared/domain/analytics/analytics.js';
import { testFirestore, testProjectId } from '../support/emulator-env.js';
import { personaInput } from '../support/persona-data.js';
import { ManualClock, MemoryLogger, RecordingBus } from '../support/in-memory.js';

/**
 * The sync use case against the real Firestore emulator, with a typed FiSource that serves
 * a persona's files (through the real document schemas) and can be told to fail a tool.
 */
const PERSONA = join(process.cwd(), 'dev/fi-mcp/personas/2222222222');

class PersonaFiSource implements FiSource {
  readonly failing = new Map<FiTool, FiToolOutcome>();
  calls: FiTool[] = [];
  constructor(private readonly dir: string) {}
  async openSession(existing?: string): Promise<FiSession> {
    return { sessionId: existing ?? 'mcp-session-00000000-0000-4000-8000-000000000001', resumed: !!existing };
  }
  async fetchTool(_sessionId: string, tool: FiTool): Promise<FiToolOutcome> {
    this.calls.push(tool);
    const forced = this.failing.get(tool);
    if (forced) return forced;
    const file = join(this.dir, `${tool}.json`);
    if (!existsSync(file)) return { kind: 'not-connected' };
    const parsed = parseFiDocument(tool, JSON.parse(readFileSync(file, 'utf8')));
    return parsed.kind === 'document' ? { kind: 'document', document: parsed.document } : parsed.kind === 'not-connected' ? { kind: 'not-connected' } : { kind: 'malformed', reason: parsed.reason };
  }
  async connectionState(): Promise<FiConnectionState> {
    return { status: 'connected' };
  }
}

let db: Firestore;
let deps: RunFiSyncDeps;
let fi: PersonaFiSource;
let bus: RecordingBus;
const clock = new ManualClock(Date.parse('2026-11-24T04:00:00Z'));
let n = 0;
let uid: string;

const txnDocs = async () => (await db.collection(`users/${uid}/transactions`).get()).docs;

beforeAll(async () => {
  db = await testFirestore(testProjectId('sync'));
});
afterAll(async () => db?.terminate());

beforeEach(async () => {
  uid = `user-sync-${++n}`;
  fi = new PersonaFiSource(PERSONA);
  bus = new RecordingBus();
  const secrets = new EnvelopeSecretBox(new LocalKeyWrapper({ dir: mkdtempSync(join(tmpdir(), 'ffai-k-')) }));
  const consents = new FirestoreConsentRepo(db);
  const audit = new FirestoreAuditLog(db);
  deps = {
    syncRuns: new FirestoreSyncRunRepo(db),
    connections: new FirestoreConnectionRepo(db),
    consents,
    store: new FirestoreFinancialStore(db),
    fi,
    secrets,
    bus,
    audit,
    clock,
    log: new MemoryLogger(),
  };
  await grantConsent({ consents, audit, clock }, uid, { scopes: ['net_worth', 'transactions', 'credit_report', 'epf'], purpose: 'personal_finance_insights', dataLifeDays: 30 }, 'test');
  const now = clock.now().toISOString();
  await deps.connections.save(uid, {
    id: 'fi',
    provider: 'fi-mcp',
    status: 'connected',
    session: await secrets.seal('mcp-session-00000000-0000-4000-8000-000000000001', { uid, purpose: FI_SESSION_PURPOSE }),
    createdAt: now,
    updatedAt: now,
  });
});

describe('runFiSync (Firestore emulator)', () => {
  it('commits a generation, and an unchanged re-sync rewrites no transaction document', async () => {
    const first = await runFiSync(deps, uid, 'run-first1', clock.now().toISOString());
    expect(first.status).toBe('succeeded');
    const before = new Map((await txnDocs()).map((d) => [d.id, d.updateTime.toMillis()]));
    const accountsBefore = new Map((await db.collection(`users/${uid}/accounts`).get()).docs.map((d) => [d.id, d.updateTime.toMillis()]));
    expect(accountsBefore.size).toBeGreaterThan(0);
    expect(before.size).toBe(first.sources.fetch_bank_transactions!.count! + first.sources.fetch_mf_transactions!.count! + first.sources.fetch_stock_transactions!.count!);

    clock.advance(60_000);
    const second = await runFiSync(deps, uid, 'run-second', clock.now().toISOString());
    expect(second.status).toBe('succeeded');
    const after = await txnDocs();
    expect(after.length).toBe(before.size);
    for (const d of after) expect(d.updateTime.toMillis(), d.id).toBe(before.get(d.id));
    // Accounts were unchanged too: not rewritten.
    const accountsAfter = (await db.collection(`users/${uid}/accounts`).get()).docs;
    expect(accountsAfter.length).toBe(accountsBefore.size);
    for (const d of accountsAfter) expect(d.updateTime.toMillis(), d.id).toBe(accountsBefore.get(d.id));
    // Each sync wrote the day's snapshot, so each asks for that user's net-worth rollup and insights.
    expect(bus.published).toEqual([
      { topic: 'networth-rollup-v1', payload: { uid, runId: 'run-first1' } },
      { topic: 'insights-requested-v1', payload: { uid, jobId: 'run-first1', reason: 'sync-completed' } },
      { topic: 'fi-sync-completed-v1', payload: expect.objectContaining({ uid, runId: 'run-first1' }) },
      { topic: 'networth-rollup-v1', payload: { uid, runId: 'run-second' } },
      { topic: 'insights-requested-v1', payload: { uid, jobId: 'run-second', reason: 'sync-completed' } },
      { topic: 'fi-sync-completed-v1', payload: expect.objectContaining({ uid, runId: 'run-second' }) },
    ]);
  });

  it('commits the analytics view with the generation, computed from every transaction of it', async () => {
    expect((await runFiSync(deps, uid, 'run-analyt', clock.now().toISOString())).status).toBe('succeeded');
    const view = (await db.doc(`users/${uid}/views/analytics`).get()).data();
    // The persona's balances are dated 2026-11-20: that is the valuation day, as in Fi's own XIRR.
    const { asOf: valuationDate, ...expected } = JSON.parse(JSON.stringify(buildAnalytics(personaInput('2222222222', '2026-11-20'))));
    expect(valuationDate).toBe('2026-11-20');
    expect(view).toEqual({ generatedAt: clock.now().toISOString(), asOf: clock.now().toISOString(), valuationDate, ...expected });
    expect(view?.['returns']).toBeTruthy();
  });

  it('leaves a failed source’s previous data in place and reports the run as partial', async () => {
    await runFiSync(deps, uid, 'run-ok0001', clock.now().toISOString());
    const overview = (await db.doc(`users/${uid}/views/overview`).get()).data()!;
    const bankCount = (await db.collection(`users/${uid}/transactions`).where('source', '==', 'fetch_bank_transactions').get()).size;

    fi.failing.set('fetch_net_worth', { kind: 'failed', reason: 'HTTP 503', retryable: true });
    fi.failing.set('fetch_bank_transactions', { kind: 'malformed', reason: 'fetch_bank_transactions: bankTransactions: expected array' });
    clock.advance(60_000);
    const run = await runFiSync(deps, uid, 'run-fail01', clock.now().toISOString());
    expect(run.status).toBe('partial');
    expect(run.sources.fetch_net_worth).toMatchObject({ status: 'failed', reason: 'HTTP 503' });
    expect(run.sources.fetch_bank_transactions).toMatchObject({ status: 'failed' });
    const after = (await db.doc(`users/${uid}/views/overview`).get()).data()!;
    expect(after.netWorthPaise).toBe(overview.netWorthPaise);
    expect(after.sources.fetch_net_worth.status).toBe('failed');
    expect((await db.collection(`users/${uid}/transactions`).where('source', '==', 'fetch_bank_transactions').get()).size).toBe(bankCount);
  });

  it('does nothing twice for the same run', async () => {
    await runFiSync(deps, uid, 'run-twice1', clock.now().toISOString());
    const calls = fi.calls.length;
    const again = await runFiSync(deps, uid, 'run-twice1', clock.now().toISOString());
    expect(again.status).toBe('succeeded');
    expect(fi.calls.length).toBe(calls);
    expect(bus.published.map((p) => p.topic)).toEqual(['networth-rollup-v1', 'insights-requested-v1', 'fi-sync-completed-v1']);
  });

  it('fetches only consented sources, and empties a source Fi reports as not connected', async () => {
    await runFiSync(deps, uid, 'run-empty1', clock.now().toISOString());
    fi.failing.set('fetch_epf_details', { kind: 'not-connected' });
    const run = await runFiSync(deps, uid, 'run-empty2', clock.now().toISOString());
    expect(run.sources.fetch_epf_details).toMatchObject({ status: 'empty', count: 0 });
    expect((await db.collection(`users/${uid}/epf`).get()).size).toBe(0);
  });

  it('stops at login_required, marks the connection, and keeps the data', async () => {
    await runFiSync(deps, uid, 'run-login1', clock.now().toISOString());
    for (const tool of FI_TOOLS) fi.failing.set(tool, { kind: 'login_required', loginUrl: 'http://127.0.0.1:1/mockWebPage?sessionId=x' });
    fi.calls = [];
    const run = await runFiSync(deps, uid, 'run-login2', clock.now().toISOString());
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('FI.LOGIN_REQUIRED');
    expect(fi.calls).toHaveLength(1); // no point asking the other tools
    expect((await deps.connections.get(uid, 'fi'))?.status).toBe('login_required');
    expect((await db.doc(`users/${uid}/views/overview`).get()).get('netWorthPaise')).not.toBeNull();
  });

  it('keeps staged transactions of an unfinished generation invisible to readers', async () => {
    const store = new FirestoreFinancialStore(db);
    await runFiSync(deps, uid, 'run-vis001', clock.now().toISOString());
    const visible = (await store.transactions(uid, { limit: 100 })).items.length;
    const state = await store.read(uid);
    // A crash after staging: a new transaction exists at gen + 1, but nothing was committed.
    await store.stageTransactions(uid, state.committedGen + 1, 'fetch_bank_transactions', [
      { id: 'zzzzzzzzzzzzzzzzzzzz', kind: 'bank', accountKey: 'Staged Bank', date: '2099-01-01', direction: 'credit', type: 'CREDIT', amountPaise: 100, currency: 'INR' },
    ]);
    const page = await store.transactions(uid, { limit: 100 });
    expect(page.items.length).toBe(visible);
    expect(page.items.some((t) => t.id === 'zzzzzzzzzzzzzzzzzzzz')).toBe(false);
  });
});

describe('a stored Fi session that no longer opens', () => {
  it('fails the run with a clear reason instead of crashing', async () => {
    const other = new EnvelopeSecretBox(new LocalKeyWrapper({ dir: mkdtempSync(join(tmpdir(), 'ffai-k2-')) }));
    const conn = (await deps.connections.get(uid, 'fi'))!;
    // Sealed under a key this deployment does not have (e.g. a destroyed key version).
    await deps.connections.save(uid, { ...conn, session: await other.seal('mcp-session-x', { uid, purpose: FI_SESSION_PURPOSE }) });
    const run = await runFiSync(deps, uid, 'run-nokey1', clock.now().toISOString());
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'FI.NOT_CONNECTED', message: expect.stringContaining('link Fi again') });
    expect(fi.calls).toEqual([]);
  });
});
