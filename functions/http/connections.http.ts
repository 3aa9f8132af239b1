import { publicConnection } from '../../shared/contracts/documents.js';
import { AppError } from '../../shared/domain/errors.js';
import { linkFi } from '../../shared/usecases/link-fi.usecase.js';
import type { GetDeps } from '../deps.js';
import { withUser } from '../platform/auth.js';
import { emptyBody } from '../platform/body.js';
import type { RouteTable } from '../platform/http.js';
import { limited } from '../platform/rate-limit.js';

/** `/api/connections`: the user's Fi link. */
export const connectionRoutes = (getDeps: GetDeps): RouteTable => ({
  'GET /api/connections': withUser(getDeps, async (_req, res, ctx) => {
    const c = await (await getDeps().connections()).get(ctx.user.uid, 'fi');
    res.json({ connections: c ? [publicConnection(c)] : [] });
  }),
  // Each call opens or checks a Fi MCP session: the strict `sync` budget.
  'POST /api/connections/fi': limited('sync', withUser(getDeps, async (req, res, ctx) => {
    emptyBody(req);
    const deps = getDeps();
    const c = await linkFi(
      { connections: await deps.connections(), fi: await deps.fiSource(), secrets: await deps.secrets(), audit: await deps.audit(), clock: deps.clock },
      ctx.user.uid,
      ctx.requestId,
    );
    res.status(c.status === 'connected' ? 200 : 202).json(publicConnection(c));
  })),
  'DELETE /api/connections/:id': withUser(getDeps, async (_req, res, ctx) => {
    const deps = getDeps();
    if (!(await (await deps.connections()).delete(ctx.user.uid, ctx.params.id!))) throw new AppError('NOT_FOUND', 'No connection with this id');
    await (await deps.audit()).append(ctx.user.uid, { at: deps.clock.now().toISOString(), action: 'connection.deleted', cause: ctx.requestId, details: { id: ctx.params.id!.slice(0, 40) } });
    res.status(204).end();
  }),
});
