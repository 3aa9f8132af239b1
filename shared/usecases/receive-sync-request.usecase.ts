import type { SyncRequestedV1 } from '../contracts/events.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { SyncRunRepo } from '../ports/sync-runs.js';

export interface ReceiveSyncRequestDeps {
  readonly syncRuns: SyncRunRepo;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * Records that a sync request reached the sync worker: the run becomes `queued` (unless it
 * already moved on) and one `sync.received` audit entry is appended.
 *
 * The audit append is not idempotent on its own; callers run this under an idempotency
 * claim (see functions/platform/event-function.ts), which is what the integration tests
 * prove with concurrent redeliveries. The Fi fetch itself arrives with the Fi MCP client.
 */
export async function receiveSyncRequest(deps: ReceiveSyncRequestDeps, request: SyncRequestedV1, cause: string): Promise<void> {
  const existing = await deps.syncRuns.get(request.uid, request.runId);
  if (!existing) {
    await deps.syncRuns.save(request.uid, {
      runId: request.runId,
      status: 'queued',
      requestedAt: request.requestedAt,
      sources: {},
    });
  }
  await deps.audit.append(request.uid, {
    at: deps.clock.now().toISOString(),
    action: 'sync.received',
    cause,
    details: { runId: request.runId },
  });
  deps.log.info('sync request received', { runId: request.runId, uid: request.uid });
}
