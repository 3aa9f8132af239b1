import type { Holding, Transaction } from '../fi/types.js';
import type { Paise } from '../money.js';
import { round2, type AnalyticsInput, type AnalyticsSource } from './input.js';
import { xirr, type CashFlow, type XirrResult } from './xirr.js';

/**
 * Mutual-fund returns: per scheme and for the portfolio, computed by us from the MF
 * transactions (average-cost method, as Fi and the registrars do) and the holdings' current
 * values, then reconciled against the XIRR Fi reports on each holding. Pure and total: odd
 * data gives `null` figures with a reason, never an exception, NaN or Infinity.
 */

/**
 * Within this many percentage points our XIRR matches Fi's. Fi rounds to 2 decimals
 * (±0.005), and a day's difference in a flow date (order vs allotment day) or the rounding of
 * the current value moves a short history by a few hundredths; a missing instalment or a
 * wrong current value moves it by far more than 0.1.
 */
export const XIRR_MATCH_TOLERANCE_PP = 0.1;
/** Fi gives units with 3 decimals (as CAMS/KFintech statements do); agreeing to half the last digit means the same holding. */
export const UNITS_TOLERANCE = 0.0005;
/** `fetch_mf_transactions` returns at most this many rows; at or above it, older history may be cut off. */
export const MF_TRANSACTION_CAP = 500;

/** Why we have no XIRR: the solver's reason, no current value for units still held, or no transactions at all. */
export type XirrUnavailableReason = Extract<XirrResult, { ok: false }>['reason'] | 'missing-nav' | 'no-history';

/**
 * How our XIRR compares with Fi's, in order of precedence:
 * - `missing-nav`: units are held but there is no INR current value to end the flows with;
 * - `transaction-cap` / `partial-history`: our units differ from Fi's, the holding has no
 *   transactions, or a sale exceeded the units held: our history is incomplete;
 *   `transaction-cap` also when units agree but the XIRRs differ and the cap is reached
 *   (an earlier, fully redeemed round of the folio may have been cut off); `transaction-cap` when the user's MF rows reach
 *   Fi's cap of 500, which explains the gap;
 * - `cannot-compute`: the solver found no rate (reason given);
 * - `no-fi-xirr`: Fi gives none (e.g. a fully redeemed scheme);
 * - `matches` (within `XIRR_MATCH_TOLERANCE_PP`) or `differs` (unexplained; figures given).
 */
export type ReconciliationStatus = 'matches' | 'partial-history' | 'transaction-cap' | 'missing-nav' | 'no-fi-xirr' | 'cannot-compute' | 'differs';

export interface XirrReconciliation {
  readonly status: ReconciliationStatus;
  readonly ourXirrPercent: number | null;
  readonly fiXirrPercent: number | null;
  /** Ours minus Fi's, percentage points (2 decimals); null unless both exist. */
  readonly differencePp: number | null;
  readonly tolerancePp: number;
  /** One sentence with the figures behind the status. */
  readonly explanation: string;
}

