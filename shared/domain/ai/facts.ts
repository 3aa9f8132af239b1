import type { Allocation } from '../analytics/allocation.js';
import type { CashFlowAnalytics, Category } from '../analytics/cash-flow.js';
import type { CreditAnalytics } from '../analytics/credit.js';
import type { DebtAnalytics } from '../analytics/debt.js';
import type { EpfAnalytics } from '../analytics/epf-summary.js';
import type { InvestmentReturns } from '../analytics/returns.js';
import type { StockPositions } from '../analytics/stocks.js';
import { sanitiseUntrustedText } from '../fi/text.js';

/**
 * The facts an insight may rest on: a compact, deterministic list of computed figures drawn
 * from the `overview` and `analytics` read models, each with a stable id the model cites.
 * Amounts are rupees (paise / 100, so two decimals at most); percentages keep the decimals
 * the analytics computed. No third-party text goes in, except holding and fund-house names
 * cleaned and cut to a short label; never narrations, lender names, account numbers or dates
 * of birth. Pure: no clock, no I/O.
 *
 * `Fact` mirrors `Fact` in shared/contracts/ai.ts field for field: the domain may import
 * only itself (.dependency-cruiser.cjs, `domain-is-pure`, which counts type-only imports
 * too), so the shape is repeated here and a unit test checks that each is assignable to the
 * other.
 */

export const FACT_CATEGORIES = ['spending', 'budget', 'investments', 'savings', 'debt', 'credit', 'epf'] as const;
export type FactCategory = (typeof FACT_CATEGORIES)[number];
export type FactValue = number | string | boolean | null;
export type FactUnit = 'inr' | 'percent' | 'months' | 'years' | 'count' | 'score' | 'days' | 'date' | 'text';

export interface Fact {
  /** Stable within a generation, e.g. `cashflow.savingsRatePercent`. */
  readonly id: string;
  readonly label: string;
  readonly value: FactValue;
  readonly unit: FactUnit;
  readonly category: FactCategory;
  /** `YYYY-MM-DD` or ISO; null when unknown. */
  readonly asOf: string | null;
  readonly source: string;
}

/** The `overview` read model, as far as facts need it (amounts in paise). */
export interface OverviewLike {
  readonly asOf?: string | null;
  readonly netWorthPaise?: number | null;
  readonly totalAssetsPaise?: number | null;
  readonly totalLiabilitiesPaise?: number | null;
}

/**
 * The `analytics` read model: `asOf` is when the newest data behind it was fetched (ISO),
 * `valuationDate` the day figures are valued on. Sections may be missing (older documents).
 */
export interface AnalyticsLike {
  readonly asOf?: string | null;
  readonly valuationDate?: string | null;
  readonly returns?: InvestmentReturns | null;
  readonly stocks?: StockPositions | null;
  readonly allocation?: Allocation | null;
  readonly cashFlow?: CashFlowAnalytics | null;
  readonly credit?: CreditAnalytics | null;
  readonly debt?: DebtAnalytics | null;
  readonly epf?: EpfAnalytics | null;
}

/** Most facts handed to the model in one generation. */
export const MAX_FACTS = 60;
/** Scheme XIRRs listed (the largest by value, plus the weakest when it is not among them). */
export const TOP_SCHEMES = 2;
/** Spending categories listed, largest first. */
export const TOP_SPENDING_CATEGORIES = 3;
/** Longest name (scheme, holding, fund house) kept in a label. */
export const MAX_NAME_IN_LABEL = 40;

/** Words for our own cash-flow categories (never third-party text). */
export const CATEGORY_WORDS: Readonly<Record<Category, string>> = {
  salary: 'salary',
  other_income: 'other income',
  interest: 'interest',
  refunds: 'refunds',
  rent: 'rent',
  emi: 'EMIs',
  card_payment: 'credit card bill payments',
  upi_spend: 'UPI payments',
  card_spend: 'card spends',
  atm_cash: 'cash withdrawals',
  bills: 'bills',
  investments: 'investments',
  fees: 'fees and charges',
  tax: 'tax',
  transfers: 'transfers',
  borrowing: 'loan disbursals',
  other: 'other spending',
};

// ---------------------------------------------------------------------------------------
// Values

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const round2 = (x: number): number => (Math.sign(x) * Math.round(Math.abs(x) * 100)) / 100 + 0;
/** Integer paise to rupees (two decimals at most); null for anything else. */
const rupees = (paise: unknown): number | null => (typeof paise === 'number' && Number.isSafeInteger(paise) ? paise / 100 + 0 : null);
const numberOrNull = (x: unknown): number | null => (isNum(x) ? round2(x) : null);
const countOrNull = (x: unknown): number | null => (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 ? x : null);

