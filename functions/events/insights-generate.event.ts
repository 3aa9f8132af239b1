import { InsightsRequestedV1 } from '../../shared/contracts/events.js';
import { handleInsightsRequested } from '../../shared/usecases/ai/insight-jobs.usecase.js';
import type { GetDeps } from '../deps.js';
import { eventFunction, eventRuntime } from '../platform/event-function.js';

/**
 * `insightsGenerate`: triggered by `insights-requested-v1`, from the weekly scheduler (fan-out),
 * after each sync and on a user's request. Deduped per job: a user's job runs once.
 */
export const insightsGenerate = (getDeps: GetDeps) =>
  eventFunction(
    {
      name: 'insightsGenerate',
      schema: InsightsRequestedV1,
      // The scheduler's uid-less fan-out is deduped by its CloudEvent id only: a weekly key kept for
      // the 7-day retention would swallow the next week's run. Its per-user events carry
      // `uid:<reason>-<IST day>` keys, so a repeated fan-out has no second effect.
      businessKey: (p) => (p.uid ? `${p.uid}:${p.jobId ?? p.reason}` : undefined),
      handle: async (payload, ctx) => {
        const deps = getDeps();
        await handleInsightsRequested(
          {
            llm: await deps.llm(),
            store: await deps.financial(),
            insights: await deps.insights(),
            consents: await deps.consents(),
            budget: await deps.aiBudget(),
            users: await deps.users(),
            bus: await deps.eventBus(),
            clock: deps.clock,
            log: ctx.log,
          },
          payload,
        );
      },
    },
    eventRuntime(getDeps),
  );