export interface SchemeReturns {
  /** `isin:folio` (folios joined by `+` when one holding spans several). */
  readonly key: string;
  readonly isin: string | null;
  readonly folios: readonly string[];
  readonly name: string;
  /**
   * `held` (a holding with transactions), `no-history` (a holding without transactions),
   * `redeemed` (transactions leaving no units, no holding), `no-holding` (transactions leaving
   * units that Fi lists no holding for: no current value).
   */
  readonly status: 'held' | 'no-history' | 'redeemed' | 'no-holding';
  readonly transactionCount: number;
  readonly firstDate: string | null;
  readonly lastDate: string | null;
  /** Units from our transactions (Σ BUY − Σ SELL); null without transactions. */
  readonly units: number | null;
  /** Units Fi reports on the holding. */
  readonly fiUnits: number | null;
  /** Σ BUY amounts and Σ SELL proceeds. */
  readonly purchasedPaise: Paise;
  readonly redeemedPaise: Paise;
  /**
   * Average cost of the units still held by our transactions; null without transactions.
   * With incomplete history (see `gainsUnavailable`) it covers only the history we have.
   */
  readonly investedPaise: Paise | null;
  readonly fiInvestedPaise: Paise | null;
  /** The holding's INR value; 0 for a redeemed scheme; null when units are held but no value is known. */
  readonly currentValuePaise: Paise | null;
  /** Σ (sale proceeds − average cost of the units sold); null without transactions or with incomplete history. */
  readonly realisedGainPaise: Paise | null;
  /** Current value − invested; null without transactions, a current value, or complete history. */
  readonly unrealisedGainPaise: Paise | null;
  /** Realised + unrealised. */
  readonly absoluteGainPaise: Paise | null;
  /** Absolute gain over everything ever purchased, percent (2 decimals). */
  readonly absoluteReturnPercent: number | null;
  /** Unrealised gain over the invested value of the units held, percent (2 decimals), as apps show it. */
  readonly unrealisedReturnPercent: number | null;
  /**
   * Why the gains are null: `no-history` (a holding without transactions), `incomplete-history`
   * (reconciliation `partial-history` or `transaction-cap`, or a sale of more units than held:
   * a gain from part of the history would be wrong, so none is given), `missing-nav` (units
   * held without a current value: the realised gain stands, the unrealised is unknown).
   */
  readonly gainsUnavailable: 'no-history' | 'incomplete-history' | 'missing-nav' | null;
  /** Annualised, percent (2 decimals), from the flows plus the current value on `asOf`. */
  readonly xirrPercent: number | null;
  readonly xirrUnavailable: XirrUnavailableReason | null;
  /** A sale exceeded the units held at the time (history incomplete). */
  readonly oversold: boolean;
  /** Rows whose units could not be known (no units and no price): cash flows kept, cost basis unreliable. */
  readonly rowsWithoutUnits: number;
  readonly reconciliation: XirrReconciliation;
}

/**
 * Portfolio totals. Gains and money in and out are summed over the same schemes as the
 * portfolio XIRR (complete history and a known value: those not in `xirrExcluded`), so no
 * gain comes from part of a history; `currentValuePaise` is every scheme with a known value,
 * split into `includedCurrentValuePaise` (the schemes the gains cover) and
 * `excludedCurrentValuePaise` (the rest).
 */
export interface ReturnsTotals {
  /** Over the included schemes. */
  readonly purchasedPaise: Paise;
  readonly redeemedPaise: Paise;
  readonly investedPaise: Paise;
  /** Over every scheme with a known value, holdings without transactions included. */
  readonly currentValuePaise: Paise;
  /** The part of `currentValuePaise` the gains and XIRR cover. */
  readonly includedCurrentValuePaise: Paise;
  /** The part they do not cover (incomplete or no history): a value without a known gain. */
  readonly excludedCurrentValuePaise: Paise;
  /** Over the included schemes. */
  readonly realisedGainPaise: Paise;
  readonly unrealisedGainPaise: Paise;
  readonly absoluteGainPaise: Paise;
  /** Absolute gain over purchases, both over the included schemes. */
  readonly absoluteReturnPercent: number | null;
  /** Portfolio XIRR over the schemes whose history is complete (see `xirrExcluded`). */
  readonly xirrPercent: number | null;
  readonly xirrUnavailable: XirrUnavailableReason | null;
  /** Current value the portfolio XIRR covers. */
  readonly xirrCoveredValuePaise: Paise;
  /** Schemes left out of the portfolio XIRR, with the status that excluded them. */
  readonly xirrExcluded: ReadonlyArray<{ readonly key: string; readonly status: ReconciliationStatus | 'no-history' }>;
}

export interface InvestmentReturns {
  readonly asOf: string;
  readonly sources: readonly AnalyticsSource[];
  /** False when the user has neither MF transactions nor MF holdings. */
  readonly available: boolean;
  readonly unavailableReason: string | null;
  /** By current value, largest first (redeemed and unvalued schemes last), ties by key. */
  readonly schemes: readonly SchemeReturns[];
  readonly totals: ReturnsTotals;
  /** MF rows received (Fi's cap is 500). */
  readonly transactionCount: number;
  readonly transactionCapReached: boolean;
  /** MF rows dated after `asOf`, left out of every figure. */
  readonly rowsAfterAsOf: number;
  readonly reconciliationCounts: Readonly<Record<ReconciliationStatus, number>>;
}

