import { PassThrough } from 'node:stream';
import { http } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeps, type Deps } from '../../functions/deps.js';
import { router, safeProblems } from '../../functions/platform/http.js';
import { limited } from '../../functions/platform/rate-limit.js';
import { clientIp, SECURITY_HEADERS } from '../../functions/platform/security.js';
import { loadConfig } from '../../shared/config/config.js';
import { AppError } from '../../shared/domain/errors.js';
import { decide, rollWindow, type RateLimitCheck, type RateLimitDecision, type RateLimiter, type WindowState } from '../../shared/ports/rate-limiter.js';
import { PRODUCTION_ENV } from '../support/fixtures.js';
import { serveRegistered } from '../support/fixtures.js';

/**
 * The HTTP shell through the functions framework's own server: headers, CORS, CSRF, body
 * limits, JSON-only bodies, path decoding and rate limits (with a typed in-memory limiter
 * and a controllable clock; the Firestore one is tested on the emulator).
 */
const production = PRODUCTION_ENV;
const base = { APP_ENV: 'test', GCP_PROJECT_ID: 'demo-unit-shell', FIRESTORE_EMULATOR_HOST: '127.0.0.1:1', PUBSUB_EMULATOR_HOST: '127.0.0.1:2', LOG_FORMAT: 'json' };
const config = loadConfig({ ...base, CORS_ORIGINS: 'https://app.example.com', MAX_BODY_BYTES: '2048', TRUSTED_PROXY_HOPS: '1', RATE_LIMIT_DEFAULT: '3,5,60', RATE_LIMIT_SYNC: '1,100,3600' });
const logStream = new PassThrough().resume();

let nowMs = Date.UTC(2026, 10, 1, 10, 0, 0);
const clock = { now: () => new Date(nowMs) };

/** The port's semantics in memory: the same sliding window as the Firestore adapter. */
class InMemoryRateLimiter implements RateLimiter {
  readonly states = new Map<string, WindowState>();
  calls = 0;
  async consume(checks: readonly RateLimitCheck[]): Promise<RateLimitDecision> {
    this.calls += 1;
    const now = clock.now().getTime();
    const rolled = checks.map((c) => rollWindow(this.states.get(c.key), now, c.windowMs));
    const refused = rolled.map((s, i) => decide(s, now, checks[i]!)).filter((d) => !d.allowed);
    if (refused.length) return { allowed: false, retryAfterMs: Math.max(...refused.map((d) => (d.allowed ? 0 : d.retryAfterMs))), reason: 'limit' };
    rolled.forEach((s, i) => this.states.set(checks[i]!.key, { ...s, count: s.count + 1 }));
    return { allowed: true };
  }
}

let limiter: RateLimiter = new InMemoryRateLimiter();
const deps: Deps = { ...createDeps(config, { clock, logStream }), rateLimiter: async () => limiter };

let url: string;
let legacyUrl: string;
const servers: Array<{ close: () => void }> = [];
const serve = (name: string): Promise<string> => serveRegistered(name, servers);

const routes = {
  'GET /items': async (_req, res) => void res.json({ items: [] }),
  'GET /items/:id': async (_req, res, ctx) => void res.json({ id: ctx.params.id }),
  'POST /items': async (req, res) => void res.status(201).json({ got: req.body }),
  'DELETE /items/:id': async (_req, res) => void res.status(204).end(),
  'POST /sync': limited('sync', async (_req, res) => void res.status(202).json({ ok: true })),
  'GET /probe': limited('none', async (_req, res) => void res.json({ ok: true })),
  'POST /invalid': async () => {
    throw new AppError('VALIDATION.INVALID_INPUT', 'request body is invalid: <img src=x>: unknown field', { problems: [{ field: '<img src=x>', message: 'unknown field' }] });
  },
  'GET /boom': async () => {
    throw new Error('internal detail');
  },
} satisfies Parameters<typeof router>[0];

beforeAll(async () => {
  http('shellUnderTest', router(routes, () => deps));
  http('legacyShell', router(routes, () => deps.logger()));
  url = await serve('shellUnderTest');
  legacyUrl = await serve('legacyShell');
});
afterAll(() => servers.forEach((s) => s.close()));
beforeEach(() => {
  limiter = new InMemoryRateLimiter();
  nowMs += 3_600_000 * 3;
});

/** Each request from its own client address, so rate limits stay out of the way unless a test wants them. */
let ipSeq = 0;
const nextIp = () => `198.51.100.${(ipSeq++ % 250) + 1}`;
const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}, target = url) =>
  fetch(`${target}${path}`, { ...init, headers: { 'x-forwarded-for': nextIp(), ...init.headers } });