/** A PAN (AAAAA9999A) or anything with six or more digits in a row (account numbers, phones, UANs). */
const IDENTIFIER = /[A-Z]{5}\d{4}[A-Z]|\d{6,}/gi;
/** A URL with a scheme (`https://...`, `hxxp://...`), up to the next space. */
const SCHEME_URL = /[\p{L}\p{N}+.-]*:\/\/\S*/gu;
/**
 * A host name once markup is gone: `www.` and what follows, or two or more dot-separated
 * words ending in a word of two or more letters (`evil-site.example`, `evil.co.in`), with any
 * path. `Pvt. Ltd.` (a space after each dot) is no host.
 */
const HOST = /(?<![\p{L}\p{N}])(?:www\d{0,3}\.\S*|(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62})\.){1,10}\p{L}{2,63}(?![\p{L}\p{N}])\S*)/gu;

/**
 * Third-party names (schemes, holdings, fund houses) as a label: cleaned of control and
 * invisible characters, limited to letters, digits and light punctuation (so no markup
 * character is left: no brackets, `<`, `>`, `*`, `_`, `` ` ``, `~`, `#`, `|`, `!`), URLs and
 * host names removed (anything with `://`, `www.`, or `word.word`-like hosts: a label must not
 * become a live link where it is shown or exported), identifiers removed, cut to `max`
 * characters. Empty when nothing readable is left.
 */
