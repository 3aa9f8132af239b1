/** One budget to charge: at most `limit` requests per sliding `windowMs` for `key`. */
export interface RateLimitCheck {
  /** What is limited, e.g. `sync:user:<hash>` or `default:ip:<address>`; stored only hashed. */
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
}

export type RateLimitDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** When a retry can succeed, from now. */
      readonly retryAfterMs: number;
      /** `limit`: a budget is spent; `contention`: too many concurrent requests on one key. */
      readonly reason: 'limit' | 'contention';
    };

/**
 * A rate limiter whose counts hold across instances (a shared store). `consume` charges one
 * request to every check atomically: if all are under their limits, all are counted and the
 * request is allowed; otherwise nothing is counted (a flood of refused requests writes nothing).
 * Implementations throw only when the store is unreachable; callers decide fail-open or closed.
 */
export interface RateLimiter {
  consume(checks: readonly RateLimitCheck[]): Promise<RateLimitDecision>;
}

/**
 * The state of one sliding-window counter (the "sliding window counter" of Cloudflare and
 * others): counts in the current fixed window and in the one before it; the estimate weights
 * the previous window by how much of it still overlaps the sliding window.
 */
export interface WindowState {
  /** Start of the current fixed window, ms since the epoch, a multiple of `windowMs`. */
  readonly start: number;
  readonly count: number;
  readonly prev: number;
}

/** The state at `nowMs`: rolled forward if the stored windows are in the past. Pure. */
export function rollWindow(state: WindowState | undefined, nowMs: number, windowMs: number): WindowState {
  const start = Math.floor(nowMs / windowMs) * windowMs;
  if (!state || state.start > start) return { start, count: 0, prev: 0 };
  if (state.start === start) return state;
  if (state.start === start - windowMs) return { start, count: 0, prev: state.count };
  return { start, count: 0, prev: 0 };
}

/**
 * Whether one more request fits at `nowMs` (`state` already rolled to `nowMs`), and if not,
 * in how many ms it would. Pure.
 */
export function decide(state: WindowState, nowMs: number, check: Pick<RateLimitCheck, 'limit' | 'windowMs'>): { allowed: true } | { allowed: false; retryAfterMs: number } {
  const { limit, windowMs } = check;
  const elapsed = (nowMs - state.start) / windowMs;
  const estimate = state.prev * (1 - elapsed) + state.count;
  if (estimate + 1 <= limit + 1e-9) return { allowed: true };
  // When does prev * (1 - e) + count + 1 <= limit hold? In this window if count alone leaves
  // room, else in the next one (where this window's count becomes `prev`).
  const at =
    state.count + 1 <= limit
      ? state.start + windowMs * (1 - (limit - state.count - 1) / state.prev)
      : state.start + windowMs + windowMs * (1 - (limit - 1) / state.count);
  return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(at - nowMs) + 1) };
}