const json = { 'content-type': 'application/json' };

describe('security headers', () => {
  it.each([
    ['200', 'GET', '/items', undefined],
    ['404', 'GET', '/nope', undefined],
    ['405', 'PUT', '/items', undefined],
    ['400', 'POST', '/invalid', undefined],
    ['500', 'GET', '/boom', undefined],
    ['413', 'POST', '/items', 'x'.repeat(4096)],
  ])('are on a %s answer', async (_label, method, path, body) => {
    const res = await call(path, { method, ...(body ? { body: JSON.stringify({ big: body }), headers: json } : {}) });
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), name).toBe(value);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('are on the answers of a router configured with a logger only', async () => {
    const res = await call('/items', {}, legacyUrl);
    expect(res.headers.get('content-security-policy')).toBe(SECURITY_HEADERS['Content-Security-Policy']);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('404 and 405 answers do not echo the path', async () => {
    const res = await call('/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/script|alert/i);
  });
});

describe('CORS', () => {
  it('echoes an allowlisted origin with credentials', async () => {
    const res = await call('/items', { headers: { origin: 'https://app.example.com' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it.each(['https://evil.example', 'null', 'https://app.example.com.evil.example', 'http://app.example.com'])('gives %s no CORS headers', async (origin) => {
    const res = await call('/items', { headers: { origin } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers a preflight from an allowlisted origin, and refuses others', async () => {
    const ok = await call('/items/1', { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'DELETE' } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-methods')).toBe('GET, DELETE');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);
    const evil = await call('/items/1', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' } });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ error: { code: 'CORS.ORIGIN_REJECTED' } });
    const wrongMethod = await call('/items/1', { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PATCH' } });
    expect(wrongMethod.status).toBe(403);
  });
});

describe('CSRF on state-changing requests', () => {
  const cookie = { cookie: '__session=abc' };
  it.each<[string, string, Record<string, string>, number, string?]>([
    ['an allowlisted Origin', 'POST', { ...json, origin: 'https://app.example.com' }, 201],
    ['the API’s own origin (Host)', 'POST', { ...json, origin: 'SELF' }, 201],
    ['a foreign Origin', 'POST', { ...json, origin: 'https://evil.example' }, 403, 'CSRF.ORIGIN_REJECTED'],
    ['Origin: null (sandboxed frame, file:)', 'POST', { ...json, origin: 'null' }, 403, 'CSRF.ORIGIN_REJECTED'],
    ['a foreign Origin on DELETE', 'DELETE', { origin: 'https://evil.example' }, 403, 'CSRF.ORIGIN_REJECTED'],
    ['Sec-Fetch-Site: cross-site', 'POST', { ...json, 'sec-fetch-site': 'cross-site' }, 403, 'CSRF.ORIGIN_REJECTED'],
    ['Sec-Fetch-Site: same-site', 'POST', { ...json, 'sec-fetch-site': 'same-site' }, 403, 'CSRF.ORIGIN_REJECTED'],
    ['Sec-Fetch-Site: same-origin', 'POST', { ...json, 'sec-fetch-site': 'same-origin' }, 201],
    ['no browser headers (server to server)', 'POST', json, 201],
    ['no browser headers, a cookie and JSON', 'POST', { ...json, ...cookie }, 201],
    ['no browser headers, a cookie and no body', 'POST', cookie, 403, 'CSRF.JSON_REQUIRED'],
    ['no browser headers, a cookie and a form body', 'POST', { ...cookie, 'content-type': 'application/x-www-form-urlencoded' }, 403, 'CSRF.JSON_REQUIRED'],
  ])('%s → %s', async (_label, method, headers, status, code) => {
    const origin = headers.origin === 'SELF' ? url : headers.origin;
    const path = method === 'DELETE' ? '/items/1' : '/items';
    const body = headers['content-type'] === 'application/json' ? '{"a":1}' : headers['content-type'] ? 'a=1' : undefined;
    const res = await call(path, { method, headers: { ...headers, ...(origin ? { origin } : {}) }, ...(body ? { body } : {}) });
    expect(res.status).toBe(status);
    if (code) expect(await res.json()).toMatchObject({ error: { code } });
  });

  it('leaves safe methods alone whatever the origin', async () => {
    expect((await call('/items', { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
  });
});

describe('bodies', () => {
  it('refuses a declared length over the limit with 413 naming the limit', async () => {
    const res = await call('/items', { method: 'POST', headers: json, body: JSON.stringify({ s: 'x'.repeat(3000) }) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'REQUEST.TOO_LARGE', message: expect.stringContaining('2048 bytes') } });
  });

  it('refuses a chunked body over the limit', async () => {
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(new TextEncoder().encode(i === 0 ? '{"s":"' : i === 3 ? '"}' : 'y'.repeat(1500)));
        c.close();
      },
    });
    const res = await call('/items', { method: 'POST', headers: json, body: chunks, duplex: 'half' } as RequestInit & { headers: Record<string, string> });
    expect(res.status).toBe(413);
  });

  it('refuses a state-changing body that is not JSON, naming content-type', async () => {
    const res = await call('/items', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"a":1}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { problems: [{ field: 'content-type' }] } });
  });

  it('answers 400 for a malformed percent-escape in a path parameter', async () => {
    const res = await call('/items/%E0%A4%A');
    expect([400, 404]).toContain(res.status);
  });

  it.each([
    ['an encoded slash', 'users%2Fother%2Fconsents%2Fx'],
    ['a backslash', '..%5Cwin.ini'],
    ['a reserved name', '__proto__'],
    ['a control character', 'a%00b'],
    ['an over-long id', 'a'.repeat(129)],
  ])('refuses %s as a path id with 400 naming the parameter', async (_label, id) => {
    const res = await call(`/items/${id}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { problems: [{ field: 'id' }] } });
  });
});

describe('error bodies name fields, never values', () => {
  it('replaces a field name that is not a plain identifier', async () => {
    const res = await call('/invalid', { method: 'POST' });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).not.toContain('<img');
    expect(JSON.parse(text)).toMatchObject({ error: { problems: [{ field: '(invalid name)' }] } });
  });

  it.each([
    ['a.b.0', 'a.b.0'],
    ['__proto__', '__proto__'],
    ['a.<x>', 'a.(invalid name)'],
    ['a b', '(invalid name)'],
  ])('%s → %s', (field, safe) => {
    expect(safeProblems(`body is invalid: ${field}: bad`, [{ field, message: 'bad' }])).toEqual({ message: `body is invalid: ${safe}: bad`, problems: [{ field: safe, message: 'bad' }] });
  });
});

describe('rate limits', () => {
  it('trips at the per-IP limit with 429 and Retry-After, and recovers after it', async () => {
    const ip = '203.0.113.7';
    const get = () => call('/items', { headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 5; i++) expect((await get()).status).toBe(200);
    const limited429 = await get();
    expect(limited429.status).toBe(429);
    const retryAfter = Number(limited429.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(await limited429.json()).toMatchObject({ error: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } });
    expect(limited429.headers.get('content-security-policy')).toBeTruthy();
    nowMs += retryAfter * 1000;
    expect((await get()).status).toBe(200);
  });

  it('limits a user (session) on its own budget, below the IP budget', async () => {
    const get = (ip: string) => call('/items', { headers: { 'x-forwarded-for': ip, cookie: '__session=user-token-1' } });
    for (let i = 0; i < 3; i++) expect((await get(nextIp())).status).toBe(200);
    expect((await get(nextIp())).status).toBe(429);
    // Another session from the same addresses is not affected.
    expect((await call('/items', { headers: { cookie: '__session=user-token-2' } })).status).toBe(200);
  });

  it('uses the stricter class a route declares, and nothing for `none`', async () => {
    const cookie = '__session=sync-user';
    const sync = () => call('/sync', { method: 'POST', headers: { cookie, ...json }, body: '{}' });
    expect((await sync()).status).toBe(202);
    const refused = await sync();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    const before = (limiter as InMemoryRateLimiter).calls;
    for (let i = 0; i < 10; i++) expect((await call('/probe', { headers: { 'x-forwarded-for': '203.0.113.99' } })).status).toBe(200);
    expect((limiter as InMemoryRateLimiter).calls).toBe(before);
  });

  it('does not count requests the shell refused before the limiter (404, 403, 413)', async () => {
    const ip = '203.0.113.50';
    for (let i = 0; i < 10; i++) await call('/nope', { headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 10; i++) await call('/items', { method: 'POST', headers: { 'x-forwarded-for': ip, origin: 'https://evil.example', ...json }, body: '{}' });
    expect((limiter as InMemoryRateLimiter).calls).toBe(0);
  });

  it('lets the request through when the limiter fails (fail open, logged)', async () => {
    limiter = { consume: async () => Promise.reject(new Error('store down')) };
    expect((await call('/items')).status).toBe(200);
  });
});

describe('sliding window (pure)', () => {
  const W = 60_000;
  it.each<[string, WindowState | undefined, number, WindowState]>([
    ['starts empty', undefined, 90_000, { start: 60_000, count: 0, prev: 0 }],
    ['keeps the current window', { start: 60_000, count: 4, prev: 2 }, 100_000, { start: 60_000, count: 4, prev: 2 }],
    ['rolls one window', { start: 60_000, count: 4, prev: 2 }, 130_000, { start: 120_000, count: 0, prev: 4 }],
    ['forgets after two windows', { start: 60_000, count: 4, prev: 2 }, 200_000, { start: 180_000, count: 0, prev: 0 }],
  ])('%s', (_l, state, now, expected) => expect(rollWindow(state, now, W)).toEqual(expected));

  it.each<[string, WindowState, number, boolean]>([
    ['under the limit', { start: 0, count: 2, prev: 0 }, 10_000, true],
    ['at the limit', { start: 0, count: 5, prev: 0 }, 10_000, false],
    ['the previous window still weighs', { start: 60_000, count: 1, prev: 5 }, 66_000, false],
    ['the previous window has slid out enough', { start: 60_000, count: 1, prev: 5 }, 108_000, true],
  ])('%s', (_l, state, now, allowed) => expect(decide(state, now, { limit: 5, windowMs: W }).allowed).toBe(allowed));

  it('says exactly when a retry succeeds', () => {
    for (const state of [{ start: 0, count: 5, prev: 0 }, { start: 60_000, count: 1, prev: 5 }, { start: 60_000, count: 5, prev: 5 }]) {
      const now = state.start + 7_000;
      const d = decide(state, now, { limit: 5, windowMs: W });
      expect(d.allowed).toBe(false);
      if (d.allowed) continue;
      const at = now + d.retryAfterMs;
      expect(decide(rollWindow(state, at, W), at, { limit: 5, windowMs: W }).allowed).toBe(true);
      expect(decide(rollWindow(state, at - 50, W), at - 50, { limit: 5, windowMs: W }).allowed).toBe(false);
    }
  });
});

describe('client address', () => {
  const req = (xff: string | undefined) => ({ header: (n: string) => (n === 'x-forwarded-for' ? xff : undefined), socket: { remoteAddress: '10.0.0.1' } }) as never;
  it.each<[string | undefined, number, string]>([
    ['1.2.3.4', 0, '10.0.0.1'],
    ['9.9.9.9, 1.2.3.4', 1, '1.2.3.4'],
    ['9.9.9.9, 1.2.3.4, 35.1.1.1', 2, '1.2.3.4'],
    [undefined, 1, '10.0.0.1'],
    ['not-an-ip', 1, '10.0.0.1'],
    ['2001:DB8::1', 1, '2001:db8::1'],
  ])('%s with %i hops → %s', (xff, hops, ip) => expect(clientIp(req(xff), hops)).toBe(ip));
});

describe('configuration of the shell', () => {
  it('defaults: the frontend origin and the local dev origins; production defaults are strict', () => {
    const local = loadConfig({ ...base, FRONTEND_URL: 'http://127.0.0.1:5173/app' });
    expect(local.http.corsOrigins).toEqual(['http://127.0.0.1:5173', 'http://localhost:5173']);
    expect(local.http.maxBodyBytes).toBe(32_768);
    const prod = loadConfig(production);
    expect(prod.http).toMatchObject({ corsOrigins: ['https://app.example.com'], trustedProxyHops: 1, rateLimits: { default: { perUser: 300, perIp: 1200, windowSeconds: 60 }, signin: { perIp: 20 }, sync: { perUser: 10 } } });
  });

  it.each([
    ['CORS_ORIGINS', 'https://a.example/path'],
    ['CORS_ORIGINS', '*'],
    ['MAX_BODY_BYTES', '10'],
    ['RATE_LIMIT_SYNC', '10'],
    ['RATE_LIMIT_SYNC', '0,1,60'],
    ['TRUSTED_PROXY_HOPS', '9'],
  ])('refuses %s=%s, naming the key', (key, value) => {
    expect(() => loadConfig({ ...base, [key]: value })).toThrow(new RegExp(`${key}(\\.\\d+)?:`));
  });

  it('refuses http origins in production', () => {
    expect(() => loadConfig({ ...production, CORS_ORIGINS: 'http://app.example.com' })).toThrow(/CORS_ORIGINS: every origin must be https/);
  });
});
