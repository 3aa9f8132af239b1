import { netWorthSeries, type NetWorthPeriod, type NetWorthSeries } from '../domain/analytics/net-worth-history.js';
import type { Clock } from '../ports/clock.js';
import type { FinancialStore } from '../ports/financial-store.js';
import { istDate } from './read-models.js';

/** Daily snapshots read for a series: a year and a little; older history comes from the monthly rollups. */
const DAILY_LIMIT = 400;

/** A user's net-worth series for a period (daily points, monthly closes before them), ending today in India. */
export async function netWorthHistory(deps: { store: Pick<FinancialStore, 'snapshots' | 'monthlyRollups'>; clock: Clock }, uid: string, period: NetWorthPeriod): Promise<NetWorthSeries> {
  const [daily, monthly] = await Promise.all([deps.store.snapshots(uid, DAILY_LIMIT), deps.store.monthlyRollups(uid)]);
  return netWorthSeries(period, istDate(deps.clock.now()), daily, monthly);
}
