import type { Holding, Transaction } from '../fi/types.js';
import { multiplyPaise, type Paise } from '../money.js';
import { round2, type AnalyticsInput, type AnalyticsSource } from './input.js';

/**
 * Stock positions (Indian stocks and ETFs traded through `fetch_stock_transactions`): per ISIN,
 * the history folded in date order with the average-cost method, valued at the matching
 * holding's price. Pure and total: odd data gives `null` figures with a reason, never an
 * exception, NaN or Infinity.
 */

/** Our quantity and the holding's units agree within this (stock units are whole, US fractional ones have 4 decimals). */
export const QUANTITY_TOLERANCE = 0.00005;
/** Quantities beyond this are noise, not shares; such rows are counted in `rowsWithoutQuantity` and left out. */
export const MAX_QUANTITY = 1e12;

/** Holding kinds priced like listed shares (MF, SGB and NPS have their own sections). */
const STOCK_KINDS: ReadonlySet<Holding['kind']> = new Set(['equity', 'etf', 'us_equity']);

/**
 * Why an unrealised gain is missing. `incomplete-history`: a sale exceeded the shares held, or
 * our quantity is not the holding's (at or below zero, or different): the history is cut off,
 * so a gain from it would be wrong.
 */
export type UnrealisedUnavailableReason = 'no-history' | 'no-price' | 'currency-differs' | 'unpriced-rows' | 'incomplete-history';
/** Why a realised gain is missing. */
export type RealisedUnavailableReason = 'no-history' | 'unpriced-rows' | 'incomplete-history';

export interface StockPosition {
  readonly isin: string;
  readonly name: string | null;
  /** The holding's kind, null when there is no holding. */
  readonly kind: 'equity' | 'etf' | 'us_equity' | null;
  /** `held` (a holding, with history), `no-history` (a holding, no transactions), `sold` (no holding; history leaves nothing), `no-holding` (history leaves shares Fi does not list). */
  readonly status: 'held' | 'no-history' | 'sold' | 'no-holding';
  readonly transactionCount: number;
  readonly firstDate: string | null;
  readonly lastDate: string | null;
  /** BUY − SELL + BONUS + SPLIT from our transactions; null without transactions. */
  readonly quantity: number | null;
  readonly bought: number;
  readonly sold: number;
  readonly bonus: number;
  readonly split: number;
  /** Units Fi lists on the holding(s) for this ISIN. */
  readonly holdingUnits: number | null;
  /** Our quantity equals the holding's units (within `QUANTITY_TOLERANCE`); null when either is missing. */
  readonly quantityMatches: boolean | null;
  /** Currency of the transaction prices (our cost and realised gain). */
  readonly costCurrency: string;
  /** Average cost of the shares held (bonus and split shares cost nothing); null without transactions or with unpriced purchases. */
  readonly costPaise: Paise | null;
  /** Cost per share held, rounded to the paisa. */
  readonly averageCostPaise: Paise | null;
  /** Σ (sale proceeds − average cost of the shares sold); null with unpriced rows or incomplete history. */
  readonly realisedGainPaise: Paise | null;
  readonly realisedUnavailable: RealisedUnavailableReason | null;
  /** The holding's value / units, in `currency`, rounded to the paisa (cent). */
  readonly pricePaise: Paise | null;
  /** Currency of price and current value (USD for US holdings). */
  readonly currency: string | null;
  /**
   * Our quantity × price; the holding's own value when there is no history or the history is
   * incomplete (then our quantity does not describe what is held); 0 for an oversold position
   * Fi lists no holding for. Never negative from our quantity.
   */
  readonly currentValuePaise: Paise | null;
  readonly unrealisedGainPaise: Paise | null;
  readonly unrealisedUnavailable: UnrealisedUnavailableReason | null;
  /** Price and value are not in rupees: kept in their currency, left out of the INR totals. */
  readonly foreignCurrency: boolean;
  /** A sale exceeded the shares held at the time (history incomplete). */
  readonly oversold: boolean;
  /** Oversold, or our quantity differs from the holding's units, or is at or below zero while Fi lists a holding. */
  readonly incompleteHistory: boolean;
  /** Rows without a readable quantity, left out of every figure. */
  readonly rowsWithoutQuantity: number;
}

export interface StockTotals {
  readonly currency: 'INR';
  /** Cost of the INR positions whose unrealised gain is known (the same set as `unrealisedGainPaise`). */
  readonly costPaise: Paise;
  /** Every INR position with a known value. */
  readonly currentValuePaise: Paise;
  /** Over INR positions with a known realised gain (incomplete histories left out). */
  readonly realisedGainPaise: Paise;
  readonly unrealisedGainPaise: Paise;
  /** Unrealised over the cost of positions with both known, percent (2 decimals). */
  readonly unrealisedReturnPercent: number | null;
}

