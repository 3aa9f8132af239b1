import { createHash } from 'node:crypto';
import type { Firestore, Timestamp } from '@google-cloud/firestore';
import type { Clock } from '../../ports/clock.js';
import { decide, rollWindow, type RateLimitCheck, type RateLimitDecision, type RateLimiter, type WindowState } from '../../ports/rate-limiter.js';
import { GrpcCode, grpcCode } from './client.js';

interface RateLimitDoc extends WindowState {
  readonly windowMs: number;
  /** After this the document says nothing (two windows later); the TTL policy deletes it. */
  readonly expiresAt: Timestamp;
}

/** Document ids hash the key: keys hold IPs and session hashes, which we do not store as such. */
const docId = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Refusals remembered in memory, so a flood on one key is answered without Firestore. */
const MAX_REMEMBERED = 10_000;

/**
 * `rateLimits/{sha256(key)}`: sliding-window counters updated in one Firestore transaction
 * per request (all checks of a request together), so every instance shares the counts.
 * Each refused key is also remembered in this instance until it may succeed again; that
 * cache can only refuse early, never allow beyond the shared count.
 */
export class FirestoreRateLimiter implements RateLimiter {
  private readonly refused = new Map<string, number>();

  constructor(
    private readonly db: Firestore,
    private readonly clock: Clock,
    private readonly collection = 'rateLimits',
  ) {}

  async consume(checks: readonly RateLimitCheck[]): Promise<RateLimitDecision> {
    if (checks.length === 0) return { allowed: true };
    const ids = checks.map((c) => docId(c.key));
    const nowMs = this.clock.now().getTime();
    const until = Math.max(0, ...ids.map((id) => this.refused.get(id) ?? 0));
    if (until > nowMs) return { allowed: false, retryAfterMs: until - nowMs, reason: 'limit' };

    const { Timestamp } = await import('@google-cloud/firestore');
    const refs = ids.map((id) => this.db.collection(this.collection).doc(id));
    try {
      const decision = await this.db.runTransaction(
        async (tx) => {
          const now = this.clock.now().getTime();
          const snaps = await tx.getAll(...refs);
          const states = snaps.map((snap, i) => {
            const doc = snap.data() as RateLimitDoc | undefined;
            const check = checks[i]!;
            // A window length change (new config) starts the key afresh.
            return rollWindow(doc && doc.windowMs === check.windowMs ? doc : undefined, now, check.windowMs);
          });
          let retryAfterMs = 0;
          states.forEach((state, i) => {
            const d = decide(state, now, checks[i]!);
            if (!d.allowed) {
              retryAfterMs = Math.max(retryAfterMs, d.retryAfterMs);
              this.remember(ids[i]!, now + d.retryAfterMs);
            }
          });
          if (retryAfterMs > 0) return { allowed: false, retryAfterMs, reason: 'limit' } as const;
          states.forEach((state, i) => {
            const windowMs = checks[i]!.windowMs;
            const doc: RateLimitDoc = { ...state, count: state.count + 1, windowMs, expiresAt: Timestamp.fromMillis(state.start + 2 * windowMs) };
            tx.set(refs[i]!, doc);
          });
          return { allowed: true } as const;
        },
        { maxAttempts: 3 },
      );
      return decision;
    } catch (e) {
      // Many concurrent requests on one key: that is itself a burst; ask the caller to slow down.
      if (grpcCode(e) === GrpcCode.ABORTED) return { allowed: false, retryAfterMs: 1_000, reason: 'contention' };
      throw e;
    }
  }

  private remember(id: string, untilMs: number): void {
    if (this.refused.size >= MAX_REMEMBERED) this.refused.clear();
    this.refused.set(id, untilMs);
  }
}