/** One folio's history folded in date order. */
interface Ledger {
  readonly accountKey: string;
  readonly isin: string;
  readonly folio: string;
  readonly name: string | null;
  readonly count: number;
  readonly firstDate: string | null;
  readonly lastDate: string | null;
  readonly units: number;
  readonly costPaise: Paise;
  readonly realisedPaise: Paise;
  readonly purchasedPaise: Paise;
  readonly redeemedPaise: Paise;
  readonly oversold: boolean;
  readonly rowsWithoutUnits: number;
  readonly flows: readonly CashFlow[];
}

/** Units beyond this are not data but noise (all the units of a scheme are far fewer); such rows count as without units. */
export const MAX_UNITS = 1e12;

/** Removes float noise from sums of units (which carry at most a few decimals). */
const cleanUnits = (x: number): number => Math.round(x * 1e6) / 1e6 + 0;
const percentOf = (part: number, whole: number): number | null => (whole > 0 && Number.isFinite(part) ? round2((part / whole) * 100) : null);
/** A finite number (never -0, which JSON cannot keep), else null. */
const finite = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x + 0 : null);

/** `isin:folio` split at the first colon (the normaliser's MF account key). */
function splitKey(accountKey: string): { isin: string; folio: string } {
  const at = accountKey.indexOf(':');
  return at < 0 ? { isin: accountKey, folio: '' } : { isin: accountKey.slice(0, at), folio: accountKey.slice(at + 1) };
}

/** Date order; on one day purchases first, so a same-day sale never looks oversold. */
const byDateBuysFirst = (a: Transaction, b: Transaction): number =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : (a.type === 'SELL' ? 1 : 0) - (b.type === 'SELL' ? 1 : 0);

/** Units of a row: as given, else amount / NAV; undefined when neither is usable (or beyond `MAX_UNITS`). */
function unitsOf(t: Transaction): number | undefined {
  const units = t.units !== undefined && Number.isFinite(t.units) ? Math.abs(t.units) : t.pricePaise !== undefined && t.pricePaise > 0 ? t.amountPaise / t.pricePaise : undefined;
  return units !== undefined && Number.isFinite(units) && units <= MAX_UNITS ? units : undefined;
}

/**
 * Folds one folio's rows with the average-cost method: a purchase adds its amount to the
 * cost; a sale removes `round(cost × sold / held)` (integer paise, as Fi's invested and
 * realised figures are computed) and books proceeds minus that cost as realised gain.
 */
function foldLedger(accountKey: string, rows: readonly Transaction[]): Ledger {
  const { isin, folio } = splitKey(accountKey);
  let units = 0;
  let cost = 0;
  let realised = 0;
  let purchased = 0;
  let redeemed = 0;
  let oversold = false;
  let rowsWithoutUnits = 0;
  const flows: CashFlow[] = [];
  const sorted = [...rows].sort(byDateBuysFirst);
  for (const t of sorted) {
    const amount = Number.isFinite(t.amountPaise) ? Math.abs(t.amountPaise) : 0;
    const rowUnits = unitsOf(t);
    if (rowUnits === undefined) rowsWithoutUnits += 1;
    if (t.type === 'BUY') {
      purchased += amount;
      cost += amount;
      units += rowUnits ?? 0;
      flows.push({ date: t.date, amount: -amount });
    } else if (t.type === 'SELL') {
      redeemed += amount;
      flows.push({ date: t.date, amount });
      const sold = rowUnits ?? 0;
      if (sold > units + UNITS_TOLERANCE) oversold = true;
      const costOfSold = units > UNITS_TOLERANCE ? Math.round((cost * Math.min(sold, units)) / units) : 0;
      realised += amount - costOfSold;
      cost -= costOfSold;
      units -= sold;
      if (units <= UNITS_TOLERANCE) cost = 0;
    }
  }
  return {
    accountKey,
    isin,
    folio,
    name: sorted.find((t) => t.schemeName !== undefined)?.schemeName ?? null,
    count: sorted.length,
    firstDate: sorted[0]?.date ?? null,
    lastDate: sorted[sorted.length - 1]?.date ?? null,
    units: cleanUnits(units),
    costPaise: cost,
    realisedPaise: realised,
    purchasedPaise: purchased,
    redeemedPaise: redeemed,
    oversold,
    rowsWithoutUnits,
    flows,
  };
}

