import { InsightActionBody, InsightsQuery } from '../../shared/contracts/ai.js';
import { AppError } from '../../shared/domain/errors.js';
import { requestInsights } from '../../shared/usecases/ai/insight-jobs.usecase.js';
import { actOnInsight } from '../../shared/usecases/ai/insights.usecase.js';
import type { GetDeps } from '../deps.js';
import { withUser } from '../platform/auth.js';
import { emptyBody, jsonBody, queryParams } from '../platform/body.js';
import type { RouteTable } from '../platform/http.js';
import { limited } from '../platform/rate-limit.js';

/** `/api/insights`: the user's live insights, generation on request (queued, 202) and actions. */
export const insightRoutes = (getDeps: GetDeps): RouteTable => ({
  'GET /api/insights': withUser(getDeps, async (req, res, ctx) => {
    const q = queryParams(req, InsightsQuery);
    const deps = getDeps();
    const insights = await (await deps.insights()).list(ctx.user.uid, { ...(q.category ? { category: q.category } : {}), limit: q.limit, now: deps.clock.now().toISOString() });
    res.json({ insights });
  }),
  // Each request may spend model tokens: the strict hourly `sync` budget.
  'POST /api/insights/generate': limited('sync', withUser(getDeps, async (req, res, ctx) => {
    emptyBody(req);
    const deps = getDeps();
    const job = await requestInsights({ insights: await deps.insights(), bus: await deps.eventBus(), clock: deps.clock }, ctx.user.uid);
    res.status(202).json({ jobId: job.jobId, status: job.status, statusUrl: `/api/insights/jobs/${job.jobId}` });
  })),
  'GET /api/insights/jobs/:jobId': withUser(getDeps, async (_req, res, ctx) => {
    const job = await (await getDeps().insights()).getJob(ctx.user.uid, ctx.params.jobId!);
    if (!job) throw new AppError('NOT_FOUND', 'No insight job with this id');
    res.json(job);
  }),
  'POST /api/insights/:id/actions': withUser(getDeps, async (req, res, ctx) => {
    const body = jsonBody(req, InsightActionBody);
    const deps = getDeps();
    res.json(await actOnInsight({ insights: await deps.insights(), clock: deps.clock }, ctx.user.uid, ctx.params.id!, body));
  }),
});
