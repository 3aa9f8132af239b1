import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { Firestore } from '@google-cloud/firestore';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../functions/deps.js';
import { auth } from '../../functions/http/auth.http.js';
import { FirestoreRateLimiter, leaseSize } from '../../shared/adapters/firestore/firestore-rate-limiter.js';
import { loadConfig } from '../../shared/config/config.js';
import type { RateLimitCheck } from '../../shared/ports/rate-limiter.js';
import { testFirestore, testProjectId, useEmulatorEnv } from '../support/emulator-env.js';
import { ManualClock } from '../support/in-memory.js';

/**
 * Rate limits that hold across instances: the Firestore limiter on the real emulator (two
 * clients standing in for two instances, concurrent bursts), and the HTTP shell of two
 * `auth` function instances sharing one budget, answering 429 with Retry-After and recovering
 * when the controllable clock passes it.
 */
const projectId = testProjectId('ratelimit');
const env = useEmulatorEnv(projectId);
const clock = new ManualClock(Date.parse('2026-11-24T10:00:30Z'));
let dbA: Firestore;
let dbB: Firestore;
let a: FirestoreRateLimiter;
let b: FirestoreRateLimiter;

let seq = 0;
const aCheck = (limit: number, windowMs = 60_000): RateLimitCheck => ({ key: `test:ip:192.0.2.${++seq}`, limit, windowMs });

beforeAll(async () => {
  dbA = await testFirestore(projectId);
  dbB = await testFirestore(projectId);
  a = new FirestoreRateLimiter(dbA, clock);
  b = new FirestoreRateLimiter(dbB, clock);
});

afterAll(async () => {
  await dbA?.terminate();
  await dbB?.terminate();
});

describe('FirestoreRateLimiter (emulator)', () => {
  it('trips at the limit shared by two instances, and recovers after Retry-After', async () => {
    const check = aCheck(5);
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await (i % 2 ? b : a).consume([check]));
    expect(outcomes.slice(0, 5).every((o) => o.allowed)).toBe(true);
    const refused = outcomes[5]!;
    expect(refused).toMatchObject({ allowed: false, reason: 'limit' });
    if (refused.allowed) return;
    // The other instance has not seen the refusal in memory: it must refuse from the shared count.
    const fromA = await a.consume([check]);
    expect(fromA.allowed).toBe(false);
    clock.advance(refused.retryAfterMs);
    expect((await b.consume([check])).allowed).toBe(true);
  });

  it('never allows more than the limit in a concurrent burst across instances', async () => {
    const check = aCheck(10);
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? b : a).consume([check])));
    const allowed = outcomes.filter((o) => o.allowed).length;
    expect(allowed).toBeLessThanOrEqual(10);
    expect(allowed).toBeGreaterThan(0);
    // Whatever contention refused, the stored count is exactly what was allowed.
    const doc = await dbA.collection('rateLimits').doc(createHash('sha256').update(check.key).digest('hex')).get();
    expect(doc.get('count')).toBe(allowed);
    console.log(`rate limit burst: 30 concurrent requests on one key over 2 clients, limit 10: ${allowed} allowed, ${outcomes.filter((o) => !o.allowed && o.reason === 'contention').length} refused for contention`);
  });

  it('counts a request on all its keys or on none', async () => {
    const ip = aCheck(2);
    const user = aCheck(40);
    expect((await a.consume([ip, user])).allowed).toBe(true);
    expect((await a.consume([ip, user])).allowed).toBe(true);
    expect((await b.consume([ip, user])).allowed).toBe(false);
    const userDoc = await dbA.collection('rateLimits').doc(createHash('sha256').update(user.key).digest('hex')).get();
    expect(userDoc.get('count')).toBe(2);
  });

  it('leases tokens for large limits: few transactions, and still never past the limit across instances', async () => {
    const check = aCheck(1_000);
    const docRef = dbA.collection('rateLimits').doc(createHash('sha256').update(check.key).digest('hex'));
    for (let i = 0; i < 25; i++) expect((await a.consume([check])).allowed).toBe(true);
    expect((await docRef.get()).get('count')).toBe(2 * leaseSize(1_000)); // two leases of 20
    // A busy key at 8 concurrent requests on two instances: leases keep it off the hot path.
    const started = performance.now();
    let next = 0;
    let allowed = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        while (next < 400) {
          next += 1;
          if ((await (w % 2 ? b : a).consume([check])).allowed) allowed += 1;
        }
      }),
    );
    const ms = performance.now() - started;
    console.log(`rate limit lease: 400 requests on one key (limit 1000), 8 concurrent over 2 clients: ${allowed} allowed in ${ms.toFixed(0)} ms`);
    expect(allowed).toBe(400);
    expect((await docRef.get()).get('count')).toBeLessThanOrEqual(1_000);
    // Fill the rest: the shared count stops everyone at the limit.
    let more = 0;
    for (let i = 0; i < 700; i++) if ((await (i % 2 ? b : a).consume([check])).allowed) more += 1;
    expect(25 + allowed + more).toBeLessThanOrEqual(1_000);
    expect((await a.consume([check])).allowed).toBe(false);
  });

  it('stores hashed keys with an expiry for the TTL policy, never the address', async () => {
    const check = aCheck(3);
    await a.consume([check]);
    const snap = await dbA.collection('rateLimits').doc(createHash('sha256').update(check.key).digest('hex')).get();
    expect(snap.exists).toBe(true);
    expect(JSON.stringify(snap.data())).not.toContain('192.0.2.');
    expect(snap.get('expiresAt').toMillis()).toBeGreaterThan(clock.now().getTime());
  });

  it('slides: the previous window still counts for part of the next', async () => {
    const check = aCheck(4, 60_000);
    // Fill the window, then step just into the next one: most of the old count still weighs.
    for (let i = 0; i < 4; i++) expect((await a.consume([check])).allowed).toBe(true);
    const windowStart = Math.floor(clock.now().getTime() / 60_000) * 60_000;
    clock.advance(windowStart + 60_000 + 5_000 - clock.now().getTime());
    expect((await b.consume([check])).allowed).toBe(false);
  });
});

