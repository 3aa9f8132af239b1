import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDeps } from '../../functions/deps.js';
import { api } from '../../functions/http/api.http.js';
import { auth } from '../../functions/http/auth.http.js';
import { chat } from '../../functions/http/chat.http.js';
import type { HttpFunction, RouteInfo } from '../../functions/platform/http.js';
import { startFiDevServer, type FiDevServer } from '../../dev/fi-mcp/server.js';
import { startLocalFunctions, type LocalFunctions } from '../../dev/local-functions.js';
import { startOidcServer, type OidcServer } from '../../dev/oidc-server.js';
import { freePort } from '../../dev/processes.js';
import { provisionPubSub } from '../../dev/pubsub-setup.js';
import { Topics } from '../../shared/contracts/events.js';
import { testProjectId, useEmulatorEnv } from '../support/emulator-env.js';
import { loginAs } from '../support/fi-dev.js';
import { captureStdout } from '../support/log-capture.js';
import { Browser } from '../support/stack.js';
import { oidcEnv } from '../support/fixtures.js';

/**
 * Broken object-level authorisation (OWASP API1), as a table over EVERY route of the HTTP
 * functions, read from the routers themselves: a route added later joins this test and fails
 * it until it gets a case. User A (Asha) signs in, consents, links Fi and syncs; user B (Ravi)
 * then calls every user-scoped route with A's ids and must get 404, or, for routes without an
 * id, only his own (empty) data. Every answer B gets is also checked for A's fingerprints
 * (ids, figures), whatever its status.
 */
const PERSONA = '2222222222';
const projectId = testProjectId('acl');
const logs = captureStdout();

/** Routes that need no session, each with the reason. Anything else must answer 401 without one. */
const PUBLIC: Record<string, string> = {
  'GET /health': 'dependency probe; no user data',
  'POST /auth/dev/login': 'signs in (local mode only)',
  'POST /auth/google/begin': 'starts a sign-in',
  'GET /auth/google/callback': 'completes a sign-in',
  'POST /auth/logout': 'ends whatever session the cookie names; nothing without one',
};

let oidc: OidcServer;
let fi: FiDevServer;
let fns: LocalFunctions;
let asha: Browser;
let ravi: Browser;
let raviUid: string;

/** What only A has: ids and figures that must never appear in anything B receives. */
const a = { consentIds: [] as string[], runId: '', sessionIds: [] as string[], accountKeys: [] as string[], fingerprints: [] as string[], conversationId: '', insightIds: [] as string[], jobId: '' };

const keyOf = (r: RouteInfo) => `${r.method} ${r.pattern}`;
const routesOf = (fn: unknown): RouteInfo[] => {
  const routes = (fn as Partial<HttpFunction>).routes;
  if (!routes) throw new Error('router() no longer exposes its route list');
  return [...routes];
};

async function eventuallyTrue<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

