import { PassThrough } from 'node:stream';
import { http } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps, type Deps } from '../../functions/deps.js';
import { api } from '../../functions/http/api.http.js';
import { auth } from '../../functions/http/auth.http.js';
import { router } from '../../functions/platform/http.js';
import { ConfigError, loadConfig } from '../../shared/config/config.js';
import { AppError } from '../../shared/domain/errors.js';
import type { DependencyHealth, HealthProbe } from '../../shared/ports/health.js';
import { PRODUCTION_ENV, serveRegistered } from '../support/fixtures.js';

/** Handlers through the functions framework's own server, over real HTTP on loopback. */
const config = loadConfig({ APP_ENV: 'test', GCP_PROJECT_ID: 'demo-unit-api', FIRESTORE_EMULATOR_HOST: '127.0.0.1:1', PUBSUB_EMULATOR_HOST: '127.0.0.1:2', LOG_FORMAT: 'json' });
let logged = '';
const logStream = new PassThrough().on('data', (c: Buffer) => (logged += c.toString()));

const aProbe = (name: string, health: Partial<DependencyHealth>): HealthProbe => ({
  name,
  check: async () => ({ name, ok: true, target: '127.0.0.1:1', latencyMs: 1, ...health }),
});
let probes: HealthProbe[] = [];
const deps: Deps = { ...createDeps(config, { logStream }), healthProbes: async () => probes };

const servers: Array<{ close: () => void }> = [];
const serve = (name: string): Promise<string> => serveRegistered(name, servers);

let apiUrl: string;
let routerUrl: string;
beforeAll(async () => {
  http('apiUnderTest', api(() => deps));
  http(
    'routerUnderTest',
    router(
      {
        'GET /boom': async () => {
          throw new Error('secret internals at /srv/app.js:12 token=abc123');
        },
        'POST /bad': async () => {
          throw new AppError('VALIDATION.INVALID_INPUT', 'body is invalid: amount: expected a number', { problems: [{ field: 'amount', message: 'expected a number' }] });
        },
        'GET /items/:id': async (_req, res, ctx) => {
          res.json({ id: ctx.params.id });
        },
      },
      () => deps.logger(),
    ),
  );
  apiUrl = await serve('apiUnderTest');
  routerUrl = await serve('routerUnderTest');
});
afterAll(() => servers.forEach((s) => s.close()));

describe('GET /health', () => {
  it('reports each dependency and answers 200 when all are up', async () => {
    probes = [aProbe('firestore', { target: '127.0.0.1:8180' }), aProbe('pubsub', { target: '127.0.0.1:8185' })];
    const res = await fetch(`${apiUrl}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { status: string; dependencies: Record<string, DependencyHealth> };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.dependencies)).toEqual(['firestore', 'pubsub']);
    expect(body.dependencies.firestore).toMatchObject({ ok: true, target: '127.0.0.1:8180' });
  });

  it('answers 503 and names the failing dependency when one is down', async () => {
    probes = [aProbe('firestore', {}), aProbe('pubsub', { ok: false, error: 'no answer within 2000 ms' })];
    const res = await fetch(`${apiUrl}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'degraded', dependencies: { pubsub: { ok: false, error: 'no answer within 2000 ms' } } });
  });
});

describe('POST /auth/dev/login', () => {
  it.each([
    ['production', PRODUCTION_ENV],
  ])('does not exist in %s mode (404), whatever the body', async (_label, env) => {
    const prodDeps = createDeps(loadConfig(env), { logStream });
    http(`authProd`, auth(() => prodDeps));
    const url = await serve('authProd');
    const res = await fetch(`${url}/auth/dev/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@b.co' }) });
    expect(res.status).toBe(404);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('names the field when the body is invalid (local mode)', async () => {
    http('authLocal', auth(() => deps));
    const url = await serve('authLocal');
    const res = await fetch(`${url}/auth/dev/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'not-an-email', admin: true }) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { problems: Array<{ field: string }> } };
    expect(body.error.problems.map((p) => p.field).sort()).toEqual(['admin', 'email']);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await fetch(`${(await serve('authLocal'))}/auth/dev/login`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'email=a@b.co' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { problems: [{ field: 'content-type' }] } });
  });
});

describe('a misconfigured service', () => {
  it('answers 503 with a clear code, and reports the bad keys once on stderr without a stack', async () => {
    http('misconfigured', api(() => {
      throw new ConfigError(['GCP_PROJECT_ID: required: the Google Cloud project id']);
    }));
    const url = await serve('misconfigured');
    const writes: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((c: string) => (writes.push(String(c)), true)) as typeof process.stderr.write;
    let res: Response;
    try {
      res = await fetch(`${url}/health`);
    } finally {
      process.stderr.write = original;
    }
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'SERVICE.MISCONFIGURED' } });
    expect(writes.join('')).toContain('GCP_PROJECT_ID: required');
    expect(writes.join('')).not.toMatch(/\n\s+at /);
  });
});

describe('router', () => {
  it('answers 404 in JSON for an unknown path, with a request id', async () => {
    const res = await fetch(`${apiUrl}/api/nope`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(res.headers.get('x-request-id')).toBe(body.error.requestId);
  });

  it('answers 405 with Allow for a known path and the wrong method', async () => {
    const res = await fetch(`${apiUrl}/health`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('maps a coded error to its status and names the field', async () => {
    const res = await fetch(`${routerUrl}/bad`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION.INVALID_INPUT', problems: [{ field: 'amount' }] } });
  });

  it('hides an unexpected error behind a bare 500: no message, no stack, nothing secret in the logs', async () => {
    const res = await fetch(`${routerUrl}/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'INTERNAL', message: 'Internal error' } });
    expect(text).not.toMatch(/secret|internals|app\.js|token/);
    await new Promise((r) => setImmediate(r));
    expect(logged).toContain('request failed with an unexpected error');
    expect(logged).not.toContain('abc123');
    expect(logged).not.toMatch(/\n\s+at /);
  });

  it('keeps a well-formed caller request id and replaces a hostile one', async () => {
    const ok = await fetch(`${routerUrl}/items/1`, { headers: { 'x-request-id': 'req-12345678' } });
    expect(ok.headers.get('x-request-id')).toBe('req-12345678');
    const hostile = await fetch(`${routerUrl}/items/1`, { headers: { 'x-request-id': '<script>alert(1)</script>' } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('decodes path parameters', async () => {
    expect(await (await fetch(`${routerUrl}/items/a%20b`)).json()).toEqual({ id: 'a b' });
  });
});
