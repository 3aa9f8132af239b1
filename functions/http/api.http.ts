import type { Request, Response } from '@google-cloud/functions-framework';
import { GrantConsentBody } from '../../shared/contracts/consents.js';
import { AppError } from '../../shared/domain/errors.js';
import { checkHealth } from '../../shared/usecases/check-health.usecase.js';
import { grantConsent, revokeConsent } from '../../shared/usecases/consents.usecase.js';
import { eraseFiData } from '../../shared/usecases/erase-fi-data.usecase.js';
import type { FiTool } from '../../shared/contracts/fi.js';
import { requestSync } from '../../shared/usecases/request-sync.usecase.js';
import type { GetDeps } from '../deps.js';
import { withUser } from '../platform/auth.js';
import { emptyBody, jsonBody } from '../platform/body.js';
import { router } from '../platform/http.js';
import { limited } from '../platform/rate-limit.js';
import { financialRoutes } from './financial.http.js';
import { connectionRoutes } from './connections.http.js';
import { simulateRoutes } from './simulate.http.js';
import { insightRoutes } from './insights.http.js';

/**
 * The `api` HTTP function: read models, connections, consents and simulations.
 * Firebase Hosting rewrites `/api/**` (and `/health`) here on the PWA's origin.
 * Every `/api` route is user-scoped through `withUser`.
 */
export function api(getDeps: GetDeps): (req: Request, res: Response) => Promise<void> {
  const consentDeps = async () => {
    const deps = getDeps();
    return { consents: await deps.consents(), audit: await deps.audit(), clock: deps.clock };
  };
  return router(
    {
      // Not rate limited: the probe must answer (and say so) when Firestore, the limiter's store, is down.
      'GET /health': limited('none', async (_req, res) => {
        const deps = getDeps();
        const report = await checkHealth(await deps.healthProbes(), deps.clock);
        res.setHeader('Cache-Control', 'no-store');
        res.status(report.status === 'ok' ? 200 : 503).json(report);
      }),

      'GET /api/consents': withUser(getDeps, async (_req, res, ctx) => {
        res.json({ consents: await (await getDeps().consents()).list(ctx.user.uid) });
      }),
      'POST /api/consents': withUser(getDeps, async (req, res, ctx) => {
        const body = jsonBody(req, GrantConsentBody);
        res.status(201).json(await grantConsent(await consentDeps(), ctx.user.uid, body, ctx.requestId));
      }),
      // Revoking erases data, insights and conversations; it stays in the default budget on
      // purpose, so a user can always withdraw consent (a strict budget shared with syncs could block it).
      'DELETE /api/consents/:id': withUser(getDeps, async (_req, res, ctx) => {
        const deps = getDeps();
        const store = await deps.financial();
        const insights = await deps.insights();
        const conversations = await deps.conversations();
        const erase = (uid: string, tools: readonly FiTool[]) => eraseFiData({ store, clock: deps.clock, insights, conversations }, uid, tools);
        const out = await revokeConsent({ ...(await consentDeps()), erase }, ctx.user.uid, ctx.params.id!, ctx.requestId);
        res.json({ consent: out.consent, erased: out.erased });
      }),

      ...connectionRoutes(getDeps),
      ...simulateRoutes(getDeps),
      ...insightRoutes(getDeps),

      'POST /api/financial/sync': limited('sync', withUser(getDeps, async (req, res, ctx) => {
        emptyBody(req);
        const deps = getDeps();
        const connections = await deps.connections();
        const run = await requestSync(
          {
            consents: await deps.consents(),
            syncRuns: await deps.syncRuns(),
            bus: await deps.eventBus(),
            clock: deps.clock,
            hasConnection: async (uid) => (await connections.get(uid, 'fi')) !== null,
          },
          ctx.user.uid,
        );
        res.status(202).json({ runId: run.runId, status: run.status, statusUrl: `/api/financial/sync/${run.runId}` });
      })),
      'GET /api/financial/sync/:runId': withUser(getDeps, async (_req, res, ctx) => {
        const run = await (await getDeps().syncRuns()).get(ctx.user.uid, ctx.params.runId!);
        if (!run) throw new AppError('NOT_FOUND', 'No sync run with this id');
        res.json(run);
      }),

      ...financialRoutes(getDeps),
    },
    getDeps,
  );
}