/** A holding and the folios matched to it, or folios alone (no holding). */
interface Position {
  readonly holding: Holding | null;
  readonly ledgers: readonly Ledger[];
}

/**
 * Matches folios to holdings: first exactly on ISIN and folio, then a holding still without
 * transactions takes every unclaimed folio of its ISIN (Fi's analytics are per ISIN and the
 * holding often has no folio). Folios left over are schemes without a holding.
 */
function matchPositions(holdings: readonly Holding[], ledgers: readonly Ledger[]): Position[] {
  const claimed = new Set<string>();
  const matched = holdings.map((h) => {
    const exact = ledgers.filter((l) => h.isin !== undefined && h.folio !== undefined && l.isin === h.isin && l.folio === h.folio && !claimed.has(l.accountKey));
    exact.forEach((l) => claimed.add(l.accountKey));
    return exact;
  });
  const positions = holdings.map((holding, i) => {
    let own = matched[i]!;
    if (own.length === 0 && holding.isin !== undefined) {
      own = ledgers.filter((l) => l.isin === holding.isin && !claimed.has(l.accountKey));
      own.forEach((l) => claimed.add(l.accountKey));
    }
    return { holding, ledgers: own };
  });
  const orphans = ledgers.filter((l) => !claimed.has(l.accountKey)).map((l) => ({ holding: null, ledgers: [l] }));
  return [...positions, ...orphans];
}

/** The holding's value when it is in rupees (the normaliser already fell back to units × NAV). */
const inrValue = (h: Holding | null): Paise | null => (h !== null && h.currency === 'INR' && Number.isSafeInteger(h.valuePaise) ? h.valuePaise + 0 : null);

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** XIRR in percent from flows plus a terminal value on `asOf`, or why not. */
function xirrPercentOf(flows: readonly CashFlow[], terminalPaise: Paise, asOf: string): { percent: number | null; reason: XirrUnavailableReason | null } {
  const all = terminalPaise > 0 ? [...flows, { date: asOf, amount: terminalPaise }] : flows;
  const r = xirr(all);
  return r.ok && Number.isFinite(r.rate) ? { percent: round2(r.rate * 100), reason: null } : { percent: null, reason: r.ok ? 'no-root' : r.reason };
}

interface ReconcileFacts {
  readonly hasHolding: boolean;
  readonly hasHistory: boolean;
  readonly units: number | null;
  readonly fiUnits: number | null;
  readonly oversold: boolean;
  readonly currentValuePaise: Paise | null;
  readonly ours: { percent: number | null; reason: XirrUnavailableReason | null };
  readonly fiXirr: number | null;
  readonly capReached: boolean;
}

