import type { SyncRun } from '../contracts/documents.js';

/** `users/{uid}/syncRuns/{runId}`. */
export interface SyncRunRepo {
  get(uid: string, runId: string): Promise<SyncRun | null>;
  /** Creates or replaces the run document. */
  save(uid: string, run: SyncRun): Promise<void>;
}
