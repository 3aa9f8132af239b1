import { Topics, type NetWorthRollupV1 } from '../contracts/events.js';
import { monthlyRollups, previousMonth } from '../domain/analytics/net-worth-history.js';
import type { Clock } from '../ports/clock.js';
import type { EventBus } from '../ports/event-bus.js';
import type { FinancialStore } from '../ports/financial-store.js';
import type { Logger } from '../ports/logger.js';
import type { UserRepo } from '../ports/sessions.js';
import { istDate } from './read-models.js';

export interface RollUpNetWorthDeps {
  readonly store: FinancialStore;
  readonly users: Pick<UserRepo, 'listIds'>;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly log: Logger;
  /** Users per page of the fan-out (default 200). */
  readonly pageSize?: number;
}

/** Daily snapshots read per user: about eleven years, far above what a rollup needs. */
const MAX_DAILY = 4_000;

export type RollUpOutcome =
  | { readonly kind: 'user'; readonly uid: string; readonly months: number; readonly written: number }
  | { readonly kind: 'fan-out'; readonly month: string; readonly users: number };

/**
 * Monthly net-worth rollups (`netWorthMonthly/{YYYY-MM}`: open, close, low, high, change)
 * from the daily snapshots each sync writes.
 *
 * - `{uid}` (after a sync): recomputes every month of that user; only changed months are written.
 * - `{uid, month}`: that one month (its change still reads the month before).
 * - `{}` (the monthly scheduler): publishes `{uid, month}` for every user, `month` being
 *   the month that just ended in India, so each user is its own retryable, idempotent event.
 *
 * Idempotent: rollups are a pure function of the snapshots, and the store skips unchanged
 * documents; a repeated fan-out only republishes per-user events that change nothing.
 */
export async function rollUpNetWorth(deps: RollUpNetWorthDeps, payload: NetWorthRollupV1): Promise<RollUpOutcome> {
  if (payload.uid) {
    const daily = await deps.store.snapshots(payload.uid, MAX_DAILY);
    const all = monthlyRollups(daily);
    const months = payload.month ? all.filter((r) => r.month === payload.month) : all;
    const written = await deps.store.saveMonthlyRollups(payload.uid, months);
    deps.log.info('net-worth rollup done', { months: months.length, written, ...(payload.month ? { month: payload.month } : {}) });
    return { kind: 'user', uid: payload.uid, months: months.length, written };
  }
  const month = payload.month ?? previousMonth(istDate(deps.clock.now()).slice(0, 7));
  const page = deps.pageSize ?? 200;
  let after: string | null = null;
  let users = 0;
  for (;;) {
    const ids = await deps.users.listIds(after, page);
    for (const uid of ids) await deps.bus.publish(Topics.netWorthRollup, { uid, month });
    users += ids.length;
    if (ids.length < page) break;
    after = ids[ids.length - 1]!;
  }
  deps.log.info('net-worth rollup fanned out', { month, users });
  return { kind: 'fan-out', month, users };
}
