import type { Holding } from '../fi/types.js';
import type { Paise } from '../money.js';
import { round2, type AnalyticsInput, type AnalyticsSource } from './input.js';

/**
 * Asset allocation and concentration. The base is Fi's net worth by asset type (so the
 * buckets add up exactly to total assets); mutual funds and ETFs are split further by their
 * holdings. Liabilities are not part of allocation. Pure and total.
 *
 * Choices (each stated where it is applied):
 * - deposits (fixed and recurring) are `debt`: fixed income with a known rate, not cash on hand;
 * - liquid, overnight and money-market funds, and liquid ETFs, are `cash`: Fi's own asset
 *   class for them is CASH, they are redeemable next day with negligible rate risk, and users
 *   keep emergency money in them (the emergency fund counts the same holdings as liquid);
 * - bond, gilt, G-Sec and SDL ETFs (Bharat Bond included) are `debt`;
 * - NPS is `other`: its equity/bond split depends on the scheme choice, which Fi does not give;
 * - international funds and ETFs (by category or name) are `international`; gold funds,
 *   gold ETFs and SGBs are `gold`; non-gold commodities (silver) are `other`.
 */

export type AllocationBucket = 'equity' | 'debt' | 'hybrid' | 'gold' | 'cash' | 'international' | 'epf' | 'other';

export const ALLOCATION_BUCKETS: readonly AllocationBucket[] = ['equity', 'debt', 'hybrid', 'gold', 'cash', 'international', 'epf', 'other'];

/** A single holding above this share of investments is flagged (a common single-security limit for a personal portfolio). */
export const HOLDING_CONCENTRATION_PERCENT = 20;
/** One fund house above this share of the MF value is flagged (beyond it, one AMC's process and house view dominate). */
export const AMC_CONCENTRATION_PERCENT = 40;
/** How many of the largest holdings are listed. */
export const TOP_HOLDINGS = 5;

export interface BucketShare {
  readonly bucket: AllocationBucket;
  readonly valuePaise: Paise;
  /** Of total assets, percent (2 decimals); null when total assets are not positive. */
  readonly sharePercent: number | null;
}

/** How one net-worth asset type was put into buckets. */
export interface AssetTypeSplit {
  /** Fi's asset type, lower-cased without prefix (`mutual_fund`, `savings_accounts`, …). */
  readonly assetType: string;
  readonly valuePaise: Paise;
  readonly parts: ReadonlyArray<{ readonly bucket: AllocationBucket; readonly valuePaise: Paise; readonly basis: string }>;
}

export interface ConcentrationHolding {
  readonly name: string;
  readonly isin: string | null;
  readonly kind: Holding['kind'];
  /** INR value (USD holdings converted at the rate implied by Fi's US-securities value). */
  readonly valuePaise: Paise;
  /** Of `investmentsPaise`, percent (2 decimals). */
  readonly sharePercent: number | null;
}

/**
 * A share above its threshold. For a holding, `holdingKind` tells a single security (equity,
 * US equity, SGB) from a product that is diversified inside (a mutual fund, most ETFs): the
 * flag then means the portfolio leans on one product, not on one company.
 */
export interface ConcentrationFlag {
  readonly kind: 'holding' | 'amc';
  readonly holdingKind: Holding['kind'] | null;
  readonly name: string;
  readonly sharePercent: number;
  readonly thresholdPercent: number;
}