export interface StockPositions {
  readonly asOf: string;
  readonly sources: readonly AnalyticsSource[];
  /** False when there are neither stock transactions nor stock/ETF holdings. */
  readonly available: boolean;
  readonly unavailableReason: string | null;
  /** Held positions by value (largest first), then the rest by ISIN. */
  readonly positions: readonly StockPosition[];
  readonly totals: StockTotals;
  /** Current value of positions outside INR, per currency (never converted here). */
  readonly foreignCurrency: ReadonlyArray<{ readonly currency: string; readonly currentValuePaise: Paise; readonly positions: number }>;
  readonly quantityMismatches: number;
  /** Stock rows dated after `asOf`, left out. */
  readonly rowsAfterAsOf: number;
}

/** One ISIN's history folded in date order. */
interface Fold {
  readonly quantity: number;
  readonly bought: number;
  readonly sold: number;
  readonly bonus: number;
  readonly split: number;
  readonly costPaise: Paise;
  readonly realisedPaise: Paise;
  readonly unpricedBuys: number;
  readonly unpricedSells: number;
  readonly oversold: boolean;
  readonly rowsWithoutQuantity: number;
  readonly currency: string;
}

const cleanUnits = (x: number): number => Math.round(x * 1e6) / 1e6 + 0;
const readableQuantity = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x) && Math.abs(x) <= MAX_QUANTITY;
const ORDER: Readonly<Record<string, number>> = { BUY: 0, BONUS: 1, SPLIT: 2, SELL: 3 };

/** Date order; on one day credits (buy, bonus, split) before sales. */
const byDateCreditsFirst = (a: Transaction, b: Transaction): number =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : (ORDER[a.type] ?? 4) - (ORDER[b.type] ?? 4);

/** The row carries a price (without one the normaliser stores amount 0 and no price, as for bonus and split rows). */
const priced = (t: Transaction): boolean => t.pricePaise !== undefined || t.amountPaise > 0;

/**
 * Folds one ISIN's rows: BUY adds shares and cost; BONUS and SPLIT add shares at zero cost
 * (total cost unchanged, so the average cost per share falls); SELL removes
 * `round(cost × sold / held)` and books proceeds minus that as realised gain.
 */
function fold(rows: readonly Transaction[]): Fold {
  let quantity = 0;
  let cost = 0;
  let realised = 0;
  const tally = { bought: 0, sold: 0, bonus: 0, split: 0, unpricedBuys: 0, unpricedSells: 0, rowsWithoutQuantity: 0 };
  let oversold = false;
  for (const t of [...rows].sort(byDateCreditsFirst)) {
    if (!readableQuantity(t.units)) {
      tally.rowsWithoutQuantity += 1;
      continue;
    }
    const units = Math.abs(t.units);
    const amount = Number.isFinite(t.amountPaise) ? Math.abs(t.amountPaise) : 0;
    if (t.type === 'BUY') {
      tally.bought += units;
      if (!priced(t)) tally.unpricedBuys += 1;
      quantity += units;
      cost += amount;
    } else if (t.type === 'BONUS' || t.type === 'SPLIT') {
      tally[t.type === 'BONUS' ? 'bonus' : 'split'] += units;
      quantity += units;
    } else if (t.type === 'SELL') {
      tally.sold += units;
      if (!priced(t)) tally.unpricedSells += 1;
      if (units > quantity + QUANTITY_TOLERANCE) oversold = true;
      const costOfSold = quantity > QUANTITY_TOLERANCE ? Math.round((cost * Math.min(units, quantity)) / quantity) : 0;
      realised += amount - costOfSold;
      cost -= costOfSold;
      quantity -= units;
      if (quantity <= QUANTITY_TOLERANCE) cost = 0;
    }
  }
  const { bought, sold, bonus, split, unpricedBuys, unpricedSells, rowsWithoutQuantity } = tally;
  return {
    quantity: cleanUnits(quantity),
    bought: cleanUnits(bought),
    sold: cleanUnits(sold),
    bonus: cleanUnits(bonus),
    split: cleanUnits(split),
    costPaise: cost,
    realisedPaise: realised,
    unpricedBuys,
    unpricedSells,
    oversold,
    rowsWithoutQuantity,
    currency: rows[0]?.currency ?? 'INR',
  };
}

/** The holdings of one ISIN merged: units and value summed when they share a currency. */
interface HeldIsin {
  readonly name: string;
  readonly kind: 'equity' | 'etf' | 'us_equity';
  readonly units: number | null;
  readonly valuePaise: Paise | null;
  readonly currency: string | null;
}

