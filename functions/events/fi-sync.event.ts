import { SyncRequestedV1 } from '../../shared/contracts/events.js';
import { runFiSync } from '../../shared/usecases/run-fi-sync.usecase.js';
import type { GetDeps } from '../deps.js';
import { eventFunction, eventRuntime } from '../platform/event-function.js';

/** `fiSync`: triggered by `fi-sync-requested-v1`; one sync per (uid, runId). */
export const fiSync = (getDeps: GetDeps) =>
  eventFunction(
    {
      name: 'fiSync',
      schema: SyncRequestedV1,
      businessKey: (p) => `${p.uid}:${p.runId}`,
      handle: async (payload, ctx) => {
        const deps = getDeps();
        await runFiSync(
          {
            syncRuns: await deps.syncRuns(),
            connections: await deps.connections(),
            consents: await deps.consents(),
            store: await deps.financial(),
            fi: await deps.fiSource(),
            secrets: await deps.secrets(),
            bus: await deps.eventBus(),
            audit: await deps.audit(),
            clock: deps.clock,
            log: ctx.log,
          },
          payload.uid,
          payload.runId,
          payload.requestedAt,
        );
      },
    },
    eventRuntime(getDeps),
  );
