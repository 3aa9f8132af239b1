import { NetWorthRollupV1 } from '../../shared/contracts/events.js';
import { rollUpNetWorth } from '../../shared/usecases/roll-up-net-worth.usecase.js';
import type { GetDeps } from '../deps.js';
import { eventFunction, eventRuntime } from '../platform/event-function.js';

/**
 * `netWorthRollup`: triggered by `networth-rollup-v1`, from the monthly scheduler (fan-out),
 * its own per-user messages, and each sync. Deduped per business key: a scheduler run per
 * month, a user's month, a user's sync run.
 */
export const netWorthRollup = (getDeps: GetDeps) =>
  eventFunction(
    {
      name: 'netWorthRollup',
      schema: NetWorthRollupV1,
      // The uid-less fan-out is deduped by its CloudEvent id only; its per-user `{uid, month}` events carry keys.
      businessKey: (p) => (p.uid ? `${p.uid}:${p.runId ?? p.month ?? 'all'}` : p.month ? `all:${p.month}` : undefined),
      handle: async (payload, ctx) => {
        const deps = getDeps();
        await rollUpNetWorth({ store: await deps.financial(), users: await deps.users(), bus: await deps.eventBus(), clock: deps.clock, log: ctx.log }, payload);
      },
    },
    eventRuntime(getDeps),
  );