/** Applies the precedence documented on `ReconciliationStatus`. */
function reconcile(f: ReconcileFacts): XirrReconciliation {
  const base = { ourXirrPercent: f.ours.percent, fiXirrPercent: f.fiXirr, tolerancePp: XIRR_MATCH_TOLERANCE_PP };
  const diff = f.ours.percent !== null && f.fiXirr !== null ? round2(f.ours.percent - f.fiXirr) : null;
  const out = (status: ReconciliationStatus, explanation: string): XirrReconciliation => ({ status, ...base, differencePp: diff, explanation });
  if (f.currentValuePaise === null) return out('missing-nav', `${f.units ?? 0} units are held but no INR current value is known, so the flows cannot be closed on the as-of date.`);
  const unitsDiffer = f.hasHolding && f.fiUnits !== null && f.units !== null && Math.abs(f.units - f.fiUnits) > UNITS_TOLERANCE;
  if (!f.hasHistory || unitsDiffer || f.oversold) {
    const what = !f.hasHistory ? 'no transactions for this holding' : unitsDiffer ? `our units ${f.units} differ from Fi's ${f.fiUnits}` : 'a sale exceeded the units held at the time';
    return f.capReached
      ? out('transaction-cap', `${what}; Fi returns at most ${MF_TRANSACTION_CAP} MF transactions and this user has reached that, so older rows are probably missing.`)
      : out('partial-history', `${what}: the transaction history is incomplete, so our figures cover only part of it.`);
  }
  if (f.ours.percent === null) return out('cannot-compute', `our XIRR cannot be computed (${f.ours.reason ?? 'unknown'}); Fi reports ${f.fiXirr ?? 'none'}.`);
  if (f.fiXirr === null) return out('no-fi-xirr', `Fi gives no XIRR${f.hasHolding ? ' for this holding' : ' (no holding: the scheme is fully redeemed)'}; ours is ${f.ours.percent}%.`);
  if (diff !== null && Math.abs(diff) <= XIRR_MATCH_TOLERANCE_PP) return out('matches', `ours ${f.ours.percent}% and Fi's ${f.fiXirr}% agree within ${XIRR_MATCH_TOLERANCE_PP} pp.`);
  // Units can agree while an earlier, fully redeemed round of the same folio was cut off by the cap.
  return f.capReached
    ? out('transaction-cap', `ours ${f.ours.percent}% and Fi's ${f.fiXirr}% differ by ${diff} pp; units agree, but Fi returns at most ${MF_TRANSACTION_CAP} MF transactions and this user has reached that, so an earlier redeemed round may be missing.`)
    : out('differs', `ours ${f.ours.percent}% and Fi's ${f.fiXirr}% differ by ${diff} pp with complete history and units that agree; unexplained.`);
}

