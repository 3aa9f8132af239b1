/**
 * XIRR: the annual rate r at which the net present value of dated cash flows is zero,
 * NPV(r) = sum(amount_i / (1 + r)^(days_i / 365)), days counted from the first flow
 * (Actual/365, the convention of spreadsheet XIRR and of Indian fund statements).
 *
 * Solver: Newton's method from a sensible guess, and when it fails to converge or leaves
 * the domain, bisection on a bracket where the NPV changes sign. Pure.
 */
export interface CashFlow {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** Signed: money paid in (investments) negative, money received (redemptions, current value) positive. */
  readonly amount: number;
}

export type XirrResult =
  | { readonly ok: true; readonly rate: number; readonly method: 'newton' | 'bisection'; readonly iterations: number }
  | { readonly ok: false; readonly reason: 'no-flows' | 'one-sign' | 'same-day' | 'no-root' | 'invalid-input' };
/* `no-root`: no rate in (-100%, 10^11 %) makes the NPV zero, typically a huge gain or loss annualised over days. */

const DAY_MS = 86_400_000;
/**
 * The rates we report: above -100% (where 1 + r stops being positive) and below 10^11 %.
 * Annualising a few days' change can land outside (a 2x gain in a day is 2^365 - 1); such
 * flows get `no-root` rather than a meaningless number.
 */
const MIN_RATE = -(1 - 1e-12);
const MAX_RATE = 1e9;
const TOLERANCE = 1e-10;

const dayNumber = (date: string): number => {
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(t) && /^\d{4}-\d{2}-\d{2}$/.test(date) ? Math.round(t / DAY_MS) : NaN;
};

/** NPV and its derivative at `rate`, for flows given as (years from the first, amount). */
function npvAndSlope(flows: ReadonlyArray<readonly [number, number]>, rate: number): [number, number] {
  let npv = 0;
  let slope = 0;
  const base = 1 + rate;
  for (const [years, amount] of flows) {
    const discount = Math.pow(base, -years);
    npv += amount * discount;
    slope += (-years * amount * discount) / base;
  }
  return [npv, slope];
}

/** The NPV of `flows` at annual `rate` (exported for tests and explanations). */
export function xnpv(flows: readonly CashFlow[], rate: number): number {
  const first = Math.min(...flows.map((f) => dayNumber(f.date)));
  return npvAndSlope(flows.map((f) => [(dayNumber(f.date) - first) / 365, f.amount] as const), rate)[0];
}

/**
 * Computes XIRR, or says why it cannot: no flows, all flows of one sign (no rate makes the
 * NPV zero), every flow on one day (the rate is undefined), or no root found in
 * (-99.9999%, 10^8%). Never throws.
 */
export function xirr(flows: readonly CashFlow[], guess = 0.1): XirrResult {
  if (flows.length === 0) return { ok: false, reason: 'no-flows' };
  const days = flows.map((f) => dayNumber(f.date));
  if (days.some((d) => Number.isNaN(d)) || flows.some((f) => !Number.isFinite(f.amount))) return { ok: false, reason: 'invalid-input' };
  if (!flows.some((f) => f.amount > 0) || !flows.some((f) => f.amount < 0)) return { ok: false, reason: 'one-sign' };
  const first = Math.min(...days);
  if (days.every((d) => d === first)) return { ok: false, reason: 'same-day' };
  const points = flows.map((f, i) => [(days[i]! - first) / 365, f.amount] as const);
  // Scale so tolerances mean the same for ₹100 and ₹10 crore.
  const scale = Math.max(...flows.map((f) => Math.abs(f.amount)));
  const scaled = points.map(([y, a]) => [y, a / scale] as const);

  let rate = guess;
  for (let i = 1; i <= 50; i++) {
    const [npv, slope] = npvAndSlope(scaled, rate);
    if (!Number.isFinite(npv) || !Number.isFinite(slope) || slope === 0) break;
    const next = rate - npv / slope;
    if (!Number.isFinite(next) || next <= MIN_RATE || next > MAX_RATE) break;
    if (Math.abs(next - rate) < TOLERANCE * Math.max(1, Math.abs(rate))) {
      return { ok: true, rate: next, method: 'newton', iterations: i };
    }
    rate = next;
  }
  return bisect(scaled);
}

/** Finds a sign change on a grid from -99.9999% upwards, then bisects it. */
function bisect(flows: ReadonlyArray<readonly [number, number]>): XirrResult {
  const grid = [MIN_RATE, -0.999999, -0.9999, -0.99, -0.9, -0.5, -0.2, 0, 0.1, 0.25, 0.5, 1, 2, 5, 10, 100, 1_000, 10_000, 1e6, MAX_RATE];
  let lo = NaN;
  let hi = NaN;
  let fLo = NaN;
  for (let i = 0; i + 1 < grid.length; i++) {
    const a = npvAndSlope(flows, grid[i]!)[0];
    const b = npvAndSlope(flows, grid[i + 1]!)[0];
    if (Number.isFinite(a) && Number.isFinite(b) && Math.sign(a) !== Math.sign(b)) {
      [lo, hi, fLo] = [grid[i]!, grid[i + 1]!, a];
      break;
    }
  }
  if (Number.isNaN(lo)) return { ok: false, reason: 'no-root' };
  let iterations = 0;
  while (hi - lo > TOLERANCE * Math.max(1, Math.abs(lo)) && iterations < 300) {
    iterations += 1;
    const mid = (lo + hi) / 2;
    const fMid = npvAndSlope(flows, mid)[0];
    if (fMid === 0) return { ok: true, rate: mid, method: 'bisection', iterations };
    if (Math.sign(fMid) === Math.sign(fLo)) [lo, fLo] = [mid, fMid];
    else hi = mid;
  }
  return { ok: true, rate: (lo + hi) / 2, method: 'bisection', iterations };
}
