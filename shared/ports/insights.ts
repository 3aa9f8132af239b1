import type { InsightCategory } from '../contracts/ai.js';

export type InsightStatus = 'active' | 'dismissed' | 'implemented' | 'snoozed';

/** `users/{uid}/insights/{id}`: id is a hash of the insight's substance, so a re-run does not duplicate it. */
export interface StoredInsight {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly category: InsightCategory;
  readonly impact: 'positive' | 'negative' | 'neutral';
  readonly severity: 'info' | 'low' | 'medium' | 'high';
  readonly confidence: number;
  /** The facts it rests on, with the values the text quotes. */
  readonly sources: ReadonlyArray<{ readonly factId: string; readonly label: string; readonly value: number | string | boolean | null; readonly asOf: string | null }>;
  readonly provider: 'gemini' | 'local';
  readonly model: string;
  readonly jobId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly status: InsightStatus;
  readonly snoozedUntil?: string;
  readonly statusChangedAt?: string;
}

/** `users/{uid}/insightJobs/{jobId}`: one generation run, for `POST /api/insights/generate` and its status. */
export interface InsightJob {
  readonly jobId: string;
  readonly status: 'queued' | 'running' | 'succeeded' | 'failed';
  readonly reason: 'sync-completed' | 'weekly' | 'user';
  readonly requestedAt: string;
  readonly finishedAt?: string;
  readonly stored?: number;
  readonly dropped?: number;
  readonly provider?: 'gemini' | 'local';
  readonly error?: string;
}

export interface InsightRepo {
  /** Writes insights not stored yet (by id); returns how many were new. */
  saveNew(uid: string, insights: readonly StoredInsight[]): Promise<number>;
  /** Active insights (and snoozed ones whose snooze ended) not expired at `now`, newest first. */
  list(uid: string, query: { readonly category?: InsightCategory; readonly limit: number; readonly now: string }): Promise<StoredInsight[]>;
  get(uid: string, id: string): Promise<StoredInsight | null>;
  update(uid: string, id: string, patch: Partial<Pick<StoredInsight, 'status' | 'snoozedUntil' | 'statusChangedAt'>>): Promise<void>;
  saveJob(uid: string, job: InsightJob): Promise<void>;
  getJob(uid: string, jobId: string): Promise<InsightJob | null>;
  /** Deletes every insight (consent revoked or data erased). */
  deleteAll(uid: string): Promise<void>;
}