async function waitForRun(b: Browser, runId: string): Promise<any> {
  for (let i = 0; i < 300; i++) {
    const run = await b.call('GET', `/api/financial/sync/${runId}`);
    if (['succeeded', 'partial', 'failed'].includes(run.json?.status)) return run.json;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the sync did not finish');
}

beforeAll(async () => {
  oidc = await startOidcServer({ port: 0 });
  fi = await startFiDevServer({ port: 0, dataDir: join(process.cwd(), 'dev/fi-mcp/personas') });
  const port = await freePort();
  const env = useEmulatorEnv(projectId, {
    FI_MCP_URL: fi.mcpUrl,
    ...oidcEnv(oidc, port),
    // Rate limits are tested in rate-limit.test.ts; keep them out of the way here.
    RATE_LIMIT_DEFAULT: '100000,100000,60',
    RATE_LIMIT_SIGNIN: '100000,100000,60',
    RATE_LIMIT_SYNC: '100000,100000,60',
  });
  fns = await startLocalFunctions({ port, projectId });
  await provisionPubSub({ projectId, emulatorHost: env.PUBSUB_EMULATOR_HOST!, functionsUrl: fns.url, topics: Object.values(Topics) });

  asha = new Browser(fns.url);
  ravi = new Browser(fns.url);
  expect((await asha.call('POST', '/auth/dev/login', { email: 'asha.acl@example.com' })).status).toBe(200);
  const r = await ravi.call('POST', '/auth/dev/login', { email: 'ravi.acl@example.com' });
  expect(r.status).toBe(200);
  raviUid = r.json.uid;

  for (const body of [
    { scopes: ['net_worth', 'credit_report', 'epf'], purpose: 'net_worth_tracking' },
    { scopes: ['transactions'], purpose: 'personal_finance_insights' },
  ]) {
    const c = await asha.call('POST', '/api/consents', body);
    expect(c.status).toBe(201);
    a.consentIds.push(c.json.id);
  }
  const link = await asha.call('POST', '/api/connections/fi', {});
  expect(link.json.status).toBe('login_required');
  expect((await loginAs(link.json.loginUrl, PERSONA)).status).toBe(200);
  expect((await asha.call('POST', '/api/connections/fi', {})).json.status).toBe('connected');
  const started = await asha.call('POST', '/api/financial/sync', {});
  expect(started.status).toBe(202);
  a.runId = started.json.runId;
  expect((await waitForRun(asha, a.runId)).status).toBe('succeeded');

  const sessions = await asha.call('GET', '/auth/sessions');
  if (sessions.status === 200) a.sessionIds = (sessions.json.sessions ?? []).map((s: { id: string }) => s.id);
  const txns = await asha.call('GET', '/api/financial/transactions?limit=20');
  expect(txns.json.items.length).toBeGreaterThan(0);
  a.accountKeys = [...new Set<string>(txns.json.items.map((t: any) => t.accountKey).filter(Boolean))];
  const overview = await asha.call('GET', '/api/financial/overview');
  expect(overview.json.netWorthPaise).not.toBeNull();
  a.fingerprints = [
    a.runId,
    ...a.consentIds,
    ...a.sessionIds,
    ...txns.json.items.slice(0, 10).map((t: any) => t.id),
    `"netWorthPaise":${overview.json.netWorthPaise}`,
  ];
  // A simulation that takes A's own figures (liquid money, spending) as its defaults.
  const sim = await asha.call('POST', '/api/simulate', { type: 'emergency-fund' });
  expect(sim.status).toBe(200);
  expect(sim.json.result.currentLiquidPaise).toBeGreaterThan(0);
  a.fingerprints.push(`"currentLiquidPaise":${sim.json.result.currentLiquidPaise}`);
  // A conversation, insights (the sync asked for them; the local provider writes them) and an insight job of A's.
  const turn = await asha.call('POST', '/api/chat', { message: 'What is my net worth?' });
  expect(turn.status).toBe(200);
  a.conversationId = turn.json.conversationId;
  const insights = await eventuallyTrue(async () => {
    const list = await asha.call('GET', '/api/insights');
    return list.json.insights?.length ? list.json.insights : undefined;
  });
  a.insightIds = insights.map((i: { id: string }) => i.id);
  const job = await asha.call('POST', '/api/insights/generate', {});
  expect(job.status).toBe(202);
  a.jobId = job.json.jobId;
  a.fingerprints.push(a.conversationId, a.jobId, ...a.insightIds);
}, 180_000);

afterAll(async () => {
  logs.restore();
  await fns?.close();
  await fi?.close();
  await oidc?.close();
});

/** B's call: never 5xx, and nothing of A's in it, whatever the status. */
async function asRavi(method: string, path: string, body?: unknown) {
  const res = await ravi.call(method, path, body);
  expect(res.status, `${method} ${path}`).toBeLessThan(500);
  const text = JSON.stringify(res.json ?? '');
  for (const f of a.fingerprints) expect(text, `${method} ${path} leaked ${f}`).not.toContain(f);
  return res;
}

/** A view B never synced: present, with no as-of and nothing of A's. */
const emptyView = async (path: string) => {
  const res = await asRavi('GET', path);
  expect(res.status).toBe(200);
  expect(res.json.asOf).toBeNull();
};

/**
 * One case per route. Routes with an id get A's ids and must answer 404 (A's object then
 * still exists); routes without one must show B only his own data.
 */
const CASES: Record<string, () => Promise<void>> = {
  'GET /auth/session': async () => {
    expect((await asRavi('GET', '/auth/session')).json.uid).toBe(raviUid);
  },
  'GET /auth/sessions': async () => {
    const res = await asRavi('GET', '/auth/sessions');
    expect(res.status).toBe(200);
    expect(res.json.sessions.length).toBeGreaterThan(0);
  },
  'DELETE /auth/sessions/:id': async () => {
    expect(a.sessionIds.length).toBeGreaterThan(0);
    for (const id of a.sessionIds) expect((await asRavi('DELETE', `/auth/sessions/${encodeURIComponent(id)}`)).status).toBe(404);
    expect((await asha.call('GET', '/auth/session')).status).toBe(200);
  },
  'GET /api/consents': async () => {
    expect((await asRavi('GET', '/api/consents')).json.consents).toEqual([]);
  },
  'POST /api/consents': async () => {
    const res = await asRavi('POST', '/api/consents', { scopes: ['net_worth'], purpose: 'net_worth_tracking' });
    expect(res.status).toBe(201);
    expect((await asha.call('GET', '/api/consents')).json.consents.map((c: any) => c.id).sort()).toEqual([...a.consentIds].sort());
  },
  'DELETE /api/consents/:id': async () => {
    for (const id of a.consentIds) expect((await asRavi('DELETE', `/api/consents/${id}`)).status).toBe(404);
    expect((await asha.call('GET', '/api/consents')).json.consents.filter((c: any) => c.status === 'active')).toHaveLength(a.consentIds.length);
  },
  'GET /api/connections': async () => {
    const res = await asRavi('GET', '/api/connections');
    expect(res.json.connections.filter((c: any) => c.status === 'connected')).toEqual([]);
  },
  'POST /api/connections/fi': async () => {
    // B's own link: a new Fi session that needs B's own login; never A's connected one.
    const res = await asRavi('POST', '/api/connections/fi', {});
    expect(res.status).toBe(202);
    expect(res.json.status).toBe('login_required');
    expect((await asha.call('GET', '/api/connections')).json.connections[0].status).toBe('connected');
  },
  'DELETE /api/connections/:id': async () => {
    expect((await asRavi('DELETE', '/api/connections/fi')).status).toBe(404);
    expect((await asha.call('GET', '/api/connections')).json.connections).toHaveLength(1);
  },
  'POST /api/financial/sync': async () => {
    const res = await asRavi('POST', '/api/financial/sync', {});
    if (res.status === 202) expect(res.json.runId).not.toBe(a.runId);
    else expect(res.status).toBeGreaterThanOrEqual(400);
  },
  'GET /api/financial/sync/:runId': async () => {
    expect((await asRavi('GET', `/api/financial/sync/${a.runId}`)).status).toBe(404);
  },
  'GET /api/financial/overview': () => emptyView('/api/financial/overview'),
  'GET /api/financial/assets': () => emptyView('/api/financial/assets'),
  'GET /api/financial/liabilities': () => emptyView('/api/financial/liabilities'),
  'GET /api/financial/credit-score': () => emptyView('/api/financial/credit-score'),
  'GET /api/financial/epf': () => emptyView('/api/financial/epf'),
  'GET /api/financial/analytics': () => emptyView('/api/financial/analytics'),
  'GET /api/insights': async () => {
    expect((await asRavi('GET', '/api/insights')).json.insights).toEqual([]);
  },
  'POST /api/insights/generate': async () => {
    const res = await asRavi('POST', '/api/insights/generate', {});
    expect(res.status).toBe(202);
    expect(res.json.jobId).not.toBe(a.jobId);
  },
  'GET /api/insights/jobs/:jobId': async () => {
    expect((await asRavi('GET', `/api/insights/jobs/${a.jobId}`)).status).toBe(404);
  },
  'POST /api/insights/:id/actions': async () => {
    for (const id of a.insightIds) expect((await asRavi('POST', `/api/insights/${id}/actions`, { action: 'dismiss' })).status).toBe(404);
    // A's insights are untouched.
    expect((await asha.call('GET', '/api/insights')).json.insights.map((i: { id: string }) => i.id).sort()).toEqual([...a.insightIds].sort());
  },
  'POST /api/chat': async () => {
    // B asks about his own data: he has none, and nothing of A's comes back.
    const mine = await asRavi('POST', '/api/chat', { message: 'What is my net worth?' });
    expect(mine.status).toBe(200);
    expect(mine.json.tools.every((t: { ok: boolean }) => !t.ok)).toBe(true);
    expect((await asRavi('POST', '/api/chat', { message: 'and my credit score?', conversationId: a.conversationId })).status).toBe(404);
  },
  'GET /api/chat/conversations': async () => {
    const list = await asRavi('GET', '/api/chat/conversations');
    expect(list.json.conversations.map((c: { id: string }) => c.id)).not.toContain(a.conversationId);
  },
  'GET /api/chat/conversations/:id': async () => {
    expect((await asRavi('GET', `/api/chat/conversations/${a.conversationId}`)).status).toBe(404);
  },
  'DELETE /api/chat/conversations/:id': async () => {
    expect((await asRavi('DELETE', `/api/chat/conversations/${a.conversationId}`)).status).toBe(404);
    expect((await asha.call('GET', `/api/chat/conversations/${a.conversationId}`)).status).toBe(200);
  },
  'POST /api/simulate': async () => {
    // B has no data of his own: a scenario that needs it says which figure to give...
    const bare = await asRavi('POST', '/api/simulate', { type: 'emergency-fund' });
    expect(bare.status).toBe(400);
    expect(JSON.stringify(bare.json)).toContain('monthlyExpensesPaise');
    // ...and with the figures given, it runs on them alone.
    const given = await asRavi('POST', '/api/simulate', { type: 'emergency-fund', monthlyExpensesPaise: 30_000_00, currentLiquidPaise: 10_000_00, monthlySavingPaise: 5_000_00 });
    expect(given.status).toBe(200);
    expect(given.json.data).toBeNull();
    expect(given.json.result.currentLiquidPaise).toBe(10_000_00);
  },
  'GET /api/financial/transactions': async () => {
    expect((await asRavi('GET', '/api/financial/transactions')).json.items).toEqual([]);
    for (const key of a.accountKeys) expect((await asRavi('GET', `/api/financial/transactions?account=${encodeURIComponent(key)}`)).json.items).toEqual([]);
  },
  'GET /api/financial/net-worth': async () => {
    expect((await asRavi('GET', '/api/financial/net-worth?period=all')).json.series).toEqual([]);
  },
};

// Routes with an id first: B must not yet own an object with the same id (the Fi link is `fi` for everyone).
const allRoutes = [...routesOf(api(getDeps)), ...routesOf(auth(getDeps)), ...routesOf(chat(getDeps))].sort((x, y) => Number(y.pattern.includes(':')) - Number(x.pattern.includes(':')));
const userScoped = allRoutes.filter((r) => !(keyOf(r) in PUBLIC));

describe('access control over every route', () => {
  it('reads the route tables (sanity)', () => {
    expect(allRoutes.length).toBeGreaterThanOrEqual(15);
    expect(userScoped.length).toBeGreaterThanOrEqual(12);
  });

  it.each(userScoped.map((r) => [keyOf(r), r] as const))('%s: 401 without a session; another user gets 404 or only their own data', async (key, route) => {
    const path = route.pattern.replace(/:([A-Za-z]+)/g, 'x');
    const anonymous = await new Browser(fns.url).call(route.method, path, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
    expect(anonymous.status, `${key} must require a session (or be listed in PUBLIC with a reason)`).toBe(401);
    const check = CASES[key];
    expect(check, `${key} has no access-control case: add one to CASES`).toBeDefined();
    await check!();
  });

  it('lists only routes that exist as public', () => {
    const keys = new Set(allRoutes.map(keyOf));
    for (const key of Object.keys(PUBLIC).filter((k) => !k.startsWith('POST /auth/google') && !k.startsWith('GET /auth/google'))) expect(keys, key).toContain(key);
  });
});