/** Every figure for one position. */
function schemeReturns(p: Position, asOf: string, capReached: boolean): SchemeReturns {
  const { holding, ledgers } = p;
  const hasHistory = ledgers.length > 0;
  const units = hasHistory ? cleanUnits(sum(ledgers.map((l) => l.units))) : null;
  const redeemedAll = holding === null && units !== null && Math.abs(units) <= UNITS_TOLERANCE;
  const currentValuePaise = holding !== null ? inrValue(holding) : redeemedAll ? 0 : null;
  const investedPaise = hasHistory ? sum(ledgers.map((l) => l.costPaise)) : null;
  const purchasedPaise = sum(ledgers.map((l) => l.purchasedPaise));
  const oversold = ledgers.some((l) => l.oversold);
  const ours: { percent: number | null; reason: XirrUnavailableReason | null } = !hasHistory
    ? { percent: null, reason: 'no-history' }
    : currentValuePaise === null
      ? { percent: null, reason: 'missing-nav' }
      : xirrPercentOf(ledgers.flatMap((l) => l.flows), currentValuePaise, asOf);
  const folios = ledgers.map((l) => l.folio);
  const isin = holding?.isin ?? ledgers[0]?.isin ?? null;
  const fiUnits = holding?.units !== undefined && Math.abs(holding.units) <= MAX_UNITS ? finite(holding.units) : null;
  const reconciliation = reconcile({ hasHolding: holding !== null, hasHistory, units, fiUnits, oversold, currentValuePaise, ours, fiXirr: finite(holding?.xirrPercent), capReached });
  const incomplete = oversold || reconciliation.status === 'partial-history' || reconciliation.status === 'transaction-cap';
  const gainsUnavailable = !hasHistory ? 'no-history' : incomplete ? 'incomplete-history' : currentValuePaise === null ? 'missing-nav' : null;
  const realisedGainPaise = hasHistory && !incomplete ? sum(ledgers.map((l) => l.realisedPaise)) : null;
  const unrealisedGainPaise = gainsUnavailable === null && investedPaise !== null && currentValuePaise !== null ? currentValuePaise - investedPaise : null;
  const absoluteGainPaise = realisedGainPaise !== null && unrealisedGainPaise !== null ? realisedGainPaise + unrealisedGainPaise : null;
  return {
    key: `${isin ?? holding?.name ?? 'unknown'}:${holding?.folio ?? folios.join('+')}`,
    isin,
    folios: holding?.folio !== undefined && folios.length === 0 ? [holding.folio] : folios,
    name: holding?.name ?? ledgers.find((l) => l.name !== null)?.name ?? isin ?? 'Unknown fund',
    status: holding !== null ? (hasHistory ? 'held' : 'no-history') : redeemedAll ? 'redeemed' : 'no-holding',
    transactionCount: sum(ledgers.map((l) => l.count)),
    firstDate: ledgers.map((l) => l.firstDate).filter((d): d is string => d !== null).sort()[0] ?? null,
    lastDate: ledgers.map((l) => l.lastDate).filter((d): d is string => d !== null).sort().at(-1) ?? null,
    units,
    fiUnits,
    purchasedPaise,
    redeemedPaise: sum(ledgers.map((l) => l.redeemedPaise)),
    investedPaise,
    fiInvestedPaise: finite(holding?.investedPaise),
    currentValuePaise,
    realisedGainPaise,
    unrealisedGainPaise,
    absoluteGainPaise,
    absoluteReturnPercent: absoluteGainPaise === null ? null : percentOf(absoluteGainPaise, purchasedPaise),
    unrealisedReturnPercent: unrealisedGainPaise === null || investedPaise === null ? null : percentOf(unrealisedGainPaise, investedPaise),
    gainsUnavailable,
    xirrPercent: ours.percent,
    xirrUnavailable: ours.reason,
    oversold,
    rowsWithoutUnits: sum(ledgers.map((l) => l.rowsWithoutUnits)),
    reconciliation,
  };
}

/** Statuses whose flows are complete enough for the portfolio XIRR. */
const COMPLETE: ReadonlySet<ReconciliationStatus> = new Set(['matches', 'differs', 'no-fi-xirr', 'cannot-compute']);

/**
 * Portfolio totals (see `ReturnsTotals`), and an XIRR over the flows of schemes with complete
 * history plus their value on `asOf` (`flows[i]` belongs to `schemes[i]`). Gains and amounts
 * are summed over those same schemes.
 */
function totalsOf(schemes: readonly SchemeReturns[], flows: readonly (readonly CashFlow[])[], asOf: string): ReturnsTotals {
  const isIncluded = (s: SchemeReturns): boolean => s.status !== 'no-history' && !s.oversold && COMPLETE.has(s.reconciliation.status);
  const included = schemes.filter(isIncluded);
  const known = (pick: (s: SchemeReturns) => number | null, over: readonly SchemeReturns[] = included): number => sum(over.map(pick).filter((v): v is number => v !== null));
  const excluded = schemes.filter((s) => !isIncluded(s)).map((s) => ({ key: s.key, status: s.status === 'no-history' ? ('no-history' as const) : s.reconciliation.status }));
  const covered = sum(included.map((s) => s.currentValuePaise ?? 0));
  const includedFlows = schemes.flatMap((s, i) => (isIncluded(s) ? (flows[i] ?? []) : []));
  const portfolio = included.length === 0 ? { percent: null, reason: 'no-flows' as const } : xirrPercentOf(includedFlows, covered, asOf);
  const purchasedPaise = known((s) => s.purchasedPaise);
  const realisedGainPaise = known((s) => s.realisedGainPaise);
  const unrealisedGainPaise = known((s) => s.unrealisedGainPaise);
  const currentValuePaise = known((s) => s.currentValuePaise, schemes);
  return {
    purchasedPaise,
    redeemedPaise: known((s) => s.redeemedPaise),
    investedPaise: known((s) => s.investedPaise),
    currentValuePaise,
    includedCurrentValuePaise: covered,
    excludedCurrentValuePaise: currentValuePaise - covered,
    realisedGainPaise,
    unrealisedGainPaise,
    absoluteGainPaise: realisedGainPaise + unrealisedGainPaise,
    absoluteReturnPercent: percentOf(realisedGainPaise + unrealisedGainPaise, purchasedPaise),
    xirrPercent: portfolio.percent,
    xirrUnavailable: portfolio.reason,
    xirrCoveredValuePaise: covered,
    xirrExcluded: excluded,
  };
}

