import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreFinancialStore } from '../../shared/adapters/firestore/firestore-financial.store.js';
import { FirestoreUserRepo } from '../../shared/adapters/firestore/firestore-user.repo.js';
import type { DailySnapshot } from '../../shared/domain/analytics/net-worth-history.js';
import { rollUpNetWorth, type RollUpNetWorthDeps } from '../../shared/usecases/roll-up-net-worth.usecase.js';
import { testFirestore, testProjectId } from '../support/emulator-env.js';
import { ManualClock, MemoryLogger, RecordingBus } from '../support/in-memory.js';

/** The rollup use case against the Firestore emulator: monthly documents from daily snapshots. */
let db: Firestore;
let store: FirestoreFinancialStore;
const clock = new ManualClock(Date.parse('2026-12-01T02:00:00+05:30'));

const snap = (date: string, rupees: number): DailySnapshot => ({ date, at: `${date}T05:00:00.000Z`, netWorthPaise: rupees * 100, totalAssetsPaise: rupees * 100 + 5_000_00, totalLiabilitiesPaise: 5_000_00 });

async function seedSnapshots(uid: string, snaps: readonly DailySnapshot[]): Promise<void> {
  await db.collection('users').doc(uid).set({ email: `${uid}@example.test`, createdAt: '2026-01-01T00:00:00.000Z' });
  const batch = db.batch();
  for (const s of snaps) batch.set(db.collection(`users/${uid}/netWorth`).doc(s.date), s);
  await batch.commit();
}

const depsWith = (bus: RecordingBus): RollUpNetWorthDeps => ({ store, users: new FirestoreUserRepo(db), bus, clock, log: new MemoryLogger() });

beforeAll(async () => {
  db = await testFirestore(testProjectId('rollup'));
  store = new FirestoreFinancialStore(db);
});
afterAll(async () => db?.terminate());

describe('rollUpNetWorth (Firestore emulator)', () => {
  it('writes one document per month for a user, and a second run writes nothing', async () => {
    const uid = 'user-rollup-one';
    await seedSnapshots(uid, [snap('2026-09-30', 1_000), snap('2026-10-01', 1_100), snap('2026-10-15', 900), snap('2026-10-31', 1_200), snap('2026-11-20', 1_500)]);
    const first = await rollUpNetWorth(depsWith(new RecordingBus()), { uid, runId: 'run-000001' });
    expect(first).toEqual({ kind: 'user', uid, months: 3, written: 3 });
    const docs = (await db.collection(`users/${uid}/netWorthMonthly`).get()).docs.map((d) => [d.id, d.data()] as const);
    expect(docs.map(([id]) => id)).toEqual(['2026-09', '2026-10', '2026-11']);
    // October: 1,100 -> 1,200 with a low of 900; +200 on September's 1,000 close = +20%.
    expect(docs[1]![1]).toMatchObject({ openPaise: 110_000, closePaise: 120_000, lowPaise: 90_000, highPaise: 120_000, changePaise: 20_000, changePercent: 20 });
    const again = await rollUpNetWorth(depsWith(new RecordingBus()), { uid, runId: 'run-000002' });
    expect(again).toEqual({ kind: 'user', uid, months: 3, written: 0 });
    expect(await store.monthlyRollups(uid)).toEqual(docs.map(([, d]) => d));
  });

  it('a later snapshot updates only its own month', async () => {
    const uid = 'user-rollup-two';
    await seedSnapshots(uid, [snap('2026-10-31', 1_000), snap('2026-11-10', 1_100)]);
    await rollUpNetWorth(depsWith(new RecordingBus()), { uid });
    await seedSnapshots(uid, [snap('2026-11-28', 1_300)]);
    expect(await rollUpNetWorth(depsWith(new RecordingBus()), { uid })).toMatchObject({ months: 2, written: 1 });
    expect((await store.monthlyRollups(uid)).at(-1)).toMatchObject({ month: '2026-11', closePaise: 130_000, changePaise: 30_000, changePercent: 30 });
  });

  it('the scheduler run fans out one event per user for the month that just ended in India', async () => {
    const bus = new RecordingBus();
    const out = await rollUpNetWorth(depsWith(bus), {});
    const users = (await db.collection('users').get()).docs.map((d) => d.id).sort();
    expect(users.length).toBeGreaterThanOrEqual(2);
    // 02:00 IST on 1 December: November has just ended.
    expect(out).toEqual({ kind: 'fan-out', month: '2026-11', users: users.length });
    expect(bus.published).toEqual(users.map((uid) => ({ topic: 'networth-rollup-v1', payload: { uid, month: '2026-11' } })));
    // Paged: a page size of one reaches every user too, once each.
    const paged = new RecordingBus();
    await rollUpNetWorth({ ...depsWith(paged), pageSize: 1 }, { month: '2026-10' });
    expect(paged.published.map((p) => (p.payload as { uid: string }).uid)).toEqual(users);
  });

  it('a user-month event writes that month only', async () => {
    const uid = 'user-rollup-three';
    await seedSnapshots(uid, [snap('2026-10-31', 1_000), snap('2026-11-30', 800)]);
    expect(await rollUpNetWorth(depsWith(new RecordingBus()), { uid, month: '2026-11' })).toMatchObject({ months: 1, written: 1 });
    expect(await store.monthlyRollups(uid)).toEqual([expect.objectContaining({ month: '2026-11', changePaise: -20_000, changePercent: -20 })]);
  });
});
