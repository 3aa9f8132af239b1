import { simulateRequestOn } from '../../shared/contracts/simulate.js';
import { istDate } from '../../shared/usecases/read-models.js';
import { runSimulation } from '../../shared/usecases/simulate.usecase.js';
import type { GetDeps } from '../deps.js';
import { withUser } from '../platform/auth.js';
import { jsonBody } from '../platform/body.js';
import type { RouteTable } from '../platform/http.js';
import { limited } from '../platform/rate-limit.js';

/**
 * `POST /api/simulate`: what-if scenarios over the user's own figures. CPU-bound (up to
 * 10,000 Monte Carlo paths), so it shares the `chat` budget, the per-minute one.
 */
export const simulateRoutes = (getDeps: GetDeps): RouteTable => ({
  'POST /api/simulate': limited('chat', withUser(getDeps, async (req, res, ctx) => {
    const deps = getDeps();
    const body = jsonBody(req, simulateRequestOn(istDate(deps.clock.now())));
    res.json(await runSimulation({ store: await deps.financial(), clock: deps.clock }, ctx.user.uid, body));
  })),
});
