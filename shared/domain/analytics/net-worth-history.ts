import { round2 } from './input.js';

/**
 * Net-worth history: one snapshot a day (the last sync of an IST day wins), rolled up into
 * one document a month, and served as a series for a period. Pure.
 */

/** A day's net worth (the shape the store keeps under `netWorth/{YYYY-MM-DD}`). */
export interface DailySnapshot {
  /** `YYYY-MM-DD` (IST). */
  readonly date: string;
  /** UTC ISO instant of the sync that wrote it. */
  readonly at: string;
  readonly netWorthPaise: number;
  readonly totalAssetsPaise: number;
  readonly totalLiabilitiesPaise: number;
}

/** A month of snapshots: open (first day), close (last day), low, high. */
export interface MonthlyRollup {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly days: number;
  readonly firstDate: string;
  readonly lastDate: string;
  readonly openPaise: number;
  readonly closePaise: number;
  readonly lowPaise: number;
  readonly highPaise: number;
  readonly closeAssetsPaise: number;
  readonly closeLiabilitiesPaise: number;
  /**
   * The month `changePaise` is measured from: the last earlier month on record, which is not
   * the calendar month before when that month has no snapshot; null for the first month.
   */
  readonly previousMonth: string | null;
  /** Close minus the close of `previousMonth` (the last earlier close on record); null for the first month on record. */
  readonly changePaise: number | null;
  /** `changePaise` over |previous close|, percent with 2 decimals; null without a previous non-zero close. */
  readonly changePercent: number | null;
}

export type NetWorthPeriod = '1m' | '3m' | '6m' | '1y' | 'all';

/** Calendar days each period looks back from today (inclusive of today). */
export const PERIOD_DAYS: Readonly<Record<Exclude<NetWorthPeriod, 'all'>, number>> = { '1m': 30, '3m': 91, '6m': 182, '1y': 365 };

export interface NetWorthPoint {
  readonly date: string;
  readonly netWorthPaise: number;
  readonly totalAssetsPaise: number;
  readonly totalLiabilitiesPaise: number;
  /** `daily` from a day's snapshot; `monthly` from a month's close (older than the daily history kept). */
  readonly resolution: 'daily' | 'monthly';
}

export interface NetWorthSeries {
  readonly period: NetWorthPeriod;
  /** First day the period covers, `YYYY-MM-DD`; null for `all`. */
  readonly from: string | null;
  readonly to: string;
  readonly series: readonly NetWorthPoint[];
  /** Last point minus first point; null with fewer than two points. */
  readonly changePaise: number | null;
  /** Percent of |first point| (2 decimals); null when undefined (fewer than two points, or a zero start). */
  readonly changePercent: number | null;
}

const pct = (change: number, base: number): number | null => (base === 0 ? null : round2((change / Math.abs(base)) * 100));

const byDate = (a: { date: string }, b: { date: string }): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/**
 * Rolls daily snapshots up by calendar month, in month order. Each month's change is against
 * the last earlier close on record (`previousMonth` names it), so a month without snapshots
 * does not break the chain: the changes always add up to last close minus first close.
 * Deterministic: the same
 * snapshots give the same rollups, so writing them again changes nothing (idempotent).
 */
export function monthlyRollups(snapshots: readonly DailySnapshot[]): MonthlyRollup[] {
  const months = new Map<string, DailySnapshot[]>();
  for (const s of [...snapshots].sort(byDate)) {
    const month = s.date.slice(0, 7);
    const list = months.get(month) ?? [];
    list.push(s);
    months.set(month, list);
  }
  const out: MonthlyRollup[] = [];
  let previousClose: number | null = null;
  let previous: string | null = null;
  for (const [month, days] of [...months.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const first = days[0]!;
    const last = days[days.length - 1]!;
    const values = days.map((d) => d.netWorthPaise);
    const change: number | null = previousClose === null ? null : last.netWorthPaise - previousClose;
    out.push({
      month,
      days: days.length,
      firstDate: first.date,
      lastDate: last.date,
      openPaise: first.netWorthPaise,
      closePaise: last.netWorthPaise,
      lowPaise: Math.min(...values),
      highPaise: Math.max(...values),
      closeAssetsPaise: last.totalAssetsPaise,
      closeLiabilitiesPaise: last.totalLiabilitiesPaise,
      previousMonth: previous,
      changePaise: change,
      changePercent: change === null || previousClose === null ? null : pct(change, previousClose),
    });
    previousClose = last.netWorthPaise;
    previous = month;
  }
  return out;
}

/** `YYYY-MM-DD` `days - 1` days before `today` (so the window holds `days` days). */
export function periodStart(today: string, days: number): string {
  const t = Date.parse(`${today}T00:00:00Z`) - (days - 1) * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The series for a period: daily points where the daily history reaches, and before that
 * (for long periods) the monthly closes of the rollups, so history older than the daily
 * snapshots kept still shows. Change and percentage change run from the first point to the last.
 */
export function netWorthSeries(period: NetWorthPeriod, today: string, daily: readonly DailySnapshot[], monthly: readonly MonthlyRollup[]): NetWorthSeries {
  const from = period === 'all' ? null : periodStart(today, PERIOD_DAYS[period]);
  const days = [...daily].filter((d) => d.date <= today && (from === null || d.date >= from)).sort(byDate);
  const firstDaily = days[0]?.date ?? today;
  const older: NetWorthPoint[] = monthly
    .filter((m) => m.lastDate < firstDaily && (from === null || m.lastDate >= from))
    .map((m) => ({ date: m.lastDate, netWorthPaise: m.closePaise, totalAssetsPaise: m.closeAssetsPaise, totalLiabilitiesPaise: m.closeLiabilitiesPaise, resolution: 'monthly' as const }))
    .sort(byDate);
  const series: NetWorthPoint[] = [
    ...older,
    ...days.map((d) => ({ date: d.date, netWorthPaise: d.netWorthPaise, totalAssetsPaise: d.totalAssetsPaise, totalLiabilitiesPaise: d.totalLiabilitiesPaise, resolution: 'daily' as const })),
  ];
  const first = series[0];
  const last = series[series.length - 1];
  const change = first && last && series.length > 1 ? last.netWorthPaise - first.netWorthPaise : null;
  return { period, from, to: today, series, changePaise: change, changePercent: change === null || !first ? null : pct(change, first.netWorthPaise) };
}

/** The month before `month` (`YYYY-MM`). */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