/** Suffixes `#2`, `#3`… to repeated keys (two holdings of one ISIN without folios), so keys identify schemes. */
function uniqueKeys(schemes: readonly SchemeReturns[]): SchemeReturns[] {
  const seen = new Map<string, number>();
  return schemes.map((s) => {
    const n = (seen.get(s.key) ?? 0) + 1;
    seen.set(s.key, n);
    return n === 1 ? s : { ...s, key: `${s.key}#${n}` };
  });
}

const STATUSES: readonly ReconciliationStatus[] = ['matches', 'partial-history', 'transaction-cap', 'missing-nav', 'no-fi-xirr', 'cannot-compute', 'differs'];

/** By current value, largest first (redeemed schemes at 0, unvalued ones last); ties by key, so the order is stable. */
const bySchemeOrder = (a: SchemeReturns, b: SchemeReturns): number =>
  (b.currentValuePaise ?? -1) - (a.currentValuePaise ?? -1) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Mutual-fund returns per scheme and for the portfolio, as of `input.asOf`.
 *
 * Schemes: MF transactions grouped by `isin:folio` and matched to the MF holdings (see
 * `matchPositions`); holdings without transactions (`no-history`) and transactions without a
 * holding (`redeemed`: realised gain only) are kept. Rows dated after `asOf` are ignored.
 * Each scheme's XIRR is ours, from its flows plus the current value on `asOf`, and is
 * reconciled against Fi's `xirrPercent` (see `ReconciliationStatus`).
 *
 * Pure and total: never throws; unavailable figures are `null` with a reason.
 */
export function investmentReturns(input: AnalyticsInput): InvestmentReturns {
  const allRows = input.transactions.filter((t) => t.kind === 'mf');
  const rows = allRows.filter((t) => t.date <= input.asOf && (t.type === 'BUY' || t.type === 'SELL'));
  // By id (a content hash): which holding claims a folio must not depend on the store's order.
  const holdings = input.holdings.filter((h) => h.kind === 'mutual_fund').sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const capReached = allRows.length >= MF_TRANSACTION_CAP;
  const groups = new Map<string, Transaction[]>();
  for (const t of rows) groups.set(t.accountKey, [...(groups.get(t.accountKey) ?? []), t]);
  const ledgers = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, txns]) => foldLedger(key, txns));

  const positions = matchPositions(holdings, ledgers);
  const schemes = uniqueKeys(positions.map((p) => schemeReturns(p, input.asOf, capReached)));
  const flows = positions.map((p) => p.ledgers.flatMap((l) => l.flows));
  const counts = Object.fromEntries(STATUSES.map((s) => [s, schemes.filter((x) => x.reconciliation.status === s).length])) as Record<ReconciliationStatus, number>;
  const sources: AnalyticsSource[] = [...(allRows.length > 0 ? ['fetch_mf_transactions' as const] : []), ...(holdings.length > 0 ? ['fetch_net_worth' as const] : [])];
  const available = allRows.length > 0 || holdings.length > 0;
  return {
    asOf: input.asOf,
    sources,
    available,
    unavailableReason: available ? null : 'no mutual fund transactions or holdings',
    schemes: [...schemes].sort(bySchemeOrder),
    totals: totalsOf(schemes, flows, input.asOf),
    transactionCount: allRows.length,
    transactionCapReached: capReached,
    rowsAfterAsOf: allRows.filter((t) => t.date > input.asOf).length,
    reconciliationCounts: counts,
  };
}
