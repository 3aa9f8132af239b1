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
import { testProjectId, useEmulatorEnv } from '../support/emulator-env.js';
import { DEEP_JSON, HOSTILE_STRINGS, LEAK_PATTERNS, MALFORMED_JSON, UNKNOWN_FIELDS, WRONG_TYPES, type HostileString } from '../support/hostile-corpus.js';
import { captureStdout } from '../support/log-capture.js';
import { oidcEnv } from '../support/fixtures.js';

/**
 * Abuse (OWASP API8/API4; "bad input gets a 4xx naming the field, never a 500"), over EVERY
 * route of the HTTP functions, read from the routers: hostile strings in path parameters,
 * query strings (GET routes) and JSON fields; malformed JSON, wrong types, unknown fields,
 * prototype-pollution keys, deep nesting and oversized bodies (state-changing routes).
 *
 * What counts as a right answer:
 * - never 5xx, never a stack trace or path, never a hostile value echoed in an error, never a
 *   header injected, never a polluted Object.prototype (the functions run in this process);
 * - a hostile path id, and any bad body, gets a 4xx: no route takes such input;
 * - a hostile query value on a GET may get a 2xx where the route ignores unknown parameters
 *   (the views) or where the value is a legitimate filter (`account` matches nothing: empty
 *   list); typed parameters (limit, kind, from, to, cursor, period) answer 400;
 * - the sign-in callback answers 303 back to the app (never to a hostile URL): that is how it
 *   reports every failure to the browser;
 * - `POST /auth/logout` ignores its body and answers 204 (it takes no input and is run
 *   without a session here, so it ends nothing).
 */
const projectId = testProjectId('abuse');
const logs = captureStdout();
const MAX_BODY = 8_192;

let oidc: OidcServer;
let fi: FiDevServer;
let fns: LocalFunctions;
let cookie = '';

const tally = { requests: 0, s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 0 };
const failures: string[] = [];

/** A valid body per route that takes one; each field is replaced in turn by hostile values. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /auth/dev/login': { email: 'abuse@example.com' },
  'POST /api/consents': { scopes: ['net_worth'], purpose: 'net_worth_tracking', dataLifeDays: 30 },
  'POST /auth/google/begin': { redirectPath: '/' },
  'POST /api/simulate': { type: 'sip', monthlyAmountPaise: 10_000_00, years: 10 },
  'POST /api/chat': { message: 'What is my net worth?' },
  'POST /api/insights/:id/actions': { action: 'dismiss' },
};
/** Query parameters each GET route understands (others get `q`). */
const QUERY_KEYS: Record<string, readonly string[]> = {
  'GET /api/financial/transactions': ['account', 'kind', 'from', 'to', 'limit', 'cursor'],
  'GET /api/financial/net-worth': ['period'],
  'GET /api/insights': ['category', 'limit'],
  'GET /auth/google/callback': ['code', 'state', 'error'],
};
/** Body fields that are free text: any string of an accepted length is valid input (2xx), never 5xx. */
const FREE_TEXT = new Set(['POST /api/chat message']);
/** Routes that answer 2xx to any body (documented above). */
const BODY_IGNORED = new Set(['POST /auth/logout']);
/** Routes that run without a session in this test (they would end or replace it). */
const ANONYMOUS = new Set(['POST /auth/logout', 'POST /auth/google/begin', 'GET /auth/google/callback']);
const REDIRECTS = new Set(['GET /auth/google/callback']);

const keyOf = (r: RouteInfo) => `${r.method} ${r.pattern}`;
const routesOf = (fn: unknown): RouteInfo[] => [...((fn as Partial<HttpFunction>).routes ?? [])];
const allRoutes = [...routesOf(api(getDeps)), ...routesOf(auth(getDeps)), ...routesOf(chat(getDeps))];

type Expect = '4xx' | 'not5xx';

