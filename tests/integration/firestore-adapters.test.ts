import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreAuditLog } from '../../shared/adapters/firestore/firestore-audit.log.js';
import { FirestoreIdempotencyStore } from '../../shared/adapters/firestore/firestore-idempotency.store.js';
import { FirestoreSyncRunRepo } from '../../shared/adapters/firestore/firestore-sync-run.repo.js';
import type { SyncRun } from '../../shared/contracts/documents.js';
import type { ClaimRequest } from '../../shared/ports/idempotency.js';
import { testFirestore, testProjectId } from '../support/emulator-env.js';
import { ManualClock } from '../support/in-memory.js';

const aRun = (over: Partial<SyncRun> = {}): SyncRun => ({
  runId: 'run-abc123',
  status: 'queued',
  requestedAt: '2026-11-20T10:00:00.000Z',
  sources: {},
  ...over,
});

const aClaim = (over: Partial<ClaimRequest> = {}): ClaimRequest => ({
  keys: ['event:test:1', 'test:user-000001:run-1'],
  owner: '1',
  leaseMs: 60_000,
  retainMs: 3_600_000,
  ...over,
});

let db: Firestore;
beforeAll(async () => {
  db = await testFirestore(testProjectId('fs'));
});
afterAll(async () => {
  await db.terminate();
});

describe('FirestoreSyncRunRepo (emulator)', () => {
  it('round-trips a run through users/{uid}/syncRuns/{runId}', async () => {
    const repo = new FirestoreSyncRunRepo(db);
    expect(await repo.get('user-000001', 'run-abc123')).toBeNull();
    await repo.save('user-000001', aRun());
    await repo.save('user-000001', aRun({ status: 'succeeded', sources: { fetch_net_worth: { status: 'ok', count: 3 } } }));
    expect(await repo.get('user-000001', 'run-abc123')).toEqual(
      aRun({ status: 'succeeded', sources: { fetch_net_worth: { status: 'ok', count: 3 } } }),
    );
    const raw = await db.doc('users/user-000001/syncRuns/run-abc123').get();
    expect(raw.get('status')).toBe('succeeded');
    // Another user's path holds nothing.
    expect(await repo.get('user-000002', 'run-abc123')).toBeNull();
  });

  it('refuses to return a document that breaks the schema', async () => {
    await db.doc('users/user-000003/syncRuns/run-bad').set({ runId: 'run-bad', status: 'exploded' });
    await expect(new FirestoreSyncRunRepo(db).get('user-000003', 'run-bad')).rejects.toThrow(/status/);
  });
});

describe('FirestoreAuditLog (emulator)', () => {
  it('appends entries and lists the newest first', async () => {
    const audit = new FirestoreAuditLog(db);
    for (const at of ['2026-11-20T10:00:00.000Z', '2026-11-21T10:00:00.000Z', '2026-11-19T10:00:00.000Z']) {
      await audit.append('user-000010', { at, action: 'sync.received', cause: 'evt', details: { runId: 'r' } });
    }
    const list = await audit.list('user-000010', 2);
    expect(list.map((e) => e.at)).toEqual(['2026-11-21T10:00:00.000Z', '2026-11-20T10:00:00.000Z']);
  });
});

describe('FirestoreIdempotencyStore (emulator)', () => {
  it('lets exactly one of 10 concurrent claims win, then answers duplicate once done', async () => {
    const store = new FirestoreIdempotencyStore(db, new ManualClock(Date.parse('2026-11-24T00:00:00Z')), 'processedEvents-a');
    const claim = aClaim({ keys: ['event:x:42', 'x:user-1:run-42'], owner: '42' });
    // Different owners racing for the same business key (publisher retries).
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claim({ ...claim, owner: String(42 + i), keys: [`event:x:${42 + i}`, 'x:user-1:run-42'] })));
    expect(outcomes.filter((o) => o === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(9);
  });

  it('tells a redelivery of the claiming event to come back later, and a duplicate after completion', async () => {
    const store = new FirestoreIdempotencyStore(db, new ManualClock(Date.parse('2026-11-24T00:00:00Z')), 'processedEvents-b');
    const claim = aClaim();
    expect(await store.claim(claim)).toBe('claimed');
    expect(await store.claim(claim)).toBe('in-progress');
    await store.complete(claim);
    expect(await store.claim(claim)).toBe('duplicate');
  });

  it('releases a claim after a transient failure so the retry can claim it', async () => {
    const store = new FirestoreIdempotencyStore(db, new ManualClock(Date.parse('2026-11-24T00:00:00Z')), 'processedEvents-c');
    const claim = aClaim();
    expect(await store.claim(claim)).toBe('claimed');
    await store.release(claim);
    expect(await store.claim(claim)).toBe('claimed');
  });

  it('does not let a stale owner release a claim it no longer holds', async () => {
    const clock = new ManualClock(Date.parse('2026-11-24T00:00:00Z'));
    const store = new FirestoreIdempotencyStore(db, clock, 'processedEvents-d');
    const first = aClaim({ owner: 'a', keys: ['k-shared'] });
    const second = aClaim({ owner: 'b', keys: ['k-shared'] });
    expect(await store.claim(first)).toBe('claimed');
    clock.advance(first.leaseMs + 1); // the first lease lapses (its process died)
    expect(await store.claim(second)).toBe('claimed');
    await store.release(first); // a late release from the dead owner
    expect(await store.claim(aClaim({ owner: 'c', keys: ['k-shared'] }))).toBe('duplicate');
  });

  it('treats expired records as absent even before TTL deletion removes them', async () => {
    const clock = new ManualClock(Date.parse('2026-11-24T00:00:00Z'));
    const store = new FirestoreIdempotencyStore(db, clock, 'processedEvents-e');
    const claim = aClaim({ retainMs: 1_000 });
    expect(await store.claim(claim)).toBe('claimed');
    await store.complete(claim);
    expect(await store.claim(claim)).toBe('duplicate');
    clock.advance(1_001);
    const snap = await db.collection('processedEvents-e').get();
    expect(snap.size).toBe(2); // still stored...
    expect(await store.claim(claim)).toBe('claimed'); // ...but no longer binding
  });

  it('stores hashed ids with an expiresAt timestamp for the TTL policy', async () => {
    const store = new FirestoreIdempotencyStore(db, new ManualClock(Date.parse('2026-11-24T00:00:00Z')), 'processedEvents-f');
    await store.claim(aClaim({ keys: ['event:with/slashes:1'] }));
    const docs = (await db.collection('processedEvents-f').get()).docs;
    expect(docs).toHaveLength(1);
    expect(docs[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    expect(docs[0]!.get('expiresAt').toDate().toISOString()).toBe('2026-11-24T00:01:00.000Z');
  });
});
