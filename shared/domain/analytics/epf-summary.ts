import type { Paise } from '../money.js';
import type { EpfAccount, EpfUanSummary } from '../fi/types.js';
import { safeLabel } from './cash-flow.js';
import { monthsBetween } from './credit.js';
import { round2, type AnalyticsInput, type AnalyticsSource } from './input.js';

/**
 * EPF analytics: balance by establishment, employee vs employer share, pension, accounts
 * left behind at former employers, and per-UAN totals.
 *
 * Dormant accounts: every establishment the member has left (an exit date on or before
 * `asOf`) that still holds a balance. We flag all of them, whatever the amount: the money
 * keeps its value only if someone tracks it, and moving it into the current account keeps
 * the service record in one place (continuous service is what makes EPF withdrawals
 * tax-free after five years). The ₹2 lakh threshold suggested for this feature is dropped:
 * no EPFO or tax rule attaches to it, so it would only hide smaller forgotten balances.
 * Consumers can rank by `balancePaise` and `monthsSinceExit`.
 *
 * Pure and total: never reads a clock, never throws; plain JSON, money in integer paise.
 * Establishment names are third-party text and appear only as cleaned labels (≤ 60 chars).
 */

export interface EpfEstablishment {
  readonly accountId: string;
  readonly establishment: string | null;
  /** Masked UAN when Fi gives one; null otherwise. */
  readonly uan: string | null;
  /** Position of the UAN this establishment belongs to (0-based), when it can be told; else null. */
  readonly uanIndex: number | null;
  readonly joinedOn: string | null;
  readonly exitedOn: string | null;
  /** No exit date on or before `asOf`: the member still works there. */
  readonly current: boolean;
  readonly dormant: boolean;
  readonly balancePaise: Paise;
  readonly employeeSharePaise: Paise;
  readonly employerSharePaise: Paise;
  /** Whole months since the exit date; null while employed there. */
  readonly monthsSinceExit: number | null;
}

export interface EpfUanTotals {
  readonly index: number;
  readonly uan: string | null;
  readonly establishments: number;
  /** Σ balances of the establishments attributed to this UAN; null when they cannot be attributed. */
  readonly balancePaise: Paise | null;
  readonly employeeSharePaise: Paise | null;
  readonly employerSharePaise: Paise | null;
  /** Fi's own `current_pf_balance` for the UAN, for comparison; null when absent. */
  readonly fiCurrentPfBalancePaise: Paise | null;
  readonly pensionPaise: Paise | null;
}

export type EpfAnalytics =
  | {
      readonly available: true;
      readonly asOf: string;
      readonly sources: readonly AnalyticsSource[];
      /** Σ establishment balances (employee + employer shares); the pension is not included. */
      readonly totalBalancePaise: Paise;
      readonly employeeSharePaise: Paise;
      readonly employerSharePaise: Paise;
      /** Of employee + employer, 2 decimals; null when both are zero. */
      readonly employeeSharePercent: number | null;
      readonly employerSharePercent: number | null;
      /** EPS pension balance summed over UANs (else over establishments); null when Fi gives none. */
      readonly pensionPaise: Paise | null;
      readonly pensionNote: string;
      /** Largest balance first. */
      readonly establishments: readonly EpfEstablishment[];
      readonly current: { readonly count: number; readonly balancePaise: Paise };
      readonly dormant: {
        readonly count: number;
        readonly balancePaise: Paise;
        /** Of the total balance, 2 decimals; null when the total is zero. */
        readonly sharePercent: number | null;
        readonly accountIds: readonly string[];
        readonly rule: string;
      };
      readonly uans: readonly EpfUanTotals[];
      readonly multipleUans: boolean;
    }
  | {
      readonly available: false;
      readonly asOf: string;
      readonly sources: readonly AnalyticsSource[];
      readonly reason: 'no-epf' | 'no-epf-accounts';
      readonly message: string;
    };

/** A safe integer amount, `-0` normalised to `0` (JSON cannot carry `-0`); else null. */
const safePaise = (n: unknown): Paise | null => (typeof n === 'number' && Number.isSafeInteger(n) ? n + 0 : null);
const sumOf = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0);
/** A readable `YYYY-MM-DD` (a date is zero whole months from itself; anything unreadable gives null). */
const isDate = (d: unknown): d is string => typeof d === 'string' && monthsBetween(d, d) === 0;

const DORMANT_RULE =
  'An establishment the member has left (exit date on or before the as-of date) that still holds a balance; flagged whatever the amount, since no EPFO or tax rule attaches to a threshold such as ₹2 lakh.';
const PENSION_NOTE =
  'The pension balance is the part of the employer contribution that goes to the Employees’ Pension Scheme (EPS): it funds a monthly pension (or a one-time withdrawal benefit for short service) and is separate from the PF balance, so it is shown apart from the total.';

/**
 * Each account's UAN: the position the normaliser recorded (`uanIndex`), when it names one
 * of the summaries. Accounts stored before that field existed get null (then they are
 * left out of the per-UAN sums, never attributed by guesswork).
 */