function mergeHoldings(holdings: readonly Holding[]): Map<string, HeldIsin> {
  const byIsin = new Map<string, Holding[]>();
  for (const h of holdings) if (h.isin !== undefined && STOCK_KINDS.has(h.kind)) byIsin.set(h.isin, [...(byIsin.get(h.isin) ?? []), h]);
  const merged = new Map<string, HeldIsin>();
  for (const [isin, hs] of byIsin) {
    const first = hs[0]!;
    const oneCurrency = hs.every((h) => h.currency === first.currency);
    const valued = oneCurrency && hs.every((h) => Number.isSafeInteger(h.valuePaise));
    const allUnits = hs.every((h) => readableQuantity(h.units));
    merged.set(isin, {
      name: first.name,
      kind: first.kind as HeldIsin['kind'],
      units: allUnits ? cleanUnits(hs.reduce((a, h) => a + (h.units ?? 0), 0)) : null,
      valuePaise: valued ? hs.reduce((a, h) => a + h.valuePaise, 0) + 0 : null,
      currency: oneCurrency ? first.currency : null,
    });
  }
  return merged;
}

/** Price per share from the holding (value / units), in its currency; null without units. */
const priceOf = (h: HeldIsin | undefined): Paise | null =>
  h !== undefined && h.valuePaise !== null && h.units !== null && h.units > 0 ? Math.round(h.valuePaise / h.units) + 0 : null;

/** Builds one position from its history (possibly empty) and its holding (possibly absent). */
function position(isin: string, rows: readonly Transaction[], held: HeldIsin | undefined): StockPosition {
  const hasHistory = rows.length > 0;
  const f = fold(rows);
  const quantity = hasHistory ? f.quantity : null;
  const holdingUnits = held?.units ?? null;
  const quantityMatches = quantity !== null && holdingUnits !== null ? Math.abs(quantity - holdingUnits) <= QUANTITY_TOLERANCE : null;
  const incomplete =
    hasHistory && (f.oversold || quantityMatches === false || (quantity !== null && quantity < -QUANTITY_TOLERANCE) || (held !== undefined && holdingUnits !== 0 && quantity !== null && quantity <= QUANTITY_TOLERANCE));
  const price = priceOf(held);
  const exactPrice = held !== undefined && held.valuePaise !== null && held.units !== null && held.units > 0 ? held.valuePaise / held.units : null;
  const currentValuePaise = !hasHistory
    ? (held?.valuePaise ?? null)
    : incomplete
      ? (held?.valuePaise ?? 0)
      : exactPrice !== null && quantity !== null
        ? (multiplyPaise(quantity, exactPrice) ?? null)
        : quantity === 0
          ? 0
          : null;
  const costPaise = hasHistory && f.unpricedBuys === 0 ? f.costPaise : null;
  const foreign = held?.currency !== undefined && held.currency !== null && held.currency !== 'INR';
  const sameCurrency = held?.currency === f.currency;
  const unrealisedUnavailable: UnrealisedUnavailableReason | null = !hasHistory
    ? 'no-history'
    : incomplete
      ? 'incomplete-history'
      : costPaise === null
        ? 'unpriced-rows'
        : quantity !== 0 && (held === undefined || exactPrice === null)
          ? 'no-price'
          : quantity !== 0 && !sameCurrency
            ? 'currency-differs'
            : null;
  const unrealised = unrealisedUnavailable === null && currentValuePaise !== null && costPaise !== null ? currentValuePaise - costPaise : null;
  const realisedUnavailable: RealisedUnavailableReason | null = !hasHistory ? 'no-history' : incomplete ? 'incomplete-history' : f.unpricedSells > 0 || f.unpricedBuys > 0 ? 'unpriced-rows' : null;
  const dates = rows.map((t) => t.date).sort();
  return {
    isin,
    name: held?.name ?? null,
    kind: held?.kind ?? null,
    status: held !== undefined ? (hasHistory ? 'held' : 'no-history') : quantity !== null && Math.abs(quantity) <= QUANTITY_TOLERANCE ? 'sold' : 'no-holding',
    transactionCount: rows.length,
    firstDate: dates[0] ?? null,
    lastDate: dates.at(-1) ?? null,
    quantity,
    bought: f.bought,
    sold: f.sold,
    bonus: f.bonus,
    split: f.split,
    holdingUnits,
    quantityMatches,
    costCurrency: f.currency,
    costPaise,
    averageCostPaise: costPaise !== null && quantity !== null && quantity > QUANTITY_TOLERANCE ? Math.round(costPaise / quantity) : null,
    realisedGainPaise: realisedUnavailable === null ? f.realisedPaise : null,
    realisedUnavailable,
    pricePaise: price,
    currency: held?.currency ?? null,
    currentValuePaise,
    unrealisedGainPaise: unrealised,
    unrealisedUnavailable,
    foreignCurrency: foreign,
    oversold: f.oversold,
    incompleteHistory: incomplete,
    rowsWithoutQuantity: f.rowsWithoutQuantity,
  };
}

