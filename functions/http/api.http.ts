import type { Request, Response } from '@google-cloud/functions-framework';
import { checkHealth } from '../../shared/usecases/check-health.usecase.js';
import type { GetDeps } from '../deps.js';
import { router } from '../platform/http.js';

/**
 * The `api` HTTP function: read models, connections, consents and simulations.
 * Firebase Hosting rewrites `/api/**` here on the PWA's origin.
 */
export function api(getDeps: GetDeps): (req: Request, res: Response) => Promise<void> {
  return router(
    {
      'GET /health': async (_req, res) => {
        const deps = getDeps();
        const report = await checkHealth(await deps.healthProbes(), deps.clock);
        res.setHeader('Cache-Control', 'no-store');
        res.status(report.status === 'ok' ? 200 : 503).json(report);
      },
    },
    () => getDeps().logger(),
  );
}
