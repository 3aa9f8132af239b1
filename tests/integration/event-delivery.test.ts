import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPubSub } from '../../shared/adapters/pubsub/client.js';
import { PubSubEventBus } from '../../shared/adapters/pubsub/pubsub-event.bus.js';
import { Topics, type SyncRequestedV1 } from '../../shared/contracts/events.js';
import { pushToCloudEvent } from '../../dev/eventarc-bridge.js';
import { startLocalFunctions, type LocalFunctions } from '../../dev/local-functions.js';
import { provisionPubSub } from '../../dev/pubsub-setup.js';
import { eventually, testFirestore, testProjectId, useEmulatorEnv } from '../support/emulator-env.js';
import { captureStdout } from '../support/log-capture.js';

/**
 * The event path end to end on the real emulators: EventBus (real @google-cloud/pubsub)
 * -> Pub/Sub emulator -> push subscription -> local Eventarc bridge (binary CloudEvent)
 * -> the registered `fiSync` function -> Firestore.
 */
const projectId = testProjectId('events');
const env = useEmulatorEnv(projectId);
const logs = captureStdout();

let functions: LocalFunctions;
let db: Firestore;
let bus: PubSubEventBus;
let closeBus: () => Promise<void>;

const aSyncRequest = (over: Partial<SyncRequestedV1> = {}): SyncRequestedV1 => ({
  uid: 'user-000001',
  runId: 'run-000001',
  requestedAt: new Date().toISOString(),
  ...over,
});

const auditCount = async (uid: string) => (await db.collection(`users/${uid}/audit`).get()).size;

/** POSTs one binary CloudEvent to the function, as Eventarc does. */
async function deliver(payload: unknown, messageId: string): Promise<number> {
  const data = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString('base64');
  const ce = pushToCloudEvent(
    { message: { data, messageId, publishTime: new Date().toISOString() }, subscription: `projects/${projectId}/subscriptions/fiSync-push` },
    projectId,
    Topics.syncRequested,
  );
  const res = await fetch(`${functions.url}/events/fiSync`, { method: 'POST', headers: ce.headers, body: ce.body });
  await res.body?.cancel();
  return res.status;
}

/** Delivers until acknowledged (2xx), as Pub/Sub redelivers a nacked message. */
async function deliverUntilAcked(payload: unknown, messageId: string): Promise<number> {
  // Bounded in time, not attempts: on a loaded machine the first delivery can take seconds.
  const started = Date.now();
  for (let attempt = 1; Date.now() - started < 40_000; attempt++) {
    const status = await deliver(payload, messageId);
    if (status < 300) return attempt;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`message ${messageId} was never acknowledged`);
}

beforeAll(async () => {
  functions = await startLocalFunctions({ port: 0, projectId });
  await provisionPubSub({ projectId, emulatorHost: env.PUBSUB_EMULATOR_HOST!, functionsUrl: functions.url, topics: Object.values(Topics) });
  db = await testFirestore(projectId);
  const pubsub = await createPubSub({ projectId, emulatorHost: env.PUBSUB_EMULATOR_HOST });
  bus = new PubSubEventBus(pubsub);
  closeBus = () => pubsub.close();
});

afterAll(async () => {
  logs.restore();
  await closeBus?.();
  await functions?.close();
  await db?.terminate();
});

