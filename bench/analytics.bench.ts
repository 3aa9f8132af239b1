/**
 * `npm run bench:analytics`: analytics figures, each the median of 5 timed runs after one
 * warm-up. Prints figures; asserts nothing.
 * - XIRR over 10,000 cash flows;
 * - the full analytics view (returns, stocks, allocation, cash flow, credit, debt, EPF) for
 *   the largest persona (2222222222), and for that persona's transactions repeated to 10x;
 * - a Monte Carlo of 10,000 paths x 360 months (a 30-year SIP), and the default 1,000 paths.
 */
import { buildAnalytics } from '../shared/domain/analytics/analytics.js';
import { simulate, type SimulateRequest } from '../shared/domain/analytics/simulate.js';
import { xirr, type CashFlow } from '../shared/domain/analytics/xirr.js';
import { personaInput } from '../tests/support/persona-data.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Median of 5 runs of `f` after one warm-up, in ms, and the last result. */
function time<T>(f: () => T): { ms: number; runs: number[]; result: T } {
  let result = f();
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    result = f();
    runs.push(performance.now() - t);
  }
  return { ms: median(runs), runs, result };
}
const fmt = (r: { ms: number; runs: number[] }) => `median of 5 ${r.ms.toFixed(2)} ms (runs ${r.runs.map((t) => t.toFixed(2)).join(', ')})`;

/** 9,999 weekly SIPs of varying size (deterministic), then one current value. */
function flows(): CashFlow[] {
  const out: CashFlow[] = [];
  let invested = 0;
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  for (let i = 0; i < 9_999; i++) {
    const amount = 1_000 + Math.round(next() * 9_000);
    invested += amount;
    out.push({ date: new Date(Date.UTC(1900, 0, 1) + i * 7 * 86_400_000).toISOString().slice(0, 10), amount: -amount });
  }
  out.push({ date: new Date(Date.UTC(1900, 0, 1) + 10_000 * 7 * 86_400_000).toISOString().slice(0, 10), amount: invested * 40 });
  return out;
}

console.log(`node ${process.version}`);

const f = flows();
const x = time(() => xirr(f));
console.log(`XIRR over ${f.length} cash flows: ${fmt(x)}`);
console.log(`  result: ${x.result.ok ? `${(x.result.rate * 100).toFixed(4)}% by ${x.result.method} in ${x.result.iterations} iterations` : x.result.reason}`);

const input = personaInput('2222222222');
const view = time(() => buildAnalytics(input));
const bytes = Buffer.byteLength(JSON.stringify(view.result));
console.log(`Full analytics view, persona 2222222222 (${input.transactions.length} transactions, ${input.holdings.length} holdings): ${fmt(view)}; ${(bytes / 1024).toFixed(1)} KiB as JSON`);
// The same history ten times over, each copy a year earlier (ids made unique), as a heavier user.
const tenfold = {
  ...input,
  transactions: Array.from({ length: 10 }, (_, k) =>
    input.transactions.map((t) => ({ ...t, id: `${t.id}-${k}`, date: `${Number(t.date.slice(0, 4)) - k}${t.date.slice(4)}` })),
  ).flat(),
};
const heavy = time(() => buildAnalytics(tenfold));
console.log(`Full analytics view, same persona with ${tenfold.transactions.length} transactions: ${fmt(heavy)}; ratio to 1x ${(heavy.ms / view.ms).toFixed(1)}`);

const sip = (paths: number): SimulateRequest => ({ type: 'sip', monthlyAmountPaise: 10_000_00, years: 30, stepUpPercent: 10, expectedReturnPercent: 12, volatilityPercent: 16, paths, seed: 7 });
const mc = time(() => simulate(sip(10_000), { asOf: '2026-11-30' }));
const summary = 'monteCarlo' in mc.result ? mc.result.monteCarlo : null;
console.log(`Monte Carlo, 10,000 paths x 360 months (SIP, 30 years): ${fmt(mc)}`);
if (summary) console.log(`  p10 ${(summary.p10Paise / 1e9).toFixed(2)} cr, p50 ${(summary.p50Paise / 1e9).toFixed(2)} cr, p90 ${(summary.p90Paise / 1e9).toFixed(2)} cr (rupees crore)`);
const small = time(() => simulate(sip(1_000), { asOf: '2026-11-30' }));
console.log(`Monte Carlo, default 1,000 paths x 360 months: ${fmt(small)}; ratio 10,000/1,000 ${(mc.ms / small.ms).toFixed(1)}`);