function uanIndexes(accounts: readonly EpfAccount[], uans: readonly EpfUanSummary[]): (number | null)[] {
  return accounts.map((a) => (typeof a.uanIndex === 'number' && Number.isSafeInteger(a.uanIndex) && a.uanIndex >= 0 && a.uanIndex < uans.length ? a.uanIndex : null));
}

/**
 * EPF analytics from `input.epf`; `available: false` with reason `no-epf` when EPF is not
 * connected and `no-epf-accounts` when it holds no readable establishment. Totals are sums
 * over establishments (net balance = employee + employer share); per-UAN figures use the
 * UAN summaries Fi gives. Pure, deterministic; never throws.
 */
export function epfAnalytics(input: AnalyticsInput): EpfAnalytics {
  const epf = input.epf;
  const sources: AnalyticsSource[] = ['fetch_epf_details'];
  if (!epf || typeof epf !== 'object') return { available: false, asOf: input.asOf, sources, reason: 'no-epf', message: 'EPF is not connected.' };
  const accounts = (Array.isArray(epf.accounts) ? epf.accounts : []).filter((a): a is EpfAccount => a !== null && typeof a === 'object' && safePaise(a.balancePaise) !== null);
  if (accounts.length === 0) return { available: false, asOf: input.asOf, sources, reason: 'no-epf-accounts', message: 'EPF is connected but holds no readable establishment.' };
  const uans = (Array.isArray(epf.uans) ? epf.uans : []).filter((u): u is EpfUanSummary => u !== null && typeof u === 'object');
  const indexes = uanIndexes(accounts, uans);

  const establishments = accounts.map((a, i): EpfEstablishment => {
    const exitedOn = isDate(a.exitedOn) ? a.exitedOn : null;
    const monthsSinceExit = exitedOn === null ? null : monthsBetween(exitedOn, input.asOf);
    const left = monthsSinceExit !== null;
    const balance = safePaise(a.balancePaise) ?? 0;
    return {
      accountId: String(a.id),
      establishment: safeLabel(a.establishment, 60),
      uan: safeLabel(a.uan, 12),
      uanIndex: indexes[i] ?? null,
      joinedOn: isDate(a.joinedOn) ? a.joinedOn : null,
      exitedOn,
      current: !left,
      dormant: left && balance > 0,
      balancePaise: balance,
      employeeSharePaise: Math.max(0, safePaise(a.employeeSharePaise) ?? 0),
      employerSharePaise: Math.max(0, safePaise(a.employerSharePaise) ?? 0),
      monthsSinceExit,
    };
  });
  establishments.sort((x, y) => y.balancePaise - x.balancePaise || (x.accountId < y.accountId ? -1 : 1));

  const total = sumOf(establishments.map((e) => e.balancePaise));
  const employee = sumOf(establishments.map((e) => e.employeeSharePaise));
  const employer = sumOf(establishments.map((e) => e.employerSharePaise));
  const shares = employee + employer;
  const dormant = establishments.filter((e) => e.dormant);
  const current = establishments.filter((e) => e.current);
  const dormantBalance = sumOf(dormant.map((e) => e.balancePaise));

  const uanPensions = uans.map((u) => safePaise(u.pensionPaise)).filter((p): p is number => p !== null);
  const accountPensions = accounts.map((a) => safePaise(a.pensionPaise)).filter((p): p is number => p !== null);
  const pension = uanPensions.length > 0 ? sumOf(uanPensions) : accountPensions.length > 0 ? sumOf(accountPensions) : null;

  const attributed = indexes.every((i) => i !== null);
  const uanTotals = uans.map((u, index): EpfUanTotals => {
    const own = establishments.filter((e) => e.uanIndex === index);
    return {
      index,
      uan: safeLabel(u.uan, 12),
      establishments: attributed ? own.length : (safePaise(u.establishments) ?? 0),
      balancePaise: attributed ? sumOf(own.map((e) => e.balancePaise)) : null,
      employeeSharePaise: attributed ? sumOf(own.map((e) => e.employeeSharePaise)) : null,
      employerSharePaise: attributed ? sumOf(own.map((e) => e.employerSharePaise)) : null,
      fiCurrentPfBalancePaise: safePaise(u.currentPfBalancePaise),
      pensionPaise: safePaise(u.pensionPaise),
    };
  });

  return {
    available: true,
    asOf: input.asOf,
    sources,
    totalBalancePaise: total,
    employeeSharePaise: employee,
    employerSharePaise: employer,
    employeeSharePercent: shares > 0 ? round2((employee / shares) * 100) : null,
    employerSharePercent: shares > 0 ? round2((employer / shares) * 100) : null,
    pensionPaise: pension,
    pensionNote: PENSION_NOTE,
    establishments,
    current: { count: current.length, balancePaise: sumOf(current.map((e) => e.balancePaise)) },
    dormant: { count: dormant.length, balancePaise: dormantBalance, sharePercent: total > 0 ? round2((dormantBalance / total) * 100) : null, accountIds: dormant.map((e) => e.accountId), rule: DORMANT_RULE },
    uans: uanTotals,
    multipleUans: uans.length > 1,
  };
}