export interface Concentration {
  /** Σ INR values of the holdings (MF, stocks, ETFs, US stocks converted, SGB, NPS): the base of holding shares. */
  readonly investmentsPaise: Paise;
  readonly topHoldings: readonly ConcentrationHolding[];
  /** Σ INR values of MF holdings: the base of AMC shares. */
  readonly mutualFundPaise: Paise;
  /** By fund house, largest first. */
  readonly byAmc: ReadonlyArray<{ readonly amc: string; readonly valuePaise: Paise; readonly sharePercent: number | null; readonly funds: number }>;
  readonly flags: readonly ConcentrationFlag[];
  readonly holdingThresholdPercent: number;
  readonly amcThresholdPercent: number;
  /** Holdings left out (no INR value could be given), with why. */
  readonly excluded: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

export interface Allocation {
  readonly asOf: string;
  readonly sources: readonly AnalyticsSource[];
  /** False without a net-worth document. */
  readonly available: boolean;
  readonly unavailableReason: string | null;
  /** Σ of Fi's asset types (may include negative entries, e.g. an overdrawn account); null when unavailable. */
  readonly totalAssetsPaise: Paise | null;
  /** Every bucket, in `ALLOCATION_BUCKETS` order; values sum exactly to `totalAssetsPaise`. */
  readonly buckets: readonly BucketShare[];
  readonly byAssetType: readonly AssetTypeSplit[];
  /** Data-driven remarks: differences put in `other`, holdings left out, unknown types. */
  readonly notes: readonly string[];
  readonly concentration: Concentration;
}

type Part = AssetTypeSplit['parts'][number];

/** Asset types that go to one bucket whole. */
const DIRECT: Readonly<Record<string, { bucket: AllocationBucket; basis: string }>> = {
  savings_accounts: { bucket: 'cash', basis: 'savings and current balances' },
  deposits: { bucket: 'debt', basis: 'fixed and recurring deposits are fixed income' },
  epf: { bucket: 'epf', basis: 'provident fund' },
  indian_securities: { bucket: 'equity', basis: 'Indian listed shares' },
  us_securities: { bucket: 'international', basis: 'US-listed shares' },
  sgb: { bucket: 'gold', basis: 'sovereign gold bonds' },
  nps: { bucket: 'other', basis: 'NPS: equity/debt mix unknown (Fi gives no scheme split)' },
};

/** Words in a category or name, upper-case with `_` as spaces, for keyword tests. */
const words = (...texts: ReadonlyArray<string | undefined>): string => ` ${texts.filter((t) => t !== undefined).join(' ').toUpperCase().replace(/[_\-()]/g, ' ')} `;

const INTERNATIONAL = / (INTERNATIONAL|OVERSEAS|GLOBAL|WORLD|NASDAQ|S&P 500|US EQUITY|FOREIGN|EMERGING MARKETS?) /;
const GOLD = / GOLD /;
const SILVER = / SILVER /;
const CASH_LIKE = / (LIQUID|OVERNIGHT|MONEY MARKET) /;
const HYBRID_LIKE = / (HYBRID|BALANCED|ARBITRAGE|ASSET ALLOCATION|EQUITY SAVINGS|MULTI ASSET) /;
const DEBT_LIKE = / (DEBT|BOND|GILT|DURATION|CREDIT RISK|BANKING AND PSU|FLOATER|FIXED MATURITY|INCOME) /;
const EQUITY_LIKE = / (CAP|ELSS|INDEX|EQUITY|THEMATIC|SECTORAL|VALUE|CONTRA|FOCUSED|DIVIDEND YIELD|NIFTY|SENSEX) /;

/**
 * A mutual fund's bucket, in order: international (category or name), gold, other commodity,
 * cash-like (Fi's CASH class or liquid/overnight/money-market), Fi's asset class
 * (EQUITY/DEBT/HYBRID), then category keywords; `null` when nothing tells.
 */
export function fundBucket(h: Pick<Holding, 'assetClass' | 'category' | 'name'>): AllocationBucket | null {
  const text = words(h.category, h.name);
  const cls = h.assetClass?.toUpperCase();
  if (INTERNATIONAL.test(text)) return 'international';
  if (GOLD.test(text)) return 'gold';
  if (cls === 'COMMODITY' || SILVER.test(text)) return 'other';
  if (cls === 'CASH' || CASH_LIKE.test(text)) return 'cash';
  if (cls === 'EQUITY') return 'equity';
  if (cls === 'DEBT') return 'debt';
  if (cls === 'HYBRID') return 'hybrid';
  if (HYBRID_LIKE.test(words(h.category))) return 'hybrid';
  if (DEBT_LIKE.test(words(h.category))) return 'debt';
  if (EQUITY_LIKE.test(words(h.category))) return 'equity';
  return null;
}

/** Liquid ETFs (`LIQUID BEES`, `LIQUIDBEES`, `LIQUIDETF`…) hold overnight money-market instruments. */
const LIQUID_ETF = /LIQUID/;
/** Bond, gilt, G-Sec, state-development-loan (SDL) and Bharat Bond ETFs hold fixed income. */
const DEBT_ETF = / (BONDS?|G SEC|GSEC|SDLS?) |GILT/;

/**
 * An ETF's bucket by name and category, in order: gold, silver (other), liquid (cash),
 * bond/gilt/G-Sec/SDL (debt), international, else equity.
 */
export function etfBucket(h: Pick<Holding, 'category' | 'name'>): AllocationBucket {
  const text = words(h.category, h.name);
  if (GOLD.test(text)) return 'gold';
  if (SILVER.test(text)) return 'other';
  if (LIQUID_ETF.test(text)) return 'cash';
  if (DEBT_ETF.test(text)) return 'debt';
  if (INTERNATIONAL.test(text)) return 'international';
  return 'equity';
}

const rupees = (paise: Paise): string => (Number.isFinite(paise) ? `₹${(paise / 100).toFixed(2)}` : 'an unreadable amount');

/**
 * Splits an asset type's value over its holdings' buckets. What the holdings do not cover
 * (or over-cover) goes to `other` with a note, so the parts always sum to the type's value.
 */
function splitByHoldings(
  assetType: string,
  valuePaise: Paise,
  holdings: readonly Holding[],
  bucketOf: (h: Holding) => AllocationBucket | null,
  notes: string[],
): Part[] {
  const parts = new Map<AllocationBucket, Paise>();
  for (const h of holdings) {
    const bucket = bucketOf(h);
    if (bucket === null) notes.push(`${assetType}: "${h.name}" has no asset class or category we recognise; counted as other.`);
    parts.set(bucket ?? 'other', (parts.get(bucket ?? 'other') ?? 0) + h.valuePaise);
  }
  const covered = holdings.reduce((a, h) => a + h.valuePaise, 0);
  const rest = valuePaise - covered;
  if (holdings.length === 0) notes.push(`${assetType}: no holdings to split ${rupees(valuePaise)} by; counted as other.`);
  else if (rest !== 0) notes.push(`${assetType}: holdings sum to ${rupees(covered)} against Fi's ${rupees(valuePaise)}; the difference ${rupees(rest)} is counted as other.`);
  if (rest !== 0) parts.set('other', (parts.get('other') ?? 0) + rest);
  const basis = assetType === 'etf' ? 'by each ETF holding (gold, silver, liquid, bond, international, else equity)' : "by each fund's asset class and category";
  // In bucket order, whatever the order of the holdings.
  return ALLOCATION_BUCKETS.filter((b) => parts.has(b)).map((bucket) => ({ bucket, valuePaise: parts.get(bucket) ?? 0, basis: bucket === 'other' && rest !== 0 ? `${basis}; includes the uncovered difference` : basis }));
}

const inr = (h: Holding): boolean => h.currency === 'INR' && Number.isSafeInteger(h.valuePaise);

/** One asset type's parts. */
function splitAssetType(assetType: string, valuePaise: Paise, holdings: readonly Holding[], notes: string[]): Part[] {
  const direct = DIRECT[assetType];
  if (direct !== undefined) return [{ bucket: direct.bucket, valuePaise, basis: direct.basis }];
  if (assetType === 'mutual_fund') return splitByHoldings(assetType, valuePaise, holdings.filter((h) => h.kind === 'mutual_fund' && inr(h)), fundBucket, notes);
  if (assetType === 'etf') return splitByHoldings(assetType, valuePaise, holdings.filter((h) => h.kind === 'etf' && inr(h)), etfBucket, notes);
  notes.push(`${assetType}: an asset type we do not classify; counted as other.`);
  return [{ bucket: 'other', valuePaise, basis: 'unclassified asset type' }];
}

/**
 * Every holding in rupees. USD (or other foreign) US-equity holdings are converted at the
 * rate implied by Fi's `us_securities` value over the holdings' foreign total (Fi values
 * them at its own exchange rate); without that figure they are left out.
 */
function holdingsInInr(holdings: readonly Holding[], usSecuritiesPaise: Paise | undefined): { values: ConcentrationHolding[]; excluded: Concentration['excluded'] } {
  const foreign = holdings.filter((h) => !inr(h));
  const currencies = new Set(foreign.map((h) => h.currency));
  const foreignTotal = foreign.reduce((a, h) => a + h.valuePaise, 0);
  const convertible = usSecuritiesPaise !== undefined && foreignTotal > 0 && currencies.size === 1 && foreign.every((h) => h.kind === 'us_equity');
  const rate = convertible ? usSecuritiesPaise / foreignTotal : null;
  const values: ConcentrationHolding[] = [];
  const excluded: { name: string; reason: string }[] = [];
  for (const h of holdings) {
    const valuePaise = inr(h) ? h.valuePaise + 0 : rate !== null ? Math.round(h.valuePaise * rate) : null;
    if (valuePaise === null) excluded.push({ name: h.name, reason: `value in ${h.currency} with no INR figure to convert by` });
    else values.push({ name: h.name, isin: h.isin ?? null, kind: h.kind, valuePaise, sharePercent: null });
  }
  return { values, excluded };
}

const shareOf = (part: number, whole: number): number | null => (whole > 0 ? round2((part / whole) * 100) : null);

/** Largest holdings, AMC shares of the MF value, and the flags over the thresholds. */
function concentrationOf(holdings: readonly Holding[], usSecuritiesPaise: Paise | undefined): Concentration {
  const { values, excluded } = holdingsInInr(holdings, usSecuritiesPaise);
  const investmentsPaise = values.reduce((a, h) => a + h.valuePaise, 0);
  const ranked = values
    .map((h) => ({ ...h, sharePercent: shareOf(h.valuePaise, investmentsPaise) }))
    .sort((a, b) => b.valuePaise - a.valuePaise || compareText(a.name, b.name) || compareText(a.isin ?? '', b.isin ?? '') || compareText(a.kind, b.kind));
  const funds = holdings.filter((h) => h.kind === 'mutual_fund' && inr(h));
  const mutualFundPaise = funds.reduce((a, h) => a + h.valuePaise, 0);
  const amcs = new Map<string, { valuePaise: number; funds: number }>();
  for (const f of funds) {
    const name = f.amc ?? 'Unknown AMC';
    const t = amcs.get(name) ?? { valuePaise: 0, funds: 0 };
    amcs.set(name, { valuePaise: t.valuePaise + f.valuePaise, funds: t.funds + 1 });
  }
  const byAmc = [...amcs.entries()]
    .map(([amc, t]) => ({ amc, ...t, sharePercent: shareOf(t.valuePaise, mutualFundPaise) }))
    .sort((a, b) => b.valuePaise - a.valuePaise || (a.amc < b.amc ? -1 : 1));
  const flags: ConcentrationFlag[] = [
    ...ranked.filter((h) => (h.sharePercent ?? 0) > HOLDING_CONCENTRATION_PERCENT).map((h) => ({ kind: 'holding' as const, holdingKind: h.kind, name: h.name, sharePercent: h.sharePercent!, thresholdPercent: HOLDING_CONCENTRATION_PERCENT })),
    ...byAmc.filter((a) => (a.sharePercent ?? 0) > AMC_CONCENTRATION_PERCENT).map((a) => ({ kind: 'amc' as const, holdingKind: null, name: a.amc, sharePercent: a.sharePercent!, thresholdPercent: AMC_CONCENTRATION_PERCENT })),
  ];
  return {
    investmentsPaise,
    topHoldings: ranked.slice(0, TOP_HOLDINGS),
    mutualFundPaise,
    byAmc,
    flags,
    holdingThresholdPercent: HOLDING_CONCENTRATION_PERCENT,
    amcThresholdPercent: AMC_CONCENTRATION_PERCENT,
    excluded,
  };
}

const text = (x: unknown): string => (typeof x === 'string' ? x : '');
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Holdings by id (a content hash), then name, ISIN and value: an order that does not depend on the input's. */
const canonicalHoldings = (holdings: readonly Holding[]): Holding[] =>
  [...holdings].sort((a, b) => compareText(text(a.id), text(b.id)) || compareText(text(a.name), text(b.name)) || compareText(text(a.isin), text(b.isin)) || (a.valuePaise ?? 0) - (b.valuePaise ?? 0));

const emptyBuckets = (): BucketShare[] => ALLOCATION_BUCKETS.map((bucket) => ({ bucket, valuePaise: 0, sharePercent: null }));

/**
 * Asset allocation as of `input.asOf`: Fi's net worth by asset type, each type put into
 * buckets (equity, debt, hybrid, gold, cash, international, epf, other) as documented at the
 * top of this file; mutual funds and ETFs split by holding, any uncovered difference in
 * `other` with a note. Bucket values sum exactly to total assets; shares are of total assets.
 * Concentration: the top holdings by value, fund houses by share of MF value, and flags above
 * `HOLDING_CONCENTRATION_PERCENT` / `AMC_CONCENTRATION_PERCENT`.
 *
 * Pure and total: never throws; without a net-worth document `available` is false.
 */
export function allocation(input: AnalyticsInput): Allocation {
  const nw = input.netWorth;
  const usSecurities = nw?.assetsByType['us_securities'];
  // The store returns holdings in no particular order; a canonical one keeps notes and ties stable.
  const holdings = canonicalHoldings(input.holdings);
  const concentration = concentrationOf(holdings, Number.isSafeInteger(usSecurities) ? usSecurities : undefined);
  if (nw === null) {
    return { asOf: input.asOf, sources: [], available: false, unavailableReason: 'no net worth from Fi', totalAssetsPaise: null, buckets: emptyBuckets(), byAssetType: [], notes: [], concentration };
  }
  const notes: string[] = [];
  const unreadable = Object.keys(nw.assetsByType).filter((k) => !Number.isSafeInteger(nw.assetsByType[k]));
  if (unreadable.length > 0) notes.push(`asset types without a readable value left out: ${unreadable.sort().join(', ')}.`);
  const byAssetType = Object.keys(nw.assetsByType)
    .filter((k) => !unreadable.includes(k))
    .sort()
    .map((assetType) => {
      const valuePaise = (nw.assetsByType[assetType] ?? 0) + 0; // never -0
      return { assetType, valuePaise, parts: splitAssetType(assetType, valuePaise, holdings, notes) };
    });
  const totals = new Map<AllocationBucket, Paise>(ALLOCATION_BUCKETS.map((b) => [b, 0]));
  for (const part of byAssetType.flatMap((t) => t.parts)) totals.set(part.bucket, (totals.get(part.bucket) ?? 0) + part.valuePaise);
  const totalAssetsPaise = byAssetType.reduce((a, t) => a + t.valuePaise, 0);
  if (totalAssetsPaise !== nw.totalAssetsPaise) notes.push(`total assets here ${rupees(totalAssetsPaise)} differ from the net-worth summary's ${rupees(nw.totalAssetsPaise)} (unreadable entries left out).`);
  if (totalAssetsPaise <= 0) notes.push('total assets are not positive, so no shares are given.');
  const negative = byAssetType.filter((t) => t.valuePaise < 0).map((t) => t.assetType);
  if (negative.length > 0) notes.push(`negative asset values kept as given (${negative.join(', ')}), so a bucket can be negative.`);
  return {
    asOf: input.asOf,
    sources: ['fetch_net_worth'],
    available: true,
    unavailableReason: null,
    totalAssetsPaise,
    buckets: ALLOCATION_BUCKETS.map((bucket) => ({ bucket, valuePaise: totals.get(bucket) ?? 0, sharePercent: shareOf(totals.get(bucket) ?? 0, totalAssetsPaise) })),
    byAssetType,
    notes,
    concentration,
  };
}
