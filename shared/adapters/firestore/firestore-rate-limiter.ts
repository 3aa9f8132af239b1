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
 * How many requests one instance takes from the shared count at a time: 1 for small limits
 * (exact), up to 20 for large ones. Tokens an instance holds count as spent for everyone, so
 * the limit is never exceeded; at worst a client is refused a little early while another
 * instance still holds some of its tokens (at most lease x (instances - 1) of them).
 */
export const leaseSize = (limit: number): number => Math.min(20, Math.max(1, Math.floor(limit / 50)));

interface Lease {
  /** The fixed window the tokens belong to; they lapse when it ends. */
  readonly start: number;
  remaining: number;
}

/**
 * `rateLimits/{sha256(key)}`: sliding-window counters shared by every instance through
 * Firestore transactions (all of a request's keys in one transaction, so a request is counted
 * on all of them or on none). To keep one busy key from becoming a hot document, an instance
 * leases several tokens per transaction for large limits ({@link leaseSize}) and spends them
 * locally, with one lease request in flight per key set; small limits (sign-in, sync, chat)
 * go to Firestore on every request. Refusals are remembered in this instance until they may
 * succeed, so a flood is answered without Firestore.
 */
export class FirestoreRateLimiter implements RateLimiter {
  private readonly refused = new Map<string, number>();
  private readonly leases = new Map<string, Lease>();
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Firestore,
    private readonly clock: Clock,
    private readonly collection = 'rateLimits',
  ) {}

  async consume(checks: readonly RateLimitCheck[]): Promise<RateLimitDecision> {
    if (checks.length === 0) return { allowed: true };
    const ids = checks.map((c) => docId(c.key));
    const group = ids.join(',');
    for (let attempt = 0; attempt < 3; attempt++) {
      const nowMs = this.clock.now().getTime();
      const until = Math.max(0, ...ids.map((id) => this.refused.get(id) ?? 0));
      if (until > nowMs) return { allowed: false, retryAfterMs: until - nowMs, reason: 'limit' };
      if (this.spendLocally(ids, checks, nowMs)) return { allowed: true };
      const pending = this.inflight.get(group);
      if (pending) {
        await pending.catch(() => undefined);
        continue;
      }
      const lease = this.lease(ids, checks).finally(() => this.inflight.delete(group));
      this.inflight.set(group, lease);
      return lease;
    }
    return this.lease(ids, checks);
  }

  /** Spends one held token of every key, if every key holds one for the current window. */
  private spendLocally(ids: readonly string[], checks: readonly RateLimitCheck[], nowMs: number): boolean {
    const held = ids.map((id, i) => {
      const l = this.leases.get(id);
      const start = Math.floor(nowMs / checks[i]!.windowMs) * checks[i]!.windowMs;
      return l && l.start === start && l.remaining > 0 ? l : undefined;
    });
    if (held.some((l) => !l)) return false;
    for (const l of held) l!.remaining -= 1;
    return true;
  }

  /** One transaction: takes this request's token (plus a lease) from every key that holds none locally. */
  private async lease(ids: readonly string[], checks: readonly RateLimitCheck[]): Promise<RateLimitDecision> {
    const { Timestamp } = await import('@google-cloud/firestore');
    const refs = ids.map((id) => this.db.collection(this.collection).doc(id));
    try {
      return await this.db.runTransaction(
        async (tx) => {
          const now = this.clock.now().getTime();
          const needed = ids.map((id, i) => {
            const l = this.leases.get(id);
            const start = Math.floor(now / checks[i]!.windowMs) * checks[i]!.windowMs;
            return !(l && l.start === start && l.remaining > 0);
          });
          const idx = needed.flatMap((n, i) => (n ? [i] : []));
          const snaps = idx.length ? await tx.getAll(...idx.map((i) => refs[i]!)) : [];
          let retryAfterMs = 0;
          const grants = idx.map((i, j) => {
            const check = checks[i]!;
            const doc = snaps[j]!.data() as RateLimitDoc | undefined;
            // A window length change (new config) starts the key afresh.
            const state = rollWindow(doc && doc.windowMs === check.windowMs ? doc : undefined, now, check.windowMs);
            const d = decide(state, now, check);
            if (!d.allowed) {
              retryAfterMs = Math.max(retryAfterMs, d.retryAfterMs);
              this.remember(ids[i]!, now + d.retryAfterMs);
              return { i, state, take: 0 };
            }
            // Room for how many more right now, never more than the lease size.
            const room = Math.floor(check.limit - (state.prev * (1 - (now - state.start) / check.windowMs) + state.count) + 1e-9);
            return { i, state, take: Math.max(1, Math.min(leaseSize(check.limit), room)) };
          });
          if (retryAfterMs > 0) return { allowed: false, retryAfterMs, reason: 'limit' } as const;
          for (const g of grants) {
            const windowMs = checks[g.i]!.windowMs;
            const doc: RateLimitDoc = { ...g.state, count: g.state.count + g.take, windowMs, expiresAt: Timestamp.fromMillis(g.state.start + 2 * windowMs) };
            tx.set(refs[g.i]!, doc);
          }
          // Committed below; the local leases are set only once the transaction succeeds.
          return { allowed: true, grants: grants.map((g) => ({ id: ids[g.i]!, start: g.state.start, remaining: g.take - 1 })), held: ids.filter((_, i) => !needed[i]) } as const;
        },
        { maxAttempts: 3 },
      ).then((out) => {
        if (!out.allowed) return out;
        for (const g of out.grants) this.leases.set(g.id, { start: g.start, remaining: g.remaining });
        // Keys that already held a token locally spend it now.
        for (const id of out.held) {
          const l = this.leases.get(id);
          if (l && l.remaining > 0) l.remaining -= 1;
        }
        if (this.leases.size > MAX_REMEMBERED) this.leases.clear();
        return { allowed: true } as const;
      });
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

/**
 * Resolves Google application credentials once. Without them the Firestore SDK fails each
 * call with several unhandled rejections from its retries, which the functions framework
 * turns into a 500 for whatever request is running; checking first makes a missing
 * credential an ordinary error, so the limiter fails open instead of failing every request.
 * @throws Error when no credentials can be found.
 */
export async function assertGoogleCredentials(): Promise<void> {
  const { GoogleAuth } = await import('google-auth-library');
  await new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/datastore'] }).getClient();
}