async function send(route: RouteInfo, path: string, init: { body?: string; contentType?: string }, expectClass: Expect, hostile?: HostileString, label = ''): Promise<void> {
  const key = keyOf(route);
  const res = await fetch(`${fns.url}${path}`, {
    method: route.method,
    redirect: 'manual',
    headers: {
      ...(ANONYMOUS.has(key) ? {} : { cookie }),
      ...(init.body !== undefined ? { 'content-type': init.contentType ?? 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.text();
  tally.requests += 1;
  const cls = Math.floor(res.status / 100);
  if (cls === 2) tally.s2xx += 1;
  else if (cls === 3) tally.s3xx += 1;
  else if (cls === 4) tally.s4xx += 1;
  else tally.s5xx += 1;

  const what = `${key} ${label}${hostile ? ` [${hostile.name}]` : ''} → ${res.status}`;
  const fail = (why: string) => failures.push(`${what}: ${why}`);
  if (res.status >= 500) fail('5xx');
  if (REDIRECTS.has(key) && cls === 3) {
    const location = res.headers.get('location') ?? '';
    if (!location.startsWith(fns.url) && !location.startsWith('http://127.0.0.1:5173')) fail(`redirects off-site: ${location.slice(0, 80)}`);
    if (hostile?.mustNotEcho && hostile.value.length > 3 && (location.includes(hostile.value) || location.includes(encodeURIComponent(hostile.value)))) fail('echoes the input in Location');
  } else if (expectClass === '4xx' && cls !== 4) fail('expected a 4xx');
  else if (cls === 3) fail('unexpected redirect');
  for (const p of LEAK_PATTERNS) if (p.test(text)) fail(`leaks internals (${p})`);
  if ((res.headers.get('set-cookie') ?? '').includes('pwned')) fail('header injection');
  if (res.status >= 400 && hostile?.mustNotEcho && hostile.value.length > 3) {
    const escaped = JSON.stringify(hostile.value).slice(1, -1);
    if (text.includes(hostile.value) || text.includes(escaped)) fail('echoes the hostile input');
  }
  if (res.status >= 400 && res.status !== 413 && text.startsWith('{')) {
    const body = JSON.parse(text) as { error?: { code?: string; problems?: Array<{ field: string }> } };
    if (!body.error?.code) fail('an error without a code');
    for (const p of body.error?.problems ?? []) if (!/^[A-Za-z0-9_.() -]*$/.test(p.field)) fail(`a problem names a raw field: ${p.field.slice(0, 40)}`);
  }
}

/** Percent-encodes; a lone surrogate (which encodeURIComponent refuses) goes as the invalid UTF-8 bytes ED A0 80. */
const enc = (value: string): string => value.split(/([\uD800-\uDFFF])/).map((part) => (/^[\uD800-\uDFFF]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part))).join('');
const fill = (pattern: string, value: string) => pattern.replace(/:([A-Za-z]+)/g, () => enc(value));
/** Whether `path` is served by another route with the same method (as the router matches: trailing slash optional). */
const routesElsewhere = (route: RouteInfo, path: string): boolean =>
  allRoutes.some((r) => r !== route && r.method === route.method && new RegExp(`^${r.pattern.replace(/\/:([A-Za-z]+)/g, '/([^/]+)')}/?$`).test(path));

beforeAll(async () => {
  oidc = await startOidcServer({ port: 0 });
  fi = await startFiDevServer({ port: 0, dataDir: join(process.cwd(), 'dev/fi-mcp/personas') });
  const port = await freePort();
  useEmulatorEnv(projectId, {
    FI_MCP_URL: fi.mcpUrl,
    ...oidcEnv(oidc, port),
    MAX_BODY_BYTES: String(MAX_BODY),
    // As on Cloud Functions (and `npm start`): the framework's own error pages carry no stack.
    NODE_ENV: 'production',
    // Thousands of requests from one address and one user: limits are tested in rate-limit.test.ts.
    RATE_LIMIT_DEFAULT: '100000,100000,60',
    RATE_LIMIT_SIGNIN: '100000,100000,60',
    RATE_LIMIT_SYNC: '100000,100000,60',
    RATE_LIMIT_CHAT: '100000,100000,60',
  });
  fns = await startLocalFunctions({ port, projectId });
  const login = await fetch(`${fns.url}/auth/dev/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'abuse@example.com' }) });
  expect(login.status).toBe(200);
  cookie = login.headers.get('set-cookie')!.split(';')[0]!;
}, 120_000);

afterAll(async () => {
  logs.restore();
  await fns?.close();
  await fi?.close();
  await oidc?.close();
});

describe('abuse over every route', () => {
  it('reads the route tables (sanity)', () => {
    expect(allRoutes.length).toBeGreaterThanOrEqual(15);
  });

  it.each(allRoutes.map((r) => [keyOf(r), r] as const))('%s: hostile input answers 4xx (or an accepted 2xx), never 5xx', async (key, route) => {
    const before = failures.length;
    const hasParams = route.pattern.includes(':');
    const plainPath = fill(route.pattern, 'x');
    const unsafe = route.method !== 'GET';

    // Path parameters. A value that changes the path's shape ('' or '..') can land on another
    // route of the same method (GET /x/:id with '' is GET /x/): that request is that route's.
    if (hasParams) {
      for (const h of HOSTILE_STRINGS) {
        const path = fill(route.pattern, h.value);
        const landsElsewhere = routesElsewhere(route, new URL(path, 'http://127.0.0.1').pathname);
        await send(route, path, {}, landsElsewhere ? 'not5xx' : '4xx', h, 'path');
      }
    }

    // Query strings (GET routes).
    if (!unsafe) {
      const keys = QUERY_KEYS[key] ?? ['q'];
      for (const [i, h] of HOSTILE_STRINGS.entries()) {
        if (h.value.length > 4_000) continue; // URLs that long are refused by Node before any code (431)
        const k = keys[i % keys.length]!;
        await send(route, `${plainPath}?${k}=${enc(h.value)}`, {}, 'not5xx', h, `query ${k}`);
        await send(route, `${plainPath}?${enc(h.value) || 'empty'}=1`, {}, 'not5xx', h, 'query key');
      }
      await send(route, `${plainPath}?__proto__[polluted]=yes&constructor[prototype][polluted]=yes`, {}, 'not5xx', undefined, 'query pollution');
      await send(route, `${plainPath}?limit=1&limit=2&limit=x`, {}, 'not5xx', undefined, 'repeated');
    }

    // Bodies (state-changing routes that can carry one).
    if (unsafe && route.method !== 'DELETE') {
      const expectBody: Expect = BODY_IGNORED.has(key) ? 'not5xx' : '4xx';
      for (const [label, body] of [...MALFORMED_JSON, ...WRONG_TYPES, ...UNKNOWN_FIELDS, ...DEEP_JSON]) await send(route, plainPath, { body }, expectBody, undefined, label);
      await send(route, plainPath, { body: JSON.stringify({ pad: 'x'.repeat(MAX_BODY) }) }, '4xx', undefined, 'oversized');
      await send(route, plainPath, { body: 'email=a@b.co', contentType: 'application/x-www-form-urlencoded' }, expectBody, undefined, 'form post');
      await send(route, plainPath, { body: '{"email":"a@b.co"}', contentType: 'text/plain' }, expectBody, undefined, 'text/plain');
      const valid = VALID_BODIES[key] ?? { unexpected: 'x' };
      for (const field of Object.keys(valid)) {
        for (const h of HOSTILE_STRINGS) {
          const value = Array.isArray(valid[field]) ? [h.value] : h.value;
          await send(route, plainPath, { body: JSON.stringify({ ...valid, [field]: value }) }, FREE_TEXT.has(`${key} ${field}`) ? 'not5xx' : expectBody, h, `body ${field}`);
        }
      }
    }
    expect(failures.slice(before), failures.slice(before).slice(0, 20).join('\n')).toEqual([]);
  });

  it('leaves Object.prototype unpolluted and prints the totals', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    console.log(
      `abuse corpus: ${tally.requests} requests over ${allRoutes.length} routes (${HOSTILE_STRINGS.length} hostile strings, ${MALFORMED_JSON.length + WRONG_TYPES.length + UNKNOWN_FIELDS.length + DEEP_JSON.length + 3} bad bodies), ` +
        `${tally.s4xx} 4xx, ${tally.s2xx} 2xx, ${tally.s3xx} 3xx, ${tally.s5xx} 5xx`,
    );
    expect(tally.s5xx).toBe(0);
    expect(tally.requests).toBeGreaterThan(1_000);
  });
});
