import type { TopicName, TopicPayload } from '../../shared/contracts/events.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { EventBus } from '../../shared/ports/event-bus.js';
import type { ClaimOutcome, ClaimRequest, IdempotencyStore } from '../../shared/ports/idempotency.js';
import type { LogFields, Logger } from '../../shared/ports/logger.js';

/** Typed in-memory implementations of our ports, for unit tests of the core and platform. */

export class ManualClock implements Clock {
  constructor(private t = Date.parse('2026-11-24T00:00:00Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly records = new Map<string, { owner: string; status: 'processing' | 'done'; expiresAt: number }>();
  constructor(private readonly clock: Clock) {}

  async claim(r: ClaimRequest): Promise<ClaimOutcome> {
    const now = this.clock.now().getTime();
    let outcome: ClaimOutcome = 'claimed';
    for (const key of r.keys) {
      const rec = this.records.get(key);
      if (!rec || rec.expiresAt <= now) continue;
      if (rec.status === 'done') return 'duplicate';
      outcome = rec.owner === r.owner ? 'in-progress' : 'duplicate';
    }
    if (outcome !== 'claimed') return outcome;
    for (const key of r.keys) this.records.set(key, { owner: r.owner, status: 'processing', expiresAt: now + r.leaseMs });
    return 'claimed';
  }

  async complete(r: ClaimRequest): Promise<void> {
    for (const key of r.keys) this.records.set(key, { owner: r.owner, status: 'done', expiresAt: this.clock.now().getTime() + r.retainMs });
  }

  async release(r: ClaimRequest): Promise<void> {
    for (const key of r.keys) if (this.records.get(key)?.owner === r.owner) this.records.delete(key);
  }
}

export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields;
}

/** Keeps every line with its bound fields. */
export class MemoryLogger implements Logger {
  constructor(
    readonly lines: LoggedLine[] = [],
    private readonly bound: LogFields = {},
  ) {}
  private add(level: LoggedLine['level'], message: string, fields: LogFields = {}): void {
    this.lines.push({ level, message, fields: { ...this.bound, ...fields } });
  }
  debug(m: string, f?: LogFields): void {
    this.add('debug', m, f);
  }
  info(m: string, f?: LogFields): void {
    this.add('info', m, f);
  }
  warn(m: string, f?: LogFields): void {
    this.add('warn', m, f);
  }
  error(m: string, f?: LogFields): void {
    this.add('error', m, f);
  }
  child(fields: LogFields): Logger {
    return new MemoryLogger(this.lines, { ...this.bound, ...fields });
  }
}

/** An EventBus that records what was published, in order. */
export class RecordingBus implements EventBus {
  readonly published: Array<{ topic: string; payload: unknown }> = [];
  async publish<T extends TopicName>(topic: T, payload: TopicPayload<T>): Promise<string> {
    this.published.push({ topic, payload });
    return String(this.published.length);
  }
}
