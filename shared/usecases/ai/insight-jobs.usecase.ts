import { randomBytes } from 'node:crypto';
import { Topics, type InsightsRequestedV1 } from '../../contracts/events.js';
import type { EventBus } from '../../ports/event-bus.js';
import type { InsightJob } from '../../ports/insights.js';
import type { UserRepo } from '../../ports/sessions.js';
import { istDate } from '../read-models.js';
import { generateInsights, type InsightsDeps, type InsightsOutcome } from './insights.usecase.js';

export interface InsightJobsDeps extends InsightsDeps {
  readonly users: Pick<UserRepo, 'listIds'>;
  readonly bus: EventBus;
  readonly pageSize?: number;
}

/**
 * `insights-requested-v1`: with a uid, one user's generation (job id from the request, or
 * the sync run that asked); without one (the weekly scheduler), one event per user, each with
 * a job id naming the IST day, so a repeated weekly run dedupes per user.
 */
export async function handleInsightsRequested(deps: InsightJobsDeps, payload: InsightsRequestedV1): Promise<InsightsOutcome | { fannedOut: number; jobId: string }> {
  const now = deps.clock.now();
  if (payload.uid) {
    const jobId = payload.jobId ?? `${payload.reason}-${istDate(now)}`;
    return generateInsights(deps, payload.uid, { jobId, reason: payload.reason, requestedAt: now.toISOString() });
  }
  const jobId = `${payload.reason}-${istDate(now)}`;
  const page = deps.pageSize ?? 200;
  let after: string | null = null;
  let users = 0;
  for (;;) {
    const ids = await deps.users.listIds(after, page);
    for (const uid of ids) await deps.bus.publish(Topics.insightsRequested, { uid, jobId, reason: payload.reason });
    users += ids.length;
    if (ids.length < page) break;
    after = ids[ids.length - 1]!;
  }
  deps.log.info('insights fanned out', { jobId, users });
  return { fannedOut: users, jobId };
}

/** `POST /api/insights/generate`: records a queued job and asks for it; the caller answers 202. */
export async function requestInsights(deps: { insights: InsightJobsDeps['insights']; bus: EventBus; clock: InsightJobsDeps['clock'] }, uid: string): Promise<InsightJob> {
  const job: InsightJob = { jobId: `user-${randomBytes(8).toString('hex')}`, status: 'queued', reason: 'user', requestedAt: deps.clock.now().toISOString() };
  await deps.insights.saveJob(uid, job);
  await deps.bus.publish(Topics.insightsRequested, { uid, jobId: job.jobId, reason: 'user' });
  return job;
}
