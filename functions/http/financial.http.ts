import type { Request } from '@google-cloud/functions-framework';
import { NetWorthQuery, TransactionsQuery } from '../../shared/contracts/financial-api.js';
import { parseWith } from '../../shared/contracts/validation.js';
import { netWorthSeries } from '../../shared/domain/analytics/net-worth-history.js';
import type { ViewName } from '../../shared/ports/financial-store.js';
import { istDate } from '../../shared/usecases/read-models.js';
import type { GetDeps } from '../deps.js';
import { withUser } from '../platform/auth.js';
import type { RouteTable } from '../platform/http.js';

/** Query strings arrive as strings (or arrays when repeated); keep the first of each. */
const queryOf = (req: Request): Record<string, unknown> =>
  Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));

/** Daily snapshots read for a series: a year and a little; older history comes from the monthly rollups. */
const DAILY_LIMIT = 400;

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
      const q = parseWith(TransactionsQuery, queryOf(req), 'query');
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
      const q = parseWith(NetWorthQuery, queryOf(req), 'query');
      const deps = getDeps();
      const store = await deps.financial();
      const [daily, monthly] = await Promise.all([store.snapshots(ctx.user.uid, DAILY_LIMIT), store.monthlyRollups(ctx.user.uid)]);
      res.json(netWorthSeries(q.period, istDate(deps.clock.now()), daily, monthly));
    }),
  };
};
