import { randomBytes } from 'node:crypto';
import { Topics } from '../contracts/events.js';
import type { SyncRun } from '../contracts/documents.js';
import { AppError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { ConsentRepo } from '../ports/consents.js';
import type { EventBus } from '../ports/event-bus.js';
import type { SyncRunRepo } from '../ports/sync-runs.js';
import { grantedTools } from './consents.usecase.js';

export interface RequestSyncDeps {
  readonly consents: ConsentRepo;
  readonly syncRuns: SyncRunRepo;
  readonly bus: EventBus;
  readonly clock: Clock;
  /** Is a Fi connection on file for this user? */
  readonly hasConnection: (uid: string) => Promise<boolean>;
}

/** Random, non-sequential run ids (no hot-spotting, nothing to guess). */
export const newRunId = (): string => `run-${randomBytes(12).toString('base64url')}`;

/**
 * Queues a sync: records the run as `queued` and publishes `fi-sync-requested-v1`.
 * The work happens in the `fiSync` event function.
 * @throws CONSENT.REQUIRED without an active consent; FI.NOT_CONNECTED without a Fi link.
 */
export async function requestSync(deps: RequestSyncDeps, uid: string): Promise<SyncRun> {
  const now = deps.clock.now();
  if (!grantedTools(await deps.consents.list(uid), now).length) {
    throw new AppError('CONSENT.REQUIRED', 'Grant a consent (POST /api/consents) before syncing');
  }
  if (!(await deps.hasConnection(uid))) throw new AppError('FI.NOT_CONNECTED', 'Link Fi first (POST /api/connections/fi)');
  const run: SyncRun = { runId: newRunId(), status: 'queued', requestedAt: now.toISOString(), sources: {} };
  await deps.syncRuns.save(uid, run);
  try {
    await deps.bus.publish(Topics.syncRequested, { uid, runId: run.runId, requestedAt: run.requestedAt });
  } catch (e) {
    // Never leave a run that nothing will pick up.
    await deps.syncRuns.save(uid, { ...run, status: 'failed', finishedAt: deps.clock.now().toISOString(), error: { code: 'DEPENDENCY.UNAVAILABLE', message: 'could not queue the sync; try again' } });
    throw e;
  }
  return run;
}