describe('Pub/Sub push to event functions (emulators)', () => {
  it('runs fiSync when a sync request is published, delivered by push as a CloudEvent', async () => {
    const request = aSyncRequest({ uid: 'user-push01', runId: 'run-push01' });
    const messageId = await bus.publish(Topics.syncRequested, request);
    const run = await eventually(async () => (await db.doc('users/user-push01/syncRuns/run-push01').get()).data(), 20_000, 'the sync run');
    // No Fi link for this user: the run is recorded as failed, saying why.
    expect(run).toMatchObject({ runId: 'run-push01', requestedAt: request.requestedAt });
    await eventually(async () => ((await db.doc('users/user-push01/syncRuns/run-push01').get()).get('status') === 'failed' ? true : undefined), 10_000, 'the run to finish');
    expect((await db.doc('users/user-push01/syncRuns/run-push01').get()).get('error.code')).toBe('FI.NOT_CONNECTED');
    await eventually(async () => ((await auditCount('user-push01')) === 1 ? true : undefined), 10_000, 'the audit entry');
    // The handler saw a CloudEvent whose id came from the Pub/Sub message.
    // (The run is recorded before the wrapper logs completion: wait for that line.)
    const handled = await eventually(
      async () => logs.lines().find((l) => l.message === 'event handled' && l.function === 'fiSync' && String(l.eventId).endsWith(`-${messageId}`)),
      10_000,
      'the handled line',
    );
    expect(String(handled.eventId)).toMatch(new RegExp(`^[0-9a-f]{8}-${messageId}$`));
  });

  it('runs netWorthRollup when a rollup is published: the scheduler payload fans out, each user gets a monthly document', async () => {
    const uid = 'user-roll01';
    await db.doc(`users/${uid}`).set({ email: 'roll@example.test', createdAt: '2026-01-01T00:00:00.000Z' });
    for (const [date, rupees] of [['2026-10-31', 1_000], ['2026-11-15', 1_250]] as const) {
      await db.doc(`users/${uid}/netWorth/${date}`).set({ date, at: `${date}T05:00:00.000Z`, netWorthPaise: rupees * 100, totalAssetsPaise: rupees * 100, totalLiabilitiesPaise: 0 });
    }
    // What Cloud Scheduler publishes: no uid. The function publishes {uid, month} per user, which it then handles too.
    await bus.publish(Topics.netWorthRollup, { month: '2026-11' });
    const november = await eventually(async () => (await db.doc(`users/${uid}/netWorthMonthly/2026-11`).get()).data(), 30_000, 'the November rollup');
    // Its change reads October's close from the daily snapshots: +250 on 1,000.
    expect(november).toMatchObject({ month: '2026-11', closePaise: 125_000, changePaise: 25_000, changePercent: 25 });
    // That event asked for November only.
    expect((await db.doc(`users/${uid}/netWorthMonthly/2026-10`).get()).exists).toBe(false);
    // After a sync the event names the user and the run: every month is rolled up.
    await bus.publish(Topics.netWorthRollup, { uid, runId: 'run-roll01' });
    const october = await eventually(async () => (await db.doc(`users/${uid}/netWorthMonthly/2026-10`).get()).data(), 30_000, 'the October rollup');
    expect(october).toMatchObject({ closePaise: 100_000, changePaise: null });
  });

  it('runs every weekly insights fan-out, even one a week after the last (scheduler runs are not deduped by a weekly key)', async () => {
    const fannedOut = () => logs.lines().filter((l) => l.message === 'insights fanned out' && l.function === 'insightsGenerate').length;
    const before = fannedOut();
    // Two scheduler runs (two messages, as Cloud Scheduler publishes one each Monday).
    await bus.publish(Topics.insightsRequested, { reason: 'weekly' });
    await eventually(async () => (fannedOut() >= before + 1 ? true : undefined), 30_000, 'the first fan-out');
    await bus.publish(Topics.insightsRequested, { reason: 'weekly' });
    await eventually(async () => (fannedOut() >= before + 2 ? true : undefined), 30_000, 'the second fan-out');
  });

  it('has exactly one effect when the same event is delivered 5 times concurrently', async () => {
    const payload = aSyncRequest({ uid: 'user-conc01', runId: 'run-conc01' });
    const statuses = await Promise.all(Array.from({ length: 5 }, () => deliver(payload, 'm-conc-1')));
    expect(statuses.filter((s) => s < 300).length).toBeGreaterThanOrEqual(1);
    // Deliveries that were told to come back later are redelivered until acknowledged.
    await Promise.all(statuses.map((s) => (s < 300 ? Promise.resolve(0) : deliverUntilAcked(payload, 'm-conc-1'))));
    expect(await auditCount('user-conc01')).toBe(1);
    expect((await db.doc('users/user-conc01/syncRuns/run-conc01').get()).get('status')).toBe('failed');
  });

  it('has exactly one effect when a publisher retry sends the same request under 5 message ids', async () => {
    const payload = aSyncRequest({ uid: 'user-conc02', runId: 'run-conc02' });
    const statuses = await Promise.all(Array.from({ length: 5 }, (_, i) => deliver(payload, `m-retry-${i}`)));
    await Promise.all(statuses.map((s, i) => (s < 300 ? Promise.resolve(0) : deliverUntilAcked(payload, `m-retry-${i}`))));
    expect(await auditCount('user-conc02')).toBe(1);
  });

  it.each([
    ['not JSON', 'this is { not json'],
    ['the wrong shape', { uid: 'user-bad001', runId: 42 }],
    ['a hostile uid', { uid: '../../etc/passwd', runId: 'run-bad001', requestedAt: new Date().toISOString() }],
    ['a missing field', { uid: 'user-bad001', runId: 'run-bad001' }],
  ])('acknowledges, logs and ignores a payload that is %s', async (_label, payload) => {
    const messageId = `m-bad-${Math.random().toString(36).slice(2)}`;
    expect(await deliver(payload, messageId)).toBe(204);
    const line = await eventually(async () => logs.lines().find((l) => l.message === 'event dropped: malformed payload' && String(l.eventId) === messageId), 5_000, 'the drop line');
    expect(line).toMatchObject({ severity: 'WARNING', errorCode: 'EVENT.MALFORMED', function: 'fiSync' });
    expect(await auditCount('user-bad001')).toBe(0);
    expect((await db.collection('users/user-bad001/syncRuns').get()).size).toBe(0);
  });

  it('acknowledges a malformed message that arrives through Pub/Sub, with no effect', async () => {
    const pubsub = await createPubSub({ projectId, emulatorHost: env.PUBSUB_EMULATOR_HOST });
    try {
      const messageId = await pubsub.topic(Topics.syncRequested).publishMessage({ json: { uid: 'user-bad002' } });
      const line = await eventually(
        async () => logs.lines().find((l) => l.message === 'event dropped: malformed payload' && String(l.eventId).endsWith(`-${messageId}`)),
        20_000,
        'the drop to be logged',
      );
      expect(line.problems).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'message.data.runId' })]));
    } finally {
      await pubsub.close();
    }
    expect(await auditCount('user-bad002')).toBe(0);
  });

  it('drops events older than the maximum age', async () => {
    const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const ce = pushToCloudEvent(
      { message: { data: Buffer.from(JSON.stringify(aSyncRequest({ uid: 'user-old001' }))).toString('base64'), messageId: 'm-old', publishTime: old }, subscription: 's' },
      projectId,
      Topics.syncRequested,
    );
    const res = await fetch(`${functions.url}/events/fiSync`, { method: 'POST', headers: ce.headers, body: ce.body });
    expect(res.status).toBe(204);
    expect(await auditCount('user-old001')).toBe(0);
  });

  it('writes no token, cookie or session id to the logs while handling events', () => {
    expect(logs.raw()).not.toMatch(/mcp-session-[0-9a-f]{8}-|Bearer [A-Za-z0-9]/);
    expect(logs.lines().length).toBeGreaterThan(5);
    for (const line of logs.lines().filter((l) => l.function === 'fiSync')) expect(line.eventId).toBeTruthy();
  });
});