export function shortLabel(value: unknown, max = MAX_NAME_IN_LABEL): string {
  const clean = (sanitiseUntrustedText(value, 200) ?? '')
    .replace(SCHEME_URL, ' ')
    .replace(HOST, ' ')
    .replace(IDENTIFIER, ' ')
    // Markup becomes a space, never nothing, so no host can form here (`evil.*example*`).
    .replace(/[^\p{L}\p{N} &.,()'+-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).trimEnd()}…`;
}

// ---------------------------------------------------------------------------------------
// Formatting (shared by the prompts, the local provider and the checks that read figures back)

/** Groups an integer's digits the Indian way: 1,23,45,678. */
function indianGrouping(digits: string): string {
  if (digits.length <= 3) return digits;
  const last3 = digits.slice(-3);
  const rest = digits.slice(0, -3);
  return `${rest.replace(/\B(?=(\d{2})+$)/g, ',')},${last3}`;
}

/**
 * Rupees as people in India write them: `₹1,23,456`, `₹84,250.50` (paise only when there are
 * any, then always two digits), `-₹3,339.87`. Rounds to the paisa; never throws (a
 * non-finite input gives `₹—`).
 */
export function formatRupees(value: number): string {
  if (!Number.isFinite(value)) return '₹—';
  const paise = Math.round(Math.abs(value) * 100);
  const whole = Math.floor(paise / 100);
  const fraction = paise % 100;
  const sign = value < 0 && paise > 0 ? '-' : '';
  return `${sign}₹${indianGrouping(String(whole))}${fraction === 0 ? '' : `.${String(fraction).padStart(2, '0')}`}`;
}

/** A percentage with exactly the decimals the figure has: `7.44%`, `48%`, `-5.6%`. */
export const formatPercent = (value: number): string => `${String(round2(value))}%`;

/**
 * A figure in words, by unit: `inr` → `formatRupees`, `percent` → `formatPercent`,
 * `months`/`years`/`days` → `3.5 months`, numbers otherwise as they are; booleans yes/no;
 * null → `not available`. Strings are returned as given (callers pass only our own labels).
 */
export function formatFigure(value: FactValue, unit: FactUnit): string {
  if (value === null) return 'not available';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return 'not available';
  switch (unit) {
    case 'inr':
      return formatRupees(value);
    case 'percent':
      return formatPercent(value);
    case 'months':
      return `${String(value)} ${value === 1 ? 'month' : 'months'}`;
    case 'years':
      return `${String(value)} ${value === 1 ? 'year' : 'years'}`;
    case 'days':
      return `${String(value)} ${value === 1 ? 'day' : 'days'}`;
    default:
      return String(value);
  }
}

/** The unit a figure key names by its suffix (`...Rupees`, `...Percent`, `...Months`, `...Years`, `...Days`). */
export function unitOfKey(key: string): FactUnit {
  if (/Rupees$/.test(key)) return 'inr';
  if (/Percent$/.test(key)) return 'percent';
  if (/Months$/.test(key)) return 'months';
  if (/Years$/.test(key)) return 'years';
  if (/Days$/.test(key)) return 'days';
  if (/Score$|^score$/.test(key)) return 'score';
  if (/Count$|^count$/.test(key)) return 'count';
  return 'text';
}

// ---------------------------------------------------------------------------------------
// Building

interface Context {
  readonly asOf: string | null;
  readonly source: string;
  readonly category: FactCategory;
}

/** Collects facts in priority order, skipping null values and duplicate ids. */
class FactList {
  private readonly facts: Fact[] = [];
  private readonly ids = new Set<string>();

  add(ctx: Context, id: string, label: string, value: FactValue, unit: FactUnit, category: FactCategory = ctx.category): void {
    if (value === null || (typeof value === 'number' && !Number.isFinite(value)) || this.ids.has(id)) return;
    this.ids.add(id);
    this.facts.push({ id, label, value, unit, category, asOf: ctx.asOf, source: ctx.source });
  }

  list(): Fact[] {
    return this.facts.slice(0, MAX_FACTS);
  }
}

const sourceOf = (sources: unknown, fallback: string): string =>
  Array.isArray(sources) && sources.length > 0 && sources.every((s) => typeof s === 'string' && /^[a-z_]{1,40}$/.test(s)) ? sources.join(',') : fallback;

const dateOrNull = (x: unknown): string | null => (typeof x === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?/.test(x) && x.length <= 40 ? x : null);

function overviewFacts(out: FactList, overview: OverviewLike): void {
  const ctx: Context = { asOf: dateOrNull(overview.asOf), source: 'fetch_net_worth', category: 'savings' };
  out.add(ctx, 'networth.totalRupees', 'Net worth (assets minus liabilities)', rupees(overview.netWorthPaise), 'inr');
  out.add(ctx, 'networth.assetsRupees', 'Total assets', rupees(overview.totalAssetsPaise), 'inr');
  out.add(ctx, 'networth.liabilitiesRupees', 'Total liabilities', rupees(overview.totalLiabilitiesPaise), 'inr', 'debt');
}

function cashFlowFacts(out: FactList, cf: CashFlowAnalytics, asOf: string | null): void {
  if (!cf.available) return;
  const ctx: Context = { asOf, source: sourceOf(cf.sources, 'fetch_bank_transactions'), category: 'budget' };
  const avg = cf.monthlyAverage;
  out.add(ctx, 'cashflow.monthlyIncomeRupees', 'Average monthly income', rupees(avg.incomePaise), 'inr');
  out.add(ctx, 'cashflow.monthlySpendingRupees', 'Average monthly spending', rupees(avg.spendingPaise), 'inr', 'spending');
  out.add(ctx, 'cashflow.monthlySurplusRupees', 'Average monthly income left after spending', rupees(avg.netPaise), 'inr', 'savings');
  out.add(ctx, 'cashflow.savingsRatePercent', 'Savings rate (income left after spending, share of income)', numberOrNull(avg.savingsRatePercent), 'percent', 'savings');
  out.add(ctx, 'cashflow.monthlyInvestedRupees', 'Average monthly money put into investments', rupees(avg.investedPaise), 'inr', 'savings');
  out.add(ctx, 'cashflow.periodMonths', 'Months of bank data the figures cover', numberOrNull(cf.period.months), 'months');
  const ef = cf.emergencyFund;
  out.add(ctx, 'cashflow.emergencyFundMonths', 'Months of spending that liquid money covers (emergency fund)', numberOrNull(ef.months), 'months', 'savings');
  if (ef.status !== 'unavailable') out.add(ctx, 'cashflow.emergencyFundStatus', 'Emergency fund status (low, ok or strong)', ef.status, 'text', 'savings');
  out.add(ctx, 'cashflow.liquidAssetsRupees', 'Liquid money (bank balances and liquid funds)', rupees(ef.liquidAssetsPaise), 'inr', 'savings');
  const top = cf.spendingByCategory.filter((c) => (c.amountPaise ?? 0) > 0 && c.category in CATEGORY_WORDS).slice(0, TOP_SPENDING_CATEGORIES);
  const first = top[0];
  if (first) out.add(ctx, 'cashflow.topSpendingCategory', 'Largest spending category over the covered period', first.category, 'text', 'spending');
  for (const c of top) {
    out.add(ctx, `cashflow.spending.${c.category}Rupees`, `Spent on ${CATEGORY_WORDS[c.category]} over the covered period`, rupees(c.amountPaise), 'inr', 'spending');
  }
}

const ISIN = /^[A-Z]{2}[A-Z0-9]{9}\d$/;

function returnsFacts(out: FactList, r: InvestmentReturns, asOf: string | null): void {
  if (!r.available) return;
  const ctx: Context = { asOf, source: sourceOf(r.sources, 'fetch_mf_transactions'), category: 'investments' };
  const t = r.totals;
  out.add(ctx, 'returns.portfolioXirrPercent', 'Mutual fund portfolio XIRR (annualised return)', numberOrNull(t.xirrPercent), 'percent');
  out.add(ctx, 'returns.currentValueRupees', 'Mutual funds: current value', rupees(t.currentValuePaise), 'inr');
  out.add(ctx, 'returns.absoluteGainRupees', 'Mutual funds: total gain, realised and unrealised', rupees(t.absoluteGainPaise), 'inr');
  out.add(ctx, 'returns.absoluteReturnPercent', 'Mutual funds: absolute return', numberOrNull(t.absoluteReturnPercent), 'percent');
  const withXirr = r.schemes.filter((s) => s.status === 'held' && typeof s.isin === 'string' && ISIN.test(s.isin) && isNum(s.xirrPercent));
  out.add(ctx, 'returns.schemeCount', 'Mutual fund schemes held', countOrNull(r.schemes.filter((s) => s.status === 'held' || s.status === 'no-history').length), 'count');
  const byValue = [...withXirr].sort((a, b) => (b.currentValuePaise ?? 0) - (a.currentValuePaise ?? 0) || ((a.isin ?? '') < (b.isin ?? '') ? -1 : 1));
  const chosen = byValue.slice(0, TOP_SCHEMES);
  const weakest = [...withXirr].sort((a, b) => (a.xirrPercent ?? 0) - (b.xirrPercent ?? 0) || ((a.isin ?? '') < (b.isin ?? '') ? -1 : 1))[0];
  if (weakest && !chosen.includes(weakest)) chosen.push(weakest);
  for (const s of chosen) {
    const name = shortLabel(s.name);
    out.add(ctx, `returns.scheme.${s.isin ?? ''}.xirrPercent`, `XIRR of ${name || 'a scheme'}`, numberOrNull(s.xirrPercent), 'percent');
  }
}

function stockFacts(out: FactList, s: StockPositions, asOf: string | null): void {
  if (!s.available) return;
  const ctx: Context = { asOf, source: sourceOf(s.sources, 'fetch_stock_transactions'), category: 'investments' };
  out.add(ctx, 'stocks.currentValueRupees', 'Indian stocks and ETFs: current value', rupees(s.totals.currentValuePaise), 'inr');
  out.add(ctx, 'stocks.unrealisedReturnPercent', 'Indian stocks and ETFs: unrealised return on cost', numberOrNull(s.totals.unrealisedReturnPercent), 'percent');
}

function allocationFacts(out: FactList, a: Allocation, asOf: string | null): void {
  if (!a.available) return;
  const ctx: Context = { asOf, source: sourceOf(a.sources, 'fetch_net_worth'), category: 'investments' };
  for (const b of a.buckets) {
    if (!isNum(b.sharePercent) || (b.sharePercent === 0 && b.bucket !== 'equity')) continue;
    out.add(ctx, `allocation.${b.bucket}Percent`, `Share of total assets in ${b.bucket === 'epf' ? 'EPF' : b.bucket}`, round2(b.sharePercent), 'percent');
  }
  const c = a.concentration;
  const top = c.topHoldings[0];
  if (top && isNum(top.sharePercent)) {
    const name = shortLabel(top.name);
    out.add(ctx, 'allocation.largestHoldingPercent', `Largest single holding's share of investments${name ? `: ${name}` : ''}`, round2(top.sharePercent), 'percent');
  }
  const amc = c.byAmc[0];
  if (amc && isNum(amc.sharePercent) && c.byAmc.length > 0) {
    const name = shortLabel(amc.amc);
    out.add(ctx, 'allocation.largestFundHousePercent', `Largest fund house's share of mutual funds${name ? `: ${name}` : ''}`, round2(amc.sharePercent), 'percent');
  }
  out.add(ctx, 'allocation.concentrationFlagCount', 'Holdings or fund houses above the concentration limits', countOrNull(c.flags.length), 'count');
}

function creditFacts(out: FactList, c: CreditAnalytics, asOf: string | null): void {
  if (!c.available) return;
  const ctx: Context = { asOf: dateOrNull(c.reportDate) ?? asOf, source: sourceOf(c.sources, 'fetch_credit_report'), category: 'credit' };
  out.add(ctx, 'credit.score', 'Credit score (Experian)', countOrNull(c.score.value), 'score');
  if (c.score.band) out.add(ctx, 'credit.scoreBand', 'Credit score band', c.score.band, 'text');
  out.add(ctx, 'credit.utilisationPercent', 'Credit card utilisation (balances over limits)', numberOrNull(c.utilisation.overallPercent), 'percent');
  if (c.utilisation.overallStatus) out.add(ctx, 'credit.utilisationStatus', 'Utilisation status (good, fair, high or over_limit)', c.utilisation.overallStatus, 'text');
  out.add(ctx, 'credit.latePayments', 'Months with a late payment in the credit history', countOrNull(c.paymentHistory.totalLateMonths), 'count');
  out.add(ctx, 'credit.defaultCount', 'Accounts settled or written off', countOrNull(c.defaults.accounts.length), 'count');
  out.add(ctx, 'credit.recentEnquiries', 'Credit enquiries in the last three months', countOrNull(c.enquiries.last90Days), 'count');
  out.add(ctx, 'credit.oldestAccountMonths', 'Age of the oldest credit account', numberOrNull(c.age.oldestAccountMonths), 'months');
}

function debtFacts(out: FactList, d: DebtAnalytics, asOf: string | null): void {
  if (d.liabilities.length === 0 && d.totalOutstandingPaise === 0) return;
  const ctx: Context = { asOf, source: sourceOf(d.sources, 'fetch_credit_report'), category: 'debt' };
  out.add(ctx, 'debt.totalOutstandingRupees', 'Total outstanding on loans and cards', rupees(d.totalOutstandingPaise), 'inr');
  out.add(ctx, 'debt.monthlyPaymentsRupees', 'Monthly EMIs plus card minimum dues', rupees(d.totalMinimumPaymentsPaise), 'inr');
  out.add(ctx, 'debt.openLoans', 'Open loans', countOrNull(d.openLoanCount), 'count');
  out.add(ctx, 'debt.openCards', 'Open credit cards', countOrNull(d.openCardCount), 'count');
  if (d.emiToIncome) {
    out.add(ctx, 'debt.emiToIncomePercent', 'EMIs and card dues as a share of monthly income', numberOrNull(d.emiToIncome.percent), 'percent');
    out.add(ctx, 'debt.emiToIncomeStatus', 'EMI burden (healthy, stretched or high)', d.emiToIncome.status, 'text');
  }
  const rates = d.liabilities.filter((l) => l.outstandingPaise > 0 && isNum(l.ratePercent));
  const highest = [...rates].sort((a, b) => b.ratePercent - a.ratePercent)[0];
  if (highest) out.add(ctx, 'debt.highestRatePercent', `Highest interest rate among debts${highest.rateAssumed ? ' (assumed, the lender gives none)' : ''}`, round2(highest.ratePercent), 'percent');
  const p = d.payoff;
  if (!p) return;
  if (p.budgetPaise !== d.totalMinimumPaymentsPaise) out.add(ctx, 'debt.payoffBudgetRupees', 'Monthly amount the payoff plans assume', rupees(p.budgetPaise), 'inr');
  out.add(ctx, 'debt.avalancheMonths', 'Months to be debt-free paying the highest rate first (avalanche)', countOrNull(p.avalanche.months), 'months');
  if (p.snowball.months !== p.avalanche.months) out.add(ctx, 'debt.snowballMonths', 'Months to be debt-free paying the smallest balance first (snowball)', countOrNull(p.snowball.months), 'months');
  out.add(ctx, 'debt.avalancheInterestRupees', 'Interest paid until debt-free with avalanche', rupees(p.avalanche.totalInterestPaise), 'inr');
  out.add(ctx, 'debt.interestSavedByAvalancheRupees', 'Interest avalanche saves compared with snowball', rupees(p.interestSavedByAvalanchePaise), 'inr');
}

function epfFacts(out: FactList, e: EpfAnalytics, asOf: string | null): void {
  if (!e.available) return;
  const ctx: Context = { asOf, source: sourceOf(e.sources, 'fetch_epf_details'), category: 'epf' };
  out.add(ctx, 'epf.totalRupees', 'EPF balance (employee and employer shares)', rupees(e.totalBalancePaise), 'inr');
  out.add(ctx, 'epf.pensionRupees', 'EPS pension balance (separate from the EPF balance)', rupees(e.pensionPaise), 'inr');
  out.add(ctx, 'epf.dormantCount', 'EPF accounts with past employers still holding money', countOrNull(e.dormant.count), 'count');
  out.add(ctx, 'epf.dormantRupees', 'Balance in EPF accounts with past employers', rupees(e.dormant.balancePaise), 'inr');
  out.add(ctx, 'epf.dormantSharePercent', 'Share of the EPF balance with past employers', numberOrNull(e.dormant.sharePercent), 'percent');
  if (e.uans.length > 1) out.add(ctx, 'epf.uanCount', 'UANs (EPF member ids) found: more than one can be merged', countOrNull(e.uans.length), 'count');
}

/** Runs one section's builder, so a malformed stored section costs its facts, not the rest. */
function guarded<T>(section: T | null | undefined, build: (s: T) => void): void {
  if (section === null || section === undefined || typeof section !== 'object') return;
  try {
    build(section);
  } catch {
    // A stored document of an older or broken shape: its facts are left out.
  }
}

/**
 * The facts of one user's read models, in a fixed order (net worth, cash flow, debt, credit,
 * EPF, returns, allocation, stocks), at most `MAX_FACTS`. Null values are left out, so a
 * section without data gives no facts. Deterministic (same input, same list) and total:
 * never throws, whatever the documents hold.
 */
export function buildFacts(input: { readonly overview: OverviewLike | null; readonly analytics: AnalyticsLike | null }): Fact[] {
  const out = new FactList();
  const a = input.analytics;
  const asOf = dateOrNull(a?.asOf) ?? dateOrNull(a?.valuationDate);
  guarded(input.overview, (o) => overviewFacts(out, o));
  if (a) {
    guarded(a.cashFlow, (s) => cashFlowFacts(out, s, asOf));
    guarded(a.debt, (s) => debtFacts(out, s, asOf));
    guarded(a.credit, (s) => creditFacts(out, s, asOf));
    guarded(a.epf, (s) => epfFacts(out, s, asOf));
    guarded(a.returns, (s) => returnsFacts(out, s, asOf));
    guarded(a.allocation, (s) => allocationFacts(out, s, asOf));
    guarded(a.stocks, (s) => stockFacts(out, s, asOf));
  }
  return out.list();
}

// ---------------------------------------------------------------------------------------
// Prompt rendering

/** The line that opens the facts block in a prompt. */
export const FACTS_HEADER = 'FACTS (one JSON object per line; cite ids in sourceFactIds):';

/**
 * The facts as a compact block for the model's user message: a header, then one JSON object
 * per line with the fields in a fixed order. `parseFactsPrompt` reads it back exactly.
 */
export function factsPrompt(facts: readonly Fact[]): string {
  const lines = facts.map((f) => JSON.stringify({ id: f.id, label: f.label, value: f.value, unit: f.unit, category: f.category, asOf: f.asOf, source: f.source }));
  return [FACTS_HEADER, ...lines].join('\n');
}

const UNITS: ReadonlySet<string> = new Set<FactUnit>(['inr', 'percent', 'months', 'years', 'count', 'score', 'days', 'date', 'text']);
const CATEGORIES: ReadonlySet<string> = new Set<string>(FACT_CATEGORIES);

function asFact(x: unknown): Fact | null {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return null;
  const o = x as Record<string, unknown>;
  const value = o.value;
  const valueOk = value === null || typeof value === 'string' || typeof value === 'boolean' || isNum(value);
  if (typeof o.id !== 'string' || typeof o.label !== 'string' || !valueOk || typeof o.unit !== 'string' || !UNITS.has(o.unit)) return null;
  if (typeof o.category !== 'string' || !CATEGORIES.has(o.category) || typeof o.source !== 'string') return null;
  if (o.asOf !== null && typeof o.asOf !== 'string') return null;
  return { id: o.id, label: o.label, value: value as FactValue, unit: o.unit as FactUnit, category: o.category as FactCategory, asOf: o.asOf, source: o.source };
}

/**
 * The facts in a text that contains a `factsPrompt` block (other lines are ignored, and so
 * is any line that is not a well-formed fact). Never throws.
 */
export function parseFactsPrompt(text: string): Fact[] {
  const facts: Fact[] = [];
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      continue;
    }
    const fact = asFact(parsed);
    if (fact && !seen.has(fact.id)) {
      seen.add(fact.id);
      facts.push(fact);
    }
  }
  return facts;
}
