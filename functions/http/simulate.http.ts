import { simulateRequestOn } from '../../shared/contracts/simulate.js';
import { simulateForUser } from '../../shared/usecases/ai/narrate-simulation.usecase.js';
import { istDate } from '../../shared/usecases/read-models.js';
import type { GetDeps } from '../deps.js';
import { withUser } from '../platform/auth.js';
import { jsonBody } from '../platform/body.js';
import type { RouteTable } from '../platform/http.js';
import { limited } from '../platform/rate-limit.js';

/**
 * `POST /api/simulate`: what-if scenarios over the user's own figures, optionally narrated
 * (`narrate: true`) by the model, whose every figure is checked against the result.
 * CPU-bound (up to 10,000 Monte Carlo paths) and possibly a model call, so it shares the
 * per-minute `chat` budget.
 */
export const simulateRoutes = (getDeps: GetDeps): RouteTable => ({
  'POST /api/simulate': limited('chat', withUser(getDeps, async (req, res, ctx) => {
    const deps = getDeps();
    const body = jsonBody(req, simulateRequestOn(istDate(deps.clock.now())));
    const narration = async () => ({ llm: await deps.llm(), budget: await deps.aiBudget(), log: ctx.log });
    res.json(await simulateForUser({ store: await deps.financial(), consents: await deps.consents(), clock: deps.clock, narration }, ctx.user.uid, body));
  })),
});
