/**
 * `npm run bench:auth`: figures for sign-in and sessions.
 * 1. Sign-in round trip on the local stack (`npm start`): POST /auth/google/begin -> the
 *    local OpenID Connect provider -> GET /auth/google/callback -> first signed-in request;
 *    median of 20.
 * 2. What the session check adds to a read-model request: GET /api/financial/overview served
 *    by the same `api` function twice, in-process on the Firestore emulator, once with the
 *    real session store and once with a trusted identity (a SessionStore that resolves every
 *    token to the user without reading Firestore); 400 requests each, ratio of medians.
 * Prints figures; asserts nothing.
 */
process.env.METADATA_SERVER_DETECTION ??= 'none';
import type { AddressInfo } from 'node:net';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { locateEmulators, startEmulators } from '../dev/emulators.js';
import { freePort } from '../dev/processes.js';
import { createDeps, type Deps } from '../functions/deps.js';
import { api } from '../functions/http/api.http.js';
import { loadConfig } from '../shared/config/config.js';
import type { FinancialData } from '../shared/ports/financial-store.js';
import type { SessionStore } from '../shared/ports/sessions.js';
import { buildReadModels } from '../shared/usecases/read-models.js';
import { freePorts, npmStart, stopStack, waitHealthy } from '../tests/support/stack.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function signInRoundTrips(n: number): Promise<number[]> {
  // 20 sign-ins from one address in seconds would trip the sign-in limit (as it should).
  const stack = npmStart(await freePorts(), undefined, { RATE_LIMIT_SIGNIN: '1000,1000,60' });
  try {
    await waitHealthy(stack);
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const begin = await fetch(`${stack.url}/auth/google/begin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const pending = begin.headers.get('set-cookie')!.split(';')[0]!;
      const { authorizationUrl } = (await begin.json()) as { authorizationUrl: string };
      const url = new URL(authorizationUrl);
      url.searchParams.set('login_hint', `bench-${i}@example.com`);
      const atProvider = await fetch(url, { redirect: 'manual' });
      await atProvider.body?.cancel();
      const back = await fetch(atProvider.headers.get('location')!, { redirect: 'manual', headers: { cookie: pending } });
      await back.body?.cancel();
      const session = back.headers.get('set-cookie')!.split(';')[0]!;
      const me = await fetch(`${stack.url}/auth/session`, { headers: { cookie: session } });
      await me.body?.cancel();
      if (me.status !== 200) throw new Error(`sign-in ${i} failed: ${me.status}`);
      times.push(performance.now() - t);
    }
    return times;
  } finally {
    await stopStack(stack);
  }
}

async function sessionCheckCost(requests: number): Promise<{ real: number; trusted: number }> {
  const [fsPort, psPort] = [await freePort(), await freePort()];
  const emulators = await startEmulators({ source: locateEmulators(), projectId: 'demo-bench-auth', firestorePort: fsPort, pubsubPort: psPort });
  try {
    const config = loadConfig({
      APP_ENV: 'test',
      GCP_PROJECT_ID: 'demo-bench-auth',
      FIRESTORE_EMULATOR_HOST: emulators.firestoreHost,
      PUBSUB_EMULATOR_HOST: emulators.pubsubHost,
      LOG_LEVEL: 'error',
      RATE_LIMIT_DEFAULT: '100000,100000,60',
    });
    const deps = createDeps(config);
    const sessions = await deps.sessions();
    const { token } = await sessions.create('bench-user-01', new Date(), deps.sessionPolicy);
    const data: FinancialData = { committedGen: 1, sources: {}, accounts: [], holdings: [], netWorth: null, creditReport: null, epf: null };
    await (await deps.financial()).commit('bench-user-01', { gen: 1, data, views: buildReadModels(data, new Date(), []), snapshot: null });

    const trusted: SessionStore = {
      ...sessions,
      create: (...a) => sessions.create(...a),
      resolve: async () => ({ uid: 'bench-user-01', sessionId: 'trusted' }),
      revoke: async () => {},
      list: async () => [],
      revokeById: async () => false,
      revokeAll: async () => 0,
    };
    const trustedDeps: Deps = { ...deps, sessions: async () => trusted };
    http('benchReal', api(() => deps));
    http('benchTrusted', api(() => trustedDeps));
    const serve = async (name: string) => {
      const server = getTestServer(name);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
    };
    const real = await serve('benchReal');
    const trust = await serve('benchTrusted');
    const run = async (base: string) => {
      const times: number[] = [];
      for (let i = 0; i < requests; i++) {
        const t = performance.now();
        const res = await fetch(`${base}/api/financial/overview`, { headers: { cookie: `__session=${token}` } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        times.push(performance.now() - t);
      }
      return times;
    };
    await run(real.url);
    await run(trust.url); // warm-up both
    const r = await run(real.url);
    const tr = await run(trust.url);
    real.close();
    trust.close();
    return { real: median(r), trusted: median(tr) };
  } finally {
    await emulators.stop();
  }
}

async function main(): Promise<void> {
  console.log(`node ${process.version}`);
  const trips = await signInRoundTrips(20);
  console.log(`\n== sign-in round trip on the local stack (begin -> provider -> callback -> first request), 20 runs`);
  console.log(`  median ${median(trips).toFixed(1)} ms   min ${Math.min(...trips).toFixed(1)} ms   max ${Math.max(...trips).toFixed(1)} ms`);
  const cost = await sessionCheckCost(400);
  console.log(`\n== GET /api/financial/overview, 400 sequential requests each, in-process on the Firestore emulator`);
  console.log(`  with the session check   median ${cost.real.toFixed(2)} ms`);
  console.log(`  with a trusted identity  median ${cost.trusted.toFixed(2)} ms`);
  console.log(`  ratio ${(cost.real / cost.trusted).toFixed(2)}x (the session check is one Firestore document read, plus a write at most once a minute)`);
}

main()
  .then(() => process.exit(0))
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
