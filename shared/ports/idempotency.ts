/**
 * Outcome of claiming idempotency keys:
 * - `claimed`: the caller owns the keys and must later `complete` or `release` them;
 * - `duplicate`: the effect already happened (or is owned by another delivery): do nothing;
 * - `in-progress`: this same delivery is being handled elsewhere right now: retry later.
 */
export type ClaimOutcome = 'claimed' | 'duplicate' | 'in-progress';

export interface ClaimRequest {
  /** Keys to claim together, e.g. `event:<ce-id>` and a business key `fiSync:<uid>:<runId>`. */
  readonly keys: readonly string[];
  /** Who claims: the CloudEvent id, to tell a redelivery of the same event from another event. */
  readonly owner: string;
  /** How long an unfinished claim blocks others (beyond the handler's own timeout). */
  readonly leaseMs: number;
  /** How long a completed key is remembered. */
  readonly retainMs: number;
}

/**
 * Atomic claim of keys so that an effect happens once across redeliveries and concurrent
 * deliveries. Expired records count as absent (TTL deletion lags, so readers filter).
 */
export interface IdempotencyStore {
  claim(request: ClaimRequest): Promise<ClaimOutcome>;
  /** Marks claimed keys done: later claims answer `duplicate` until `retainMs` passes. */
  complete(request: ClaimRequest): Promise<void>;
  /** Gives claimed keys back after a transient failure so a retry can claim them. */
  release(request: ClaimRequest): Promise<void>;
}
