import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthlyRollups, netWorthSeries, periodStart, previousMonth, type DailySnapshot } from '../../shared/domain/analytics/net-worth-history.js';

const day = (date: string, netWorthPaise: number, assets = Math.max(netWorthPaise, 0) + 1_000): DailySnapshot => ({
  date,
  at: `${date}T06:00:00.000Z`,
  netWorthPaise,
  totalAssetsPaise: assets,
  totalLiabilitiesPaise: assets - netWorthPaise,
});

describe('monthly rollups', () => {
  it('takes open, close, low and high per calendar month, and the change from the previous close', () => {
    const snaps = [day('2026-10-03', 100_00), day('2026-09-30', 80_00), day('2026-10-01', 90_00), day('2026-10-31', 120_00), day('2026-11-02', 60_00)];
    const r = monthlyRollups(snaps);
    expect(r.map((m) => m.month)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(r[0]).toMatchObject({ days: 1, openPaise: 80_00, closePaise: 80_00, changePaise: null, changePercent: null });
    // October: opens 90.00 on the 1st, closes 120.00 on the 31st; low 90, high 120; +40.00 on 80.00 = +50%.
    expect(r[1]).toMatchObject({ days: 3, firstDate: '2026-10-01', lastDate: '2026-10-31', openPaise: 90_00, closePaise: 120_00, lowPaise: 90_00, highPaise: 120_00, changePaise: 40_00, changePercent: 50 });
    // November: 60.00 against 120.00: -50%.
    expect(r[2]).toMatchObject({ changePaise: -60_00, changePercent: -50 });
  });

  it('a month after a gap is compared with the last earlier close on record, and names that month', () => {
    // No snapshot in August: September's change runs from July's close (100.00 -> 130.00, +30%).
    const r = monthlyRollups([day('2026-07-31', 100_00), day('2026-09-15', 130_00), day('2026-10-02', 117_00)]);
    expect(r.map((m) => [m.month, m.previousMonth, m.changePaise, m.changePercent])).toEqual([
      ['2026-07', null, null, null],
      ['2026-09', '2026-07', 30_00, 30],
      ['2026-10', '2026-09', -13_00, -10],
    ]);
  });

  it('a negative previous close gives the percentage against its magnitude; a zero close gives none', () => {
    const r = monthlyRollups([day('2026-01-10', -200_00), day('2026-02-10', -100_00), day('2026-03-10', 0), day('2026-04-10', 50_00)]);
    expect(r[1]).toMatchObject({ changePaise: 100_00, changePercent: 50 });
    expect(r[3]).toMatchObject({ changePaise: 50_00, changePercent: null });
  });

  it('is deterministic and order-independent, so writing it again changes nothing', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: -1e12, max: 1e12 }), { minLength: 60, maxLength: 60 }),
        (offsets, values) => {
          const snaps = offsets.map((o, i) => day(new Date(Date.UTC(2025, 0, 1) + o * 86_400_000).toISOString().slice(0, 10), values[i]!));
          const a = monthlyRollups(snaps);
          const b = monthlyRollups([...snaps].reverse());
          expect(b).toEqual(a);
          expect(a.reduce((n, m) => n + m.days, 0)).toBe(snaps.length);
          for (const m of a) expect(m.lowPaise <= m.closePaise && m.closePaise <= m.highPaise).toBe(true);
          // Month changes telescope: the sum of changes is last close minus first close, exactly.
          const changes = a.slice(1).reduce((n, m) => n + (m.changePaise ?? 0), 0);
          expect(changes).toBe(a[a.length - 1]!.closePaise - a[0]!.closePaise);
        },
      ),
      { seed: 20261130, numRuns: 200 },
    );
  });
});

describe('net-worth series', () => {
  const today = '2026-11-30';
  const daily = [day('2026-09-15', 50_000_00), day('2026-11-01', 60_000_00), day('2026-11-20', 63_000_00), day('2026-11-30', 66_000_00)];

  it('periods are windows ending today', () => {
    expect(periodStart(today, 30)).toBe('2026-11-01');
    expect(periodStart('2026-03-01', 1)).toBe('2026-03-01');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-11')).toBe('2026-10');
  });

  it('1m keeps the daily points of the last 30 days with change and percentage change', () => {
    const s = netWorthSeries('1m', today, daily, []);
    expect(s.from).toBe('2026-11-01');
    expect(s.series.map((p) => p.date)).toEqual(['2026-11-01', '2026-11-20', '2026-11-30']);
    // 66,000 - 60,000 = 6,000 rupees, 10% of 60,000.
    expect(s).toMatchObject({ changePaise: 6_000_00, changePercent: 10 });
  });

  it('all prepends monthly closes older than the daily history', () => {
    const monthly = monthlyRollups([day('2025-12-31', 40_000_00), day('2026-01-31', 45_000_00)]);
    const s = netWorthSeries('all', today, daily, monthly);
    expect(s.series.map((p) => [p.date, p.resolution])).toEqual([
      ['2025-12-31', 'monthly'],
      ['2026-01-31', 'monthly'],
      ['2026-09-15', 'daily'],
      ['2026-11-01', 'daily'],
      ['2026-11-20', 'daily'],
      ['2026-11-30', 'daily'],
    ]);
    // 66,000 against 40,000: +26,000, 65%.
    expect(s).toMatchObject({ from: null, changePaise: 26_000_00, changePercent: 65 });
  });

  it('one point or none has no change; future snapshots are not shown', () => {
    expect(netWorthSeries('1m', today, [day('2026-11-10', 5_00)], [])).toMatchObject({ changePaise: null, changePercent: null });
    expect(netWorthSeries('3m', today, [], [])).toMatchObject({ series: [], changePaise: null, changePercent: null });
    expect(netWorthSeries('1y', '2026-11-19', daily, []).series.map((p) => p.date)).toEqual(['2026-09-15', '2026-11-01']);
  });
});