describe('the HTTP shell on two instances (emulator)', () => {
  const config = loadConfig({
    ...(env as Record<string, string>),
    TRUSTED_PROXY_HOPS: '1',
    RATE_LIMIT_SIGNIN: '100,3,60',
    RATE_LIMIT_DEFAULT: '4,1000,60',
  });
  const logStream = new PassThrough().resume();
  const urls: string[] = [];
  const servers: Array<{ close: () => void }> = [];

  beforeAll(async () => {
    for (const name of ['authInstanceA', 'authInstanceB']) {
      const deps = createDeps(config, { clock, logStream });
      http(name, auth(() => deps));
      const server = getTestServer(name);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      servers.push(server);
      urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
  });
  afterAll(() => servers.forEach((s) => s.close()));

  const signIn = (i: number, ip: string) =>
    fetch(`${urls[i % 2]}/auth/dev/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ email: `rl-${i}@example.com` }) });

  it('sign-in: 3 per IP across both instances, then 429 with Retry-After; another IP is unaffected; recovers', async () => {
    const ip = '198.51.100.10';
    for (let i = 0; i < 3; i++) expect((await signIn(i, ip)).status).toBe(200);
    const refused = await signIn(3, ip);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
    expect(await refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } });
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect((await signIn(4, '198.51.100.11')).status).toBe(200);
    clock.advance(retryAfter * 1000);
    expect((await signIn(5, ip)).status).toBe(200);
  });

  it('per user: a session may make 4 requests a minute on either instance, then 429; recovers', async () => {
    const login = await signIn(0, '198.51.100.20');
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const session = (i: number) => fetch(`${urls[i % 2]}/auth/session`, { headers: { cookie, 'x-forwarded-for': `198.51.100.${30 + i}` } });
    for (let i = 0; i < 4; i++) expect((await session(i)).status).toBe(200);
    const refused = await session(4);
    expect(refused.status).toBe(429);
    clock.advance(Number(refused.headers.get('retry-after')) * 1000);
    expect((await session(5)).status).toBe(200);
  });
});
