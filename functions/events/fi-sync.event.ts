import { SyncRequestedV1 } from '../../shared/contracts/events.js';
import { receiveSyncRequest } from '../../shared/usecases/receive-sync-request.usecase.js';
import type { GetDeps } from '../deps.js';
import { eventFunction, type EventRuntime } from '../platform/event-function.js';

/** Builds what every event function needs from the process's dependencies. */
export const eventRuntime = (getDeps: GetDeps) => async (): Promise<EventRuntime> => {
  const deps = getDeps();
  return { log: await deps.logger(), idempotency: await deps.idempotency(), clock: deps.clock, maxAgeMs: deps.config.eventMaxAgeMs };
};

/** `fiSync`: triggered by `fi-sync-requested-v1`; one effect per (uid, runId). */
export const fiSync = (getDeps: GetDeps) =>
  eventFunction(
    {
      name: 'fiSync',
      schema: SyncRequestedV1,
      businessKey: (p) => `${p.uid}:${p.runId}`,
      handle: async (payload, ctx) => {
        const deps = getDeps();
        await receiveSyncRequest(
          { syncRuns: await deps.syncRuns(), audit: await deps.audit(), clock: deps.clock, log: ctx.log },
          payload,
          ctx.eventId,
        );
      },
    },
    eventRuntime(getDeps),
  );
