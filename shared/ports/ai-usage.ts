/** One model call, for the per-user ledger. */
export interface AiUsageEntry {
  readonly at: string;
  readonly provider: 'gemini' | 'local';
  readonly model: string;
  readonly purpose: 'chat' | 'insights' | 'narration';
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Estimated from the configured prices; 0 for the local provider. */
  readonly costUsd: number;
}

export interface AiUsageDay {
  readonly day: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly calls: number;
  readonly costUsd: number;
  /** Tokens held by work under way (reserved, not yet recorded or released); never below 0. */
  readonly reserved: number;
}

/**
 * The token and cost ledger, per user and IST day (`users/{uid}/aiUsage/{YYYY-MM-DD}`),
 * incremented atomically so concurrent turns both count.
 *
 * Reservations make the daily limit hold under concurrency: a piece of AI work first
 * `reserve`s its estimated tokens, atomically with the check that the day still has room;
 * each `record` may convert part of the reservation into recorded usage (`release`), and the
 * work `release`s what is left when it ends. A reservation whose work dies before releasing
 * holds its tokens until the day ends (the next IST day starts a new document).
 */
export interface AiUsageLedger {
  day(uid: string, day: string): Promise<AiUsageDay>;
  /**
   * Holds `tokens` for work about to start, if the day has room: recorded plus reserved tokens
   * below `limit`. The check and the hold are one atomic step, so of concurrent callers at most
   * ceil(room / tokens) get true. Returns false, holding nothing, when there is no room.
   */
  reserve(uid: string, day: string, tokens: number, limit: number): Promise<boolean>;
  /**
   * Adds one call's usage; `release` (default 0) tokens of a reservation on the same day are
   * freed in the same write, so the call's tokens are never counted twice.
   */
  record(uid: string, day: string, entry: AiUsageEntry, release?: number): Promise<AiUsageDay>;
  /** Frees `tokens` of a reservation (what the work did not use). */
  release(uid: string, day: string, tokens: number): Promise<void>;
}
