import { NetWorthQuery, TransactionsQuery } from '../../shared/contracts/financial-api.js';
import type { ViewName } from '../../shared/ports/financial-store.js';
import { netWorthHistory } from '../../shared/usecases/net-worth-history.usecase.js';
import type { GetDeps } from '../deps.js';
import { withUser } from '../platform/auth.js';
import { queryParams } from '../platform/body.js';
import type { RouteTable } from '../platform/http.js';

/**
 * `/api/financial/*` read models: each request reads one precomputed view document (the
 * transaction list reads one page). Data age is computed at read time from the view's as-of.
 */
export const financialRoutes = (getDeps: GetDeps): RouteTable => {
  const view = (name: ViewName, empty: Record<string, unknown>) =>
    withUser(getDeps, async (_req, res, ctx) => {
      const deps = getDeps();
      const v = (await (await deps.financial()).view(ctx.user.uid, name)) ?? { ...empty, asOf: null, generatedAt: null };
      const asOf = typeof v.asOf === 'string' ? Date.parse(v.asOf) : NaN;
      const now = deps.clock.now().getTime();
      const withAge =
        name === 'overview' && v.sources && typeof v.sources === 'object'
          ? {
              ...v,
              sources: Object.fromEntries(
                Object.entries(v.sources as Record<string, { asOf?: string }>).map(([k, s]) => [k, { ...s, ...(s.asOf ? { ageSeconds: Math.max(0, Math.round((now - Date.parse(s.asOf)) / 1000)) } : {}) }]),
              ),
            }
          : v;
      res.json({ ...withAge, ageSeconds: Number.isNaN(asOf) ? null : Math.max(0, Math.round((now - asOf) / 1000)) });
    });

  return {
    'GET /api/financial/overview': view('overview', { netWorthPaise: null, sources: {} }),
    'GET /api/financial/assets': view('assets', { accounts: [], holdings: [] }),
    'GET /api/financial/liabilities': view('liabilities', { accounts: [], byType: {} }),
    'GET /api/financial/credit-score': view('credit', { report: null }),
    'GET /api/financial/epf': view('epf', { accounts: [], uans: [] }),
    'GET /api/financial/transactions': withUser(getDeps, async (req, res, ctx) => {
      const q = queryParams(req, TransactionsQuery);
      const page = await (await getDeps().financial()).transactions(ctx.user.uid, {
        limit: q.limit,
        ...(q.account ? { accountKey: q.account } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.from ? { from: q.from } : {}),
        ...(q.to ? { to: q.to } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
      res.json(page);
    }),
    'GET /api/financial/analytics': view('analytics', { returns: null, stocks: null, allocation: null, cashFlow: null, credit: null, debt: null, epf: null }),
    'GET /api/financial/net-worth': withUser(getDeps, async (req, res, ctx) => {
      const q = queryParams(req, NetWorthQuery);
      const deps = getDeps();
      res.json(await netWorthHistory({ store: await deps.financial(), clock: deps.clock }, ctx.user.uid, q.period));
    }),
  };
};