/** INR totals over positions whose figures are in rupees. */
function totalsOf(positions: readonly StockPosition[]): StockTotals {
  const inr = positions.filter((p) => !p.foreignCurrency && p.costCurrency === 'INR');
  const add = (pick: (p: StockPosition) => number | null, from = inr): number => from.reduce((a, p) => a + (pick(p) ?? 0), 0);
  const withBoth = inr.filter((p) => p.unrealisedGainPaise !== null && p.costPaise !== null);
  const cost = add((p) => p.costPaise, withBoth);
  const unrealised = add((p) => p.unrealisedGainPaise, withBoth);
  return {
    currency: 'INR',
    costPaise: cost,
    currentValuePaise: add((p) => p.currentValuePaise),
    realisedGainPaise: add((p) => p.realisedGainPaise),
    unrealisedGainPaise: unrealised,
    unrealisedReturnPercent: cost > 0 ? round2((unrealised / cost) * 100) : null,
  };
}

/** Current value per foreign currency. */
function foreignTotals(positions: readonly StockPosition[]): StockPositions['foreignCurrency'] {
  const byCurrency = new Map<string, { currentValuePaise: number; positions: number }>();
  for (const p of positions) {
    if (!p.foreignCurrency || p.currency === null) continue;
    const t = byCurrency.get(p.currency) ?? { currentValuePaise: 0, positions: 0 };
    byCurrency.set(p.currency, { currentValuePaise: t.currentValuePaise + (p.currentValuePaise ?? 0), positions: t.positions + 1 });
  }
  return [...byCurrency.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, t]) => ({ currency, ...t }));
}

const HELD_FIRST: Readonly<Record<StockPosition['status'], number>> = { held: 0, 'no-history': 0, 'no-holding': 1, sold: 2 };

/** Held first; rupee positions before foreign ones (values in different currencies do not compare); larger value first; then ISIN. */
const byPositionOrder = (a: StockPosition, b: StockPosition): number =>
  HELD_FIRST[a.status] - HELD_FIRST[b.status] ||
  Number(a.foreignCurrency) - Number(b.foreignCurrency) ||
  (b.currentValuePaise ?? 0) - (a.currentValuePaise ?? 0) ||
  (a.isin < b.isin ? -1 : a.isin > b.isin ? 1 : 0);

/**
 * Stock and ETF positions as of `input.asOf`: one per ISIN found in the stock transactions
 * (BUY/SELL/BONUS/SPLIT, dated on or before `asOf`) or in the equity, ETF and US-equity
 * holdings. Quantity is BUY − SELL + BONUS + SPLIT; cost uses the average-cost method with
 * bonus and split shares at zero cost; the price is the holding's value / units in the
 * holding's currency (USD holdings stay in USD, flagged, outside the INR totals). Our quantity
 * is compared with the holding's units (`quantityMatches`). When the history is incomplete
 * (oversold, a quantity that differs from the holding's, or none left while Fi lists a
 * holding) the holding's value stands and both gains are null (`incomplete-history`), so no
 * total goes negative or counts a gain from part of a history. Fully sold positions are kept
 * for their realised gain; holdings without transactions are listed as `no-history`.
 *
 * Pure and total: never throws; unavailable figures are `null` with a reason.
 */
export function stockPositions(input: AnalyticsInput): StockPositions {
  const allRows = input.transactions.filter((t) => t.kind === 'stock');
  const rows = allRows.filter((t) => t.date <= input.asOf);
  // By id (a content hash), so the name and kind of an ISIN held twice do not depend on the store's order.
  const held = mergeHoldings([...input.holdings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  const byIsin = new Map<string, Transaction[]>();
  for (const t of rows) byIsin.set(t.accountKey, [...(byIsin.get(t.accountKey) ?? []), t]);
  const isins = [...new Set([...byIsin.keys(), ...held.keys()])];
  const positions = isins
    .map((isin) => position(isin, byIsin.get(isin) ?? [], held.get(isin)))
    .sort(byPositionOrder);
  const available = allRows.length > 0 || held.size > 0;
  return {
    asOf: input.asOf,
    sources: [...(allRows.length > 0 ? ['fetch_stock_transactions' as const] : []), ...(held.size > 0 ? ['fetch_net_worth' as const] : [])],
    available,
    unavailableReason: available ? null : 'no stock transactions or stock holdings',
    positions,
    totals: totalsOf(positions),
    foreignCurrency: foreignTotals(positions),
    quantityMismatches: positions.filter((p) => p.quantityMatches === false).length,
    rowsAfterAsOf: allRows.length - rows.length,
  };
}
