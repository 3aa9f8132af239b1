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
}

/**
 * The token and cost ledger, per user and IST day (`users/{uid}/aiUsage/{YYYY-MM-DD}`),
 * incremented atomically so concurrent turns both count.
 */
export interface AiUsageLedger {
  day(uid: string, day: string): Promise<AiUsageDay>;
  record(uid: string, day: string, entry: AiUsageEntry): Promise<AiUsageDay>;
}
