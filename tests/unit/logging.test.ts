import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { redact, REDACTED } from '../../shared/adapters/logging/redact.js';
import { createLogger } from '../../shared/adapters/logging/winston-logger.js';
import { captureStdout } from '../support/log-capture.js';

const SESSION = 'mcp-session-3f1c2a9e-8b7d-4c6e-9f01-23456789abcd';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const COOKIE_VALUE = 'k7Qp2Zr9vX1mN4bL8sT0wY3uE6aD5fG2';

/** Things that must never reach a log, each planted in a field and in free text. */
const secrets: Array<[string, Record<string, unknown>, string]> = [
  ['an MCP session id in a field', { mcpSessionId: SESSION }, SESSION],
  ['an MCP session id in text', { note: `resumed ${SESSION} ok` }, SESSION],
  ['a bearer token', { header: `Bearer ${COOKIE_VALUE}` }, COOKIE_VALUE],
  ['an Authorization header', { headers: { authorization: `Basic ${COOKIE_VALUE}` } }, COOKIE_VALUE],
  ['a cookie header', { headers: { cookie: `__session=${COOKIE_VALUE}; theme=dark` } }, COOKIE_VALUE],
  ['a Set-Cookie header', { headers: { 'set-cookie': [`__session=${COOKIE_VALUE}; HttpOnly`] } }, COOKIE_VALUE],
  ['a session cookie in text', { note: `got __session=${COOKIE_VALUE}` }, COOKIE_VALUE],
  ['a JWT in text', { note: `id token ${JWT}` }, JWT],
  ['an access token field', { accessToken: 'ya29.a0AfH6SMBx' }, 'ya29.a0AfH6SMBx'],
  ['a refresh token field', { tokens: { refresh_token: '1//0gLongRefresh' } }, '1//0gLongRefresh'],
  ['a session id field', { sessionId: COOKIE_VALUE }, COOKIE_VALUE],
  ['an OAuth code in a URL', { url: `https://x.example/cb?code=${COOKIE_VALUE}&state=abc` }, COOKIE_VALUE],
  ['a login URL with a session id', { url: `http://127.0.0.1:8484/mockWebPage?sessionId=${COOKIE_VALUE}` }, COOKIE_VALUE],
  ['a password', { password: 'hunter2hunter2' }, 'hunter2hunter2'],
  ['a PAN', { note: 'PAN ABCDE1234F on file' }, 'ABCDE1234F'],
  ['an account number', { note: 'account 123456789012 debited' }, '123456789012'],
  ['a date of birth', { dateOfBirth: '1990-01-31' }, '1990-01-31'],
];

describe('redact', () => {
  it.each(secrets)('removes %s', (_label, fields, secret) => {
    expect(JSON.stringify(redact(fields))).not.toContain(secret);
    expect(JSON.stringify(redact(fields))).toContain(REDACTED);
  });

  it('keeps ordinary fields and does not mutate its input', () => {
    const input = { runId: 'run-123456', count: 3, nested: { status: 'ok' }, token: 'x' };
    expect(redact(input)).toEqual({ runId: 'run-123456', count: 3, nested: { status: 'ok' }, token: REDACTED });
    expect(input.token).toBe('x');
  });

  it('survives cycles and deep nesting', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20; i++) deep = { deep };
    expect(() => JSON.stringify(redact({ a, deep }))).not.toThrow();
  });
});

describe('createLogger', () => {
  const collect = async (format: 'json' | 'pretty') => {
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (c: Buffer) => (out += c.toString()));
    const log = await createLogger({ level: 'debug', format, service: 'test', stream });
    return { log, out: () => out };
  };

  it.each(['json', 'pretty'] as const)('redacts every planted secret in %s format, in fields and messages', async (format) => {
    const { log, out } = await collect(format);
    for (const [label, fields] of secrets) log.info(`planted ${label}: ${JSON.stringify(fields)}`, fields);
    await new Promise((r) => setImmediate(r));
    expect(out().split('\n').filter(Boolean)).toHaveLength(secrets.length);
    for (const [, , secret] of secrets) expect(out()).not.toContain(secret);
  });

  it('carries bound fields (request and CloudEvent ids) on every line of a child', async () => {
    const { log, out } = await collect('json');
    const child = log.child({ requestId: 'req-0001', eventId: 'evt-0001' });
    child.info('one');
    child.warn('two', { extra: 1 });
    await new Promise((r) => setImmediate(r));
    const lines = out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatchObject({ requestId: 'req-0001', eventId: 'evt-0001', service: 'test' });
  });

  it('writes Cloud Logging structured entries through logging-winston in production format, redacted', async () => {
    const capture = captureStdout();
    try {
      const log = await createLogger({ level: 'info', format: 'json', service: 'ffai-test', projectId: 'demo-logs' });
      log.child({ eventId: 'evt-42' }).warn(`cookie __session=${COOKIE_VALUE}`, { authorization: `Bearer ${COOKIE_VALUE}`, runId: 'run-777777' });
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      capture.restore();
    }
    const entry = capture.lines().find((l) => l.runId === 'run-777777');
    expect(entry).toMatchObject({ severity: 'WARNING', eventId: 'evt-42', logName: 'projects/demo-logs/logs/ffai-test' });
    expect(capture.raw()).not.toContain(COOKIE_VALUE);
  });

  it('respects the level', async () => {
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (c: Buffer) => (out += c.toString()));
    const log = await createLogger({ level: 'warn', format: 'json', service: 't', stream });
    log.info('hidden');
    log.error('shown');
    await new Promise((r) => setImmediate(r));
    expect(out).not.toContain('hidden');
    expect(out).toContain('shown');
  });
});
