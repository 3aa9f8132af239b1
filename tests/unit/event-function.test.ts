import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventFunction, RetryLater, type EventRuntime } from '../../functions/platform/event-function.js';
import { ConfigError } from '../../shared/config/config.js';
import { AppError, unavailable } from '../../shared/domain/errors.js';
import { InMemoryIdempotencyStore, ManualClock, MemoryLogger } from '../support/in-memory.js';

const Payload = z.object({ uid: z.string(), n: z.number() });

function setup(handle: (p: z.infer<typeof Payload>) => Promise<void>) {
  const clock = new ManualClock();
  const log = new MemoryLogger();
  const idempotency = new InMemoryIdempotencyStore(clock);
  const rt: EventRuntime = { log, idempotency, clock, maxAgeMs: 3_600_000 };
  const fn = eventFunction({ name: 'probe', schema: Payload, businessKey: (p) => p.uid, handle }, async () => rt);
  return { fn, log, idempotency, clock };
}

const anEvent = (payload: unknown, id = 'evt-1', time = '2026-11-23T23:59:00Z') => ({
  id,
  type: 'google.cloud.pubsub.topic.v1.messagePublished',
  source: '//pubsub.googleapis.com/projects/demo-x/topics/t',
  time,
  data: { message: { data: Buffer.from(JSON.stringify(payload)).toString('base64'), messageId: id }, subscription: 's' },
});

describe('eventFunction', () => {
  it('runs the effect once and acknowledges redeliveries, with the event id on every line', async () => {
    const seen: number[] = [];
    const { fn, log } = setup(async (p) => void seen.push(p.n));
    await fn(anEvent({ uid: 'u1', n: 1 }));
    await fn(anEvent({ uid: 'u1', n: 1 }));
    await fn(anEvent({ uid: 'u1', n: 1 }, 'evt-2')); // a publisher retry: new id, same business key
    expect(seen).toEqual([1]);
    expect(log.lines.map((l) => l.message)).toEqual(['event handled', 'event skipped: already handled', 'event skipped: already handled']);
    for (const line of log.lines) expect(line.fields.eventId).toMatch(/^evt-/);
  });

  it('acknowledges a permanent error after logging it, and does not run it again', async () => {
    let calls = 0;
    const { fn, log } = setup(async () => {
      calls += 1;
      throw new AppError('VALIDATION.INVALID_INPUT', 'consent revoked');
    });
    await expect(fn(anEvent({ uid: 'u1', n: 1 }))).resolves.toBeUndefined();
    await fn(anEvent({ uid: 'u1', n: 1 }));
    expect(calls).toBe(1);
    expect(log.lines[0]).toMatchObject({ level: 'warn', message: 'event failed permanently; acknowledged', fields: { errorCode: 'VALIDATION.INVALID_INPUT' } });
  });

  it.each([
    ['a retryable AppError', () => unavailable('Fi MCP'), 'DEPENDENCY.UNAVAILABLE'],
    ['an unexpected error', () => new TypeError('x is undefined'), 'INTERNAL'],
  ])('throws RetryLater on %s, releases the claim, and the retry runs the effect', async (_l, makeError, code) => {
    let calls = 0;
    const { fn } = setup(async () => {
      calls += 1;
      if (calls === 1) throw makeError();
    });
    const err = await fn(anEvent({ uid: 'u1', n: 1 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLater);
    expect((err as RetryLater).code).toBe(code);
    // The framework prints err.stack for thrown errors: it must hold no trace.
    expect((err as Error).stack).toBe(`retry later: ${code}`);
    await fn(anEvent({ uid: 'u1', n: 1 }));
    expect(calls).toBe(2);
  });

  it('asks a redelivery of an event still being handled to come back later', async () => {
    let release!: () => void;
    const { fn } = setup(() => new Promise<void>((r) => (release = r)));
    const first = fn(anEvent({ uid: 'u1', n: 1 }));
    await new Promise((r) => setImmediate(r));
    await expect(fn(anEvent({ uid: 'u1', n: 1 }))).rejects.toBeInstanceOf(RetryLater);
    release();
    await first;
  });

  it.each([
    ['a payload that breaks the schema', anEvent({ uid: 'u1', n: 'one' })],
    ['a payload that is not JSON', { ...anEvent({}), data: { message: { data: Buffer.from('nope').toString('base64') } } }],
    ['an event older than the maximum age', anEvent({ uid: 'u1', n: 1 }, 'evt-old', '2026-11-22T00:00:00Z')],
  ])('acknowledges %s without running the effect', async (_l, event) => {
    let calls = 0;
    const { fn, log } = setup(async () => void (calls += 1));
    await expect(fn(event)).resolves.toBeUndefined();
    expect(calls).toBe(0);
    expect(log.lines[0]?.level).toBe('warn');
  });

  it('keeps the event for later when the service is misconfigured, reporting keys and no stack', async () => {
    const writes: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((c: string) => (writes.push(String(c)), true)) as typeof process.stderr.write;
    try {
      const fn = eventFunction({ name: 'probe', schema: Payload, handle: async () => {} }, async () => {
        throw new ConfigError(['APP_ENV: required: one of local, test, production']);
      });
      await expect(fn(anEvent({ uid: 'u1', n: 1 }))).rejects.toBeInstanceOf(RetryLater);
    } finally {
      process.stderr.write = original;
    }
    const line = JSON.parse(writes.join('')) as Record<string, string>;
    expect(line).toMatchObject({ severity: 'CRITICAL', errorCode: 'CONFIG.INVALID' });
    expect(line.message).toContain('APP_ENV: required');
    expect(line.message).not.toMatch(/\n\s+at /);
  });
});
