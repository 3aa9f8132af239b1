/**
 * `npm run bench:analytics`: analytics figures. So far: XIRR over 10,000 cash flows
 * (median of 5). The full analytics view and the Monte Carlo figures come with the rest of
 * the analytics work. Prints figures; asserts nothing.
 */
import { xirr, type CashFlow } from '../shared/domain/analytics/xirr.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

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

const f = flows();
const times: number[] = [];
let result = xirr(f);
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  result = xirr(f);
  times.push(performance.now() - t);
}
console.log(`node ${process.version}`);
console.log(`XIRR over ${f.length} cash flows: median of 5 ${median(times).toFixed(2)} ms (runs ${times.map((t) => t.toFixed(2)).join(', ')})`);
console.log(`  result: ${result.ok ? `${(result.rate * 100).toFixed(4)}% by ${result.method} in ${result.iterations} iterations` : result.reason}`);
