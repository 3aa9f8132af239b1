import { FI_TOOLS } from '../contracts/fi.js';
import { buildAnalytics } from '../domain/analytics/analytics.js';
import type { Transaction } from '../domain/fi/types.js';
import type { FinancialData, NetWorthSnapshot, Views } from '../ports/financial-store.js';

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** `YYYY-MM-DD` in India (IST, UTC+05:30): the day a snapshot belongs to. */
export const istDate = (d: Date): string => new Date(d.getTime() + 330 * 60_000).toISOString().slice(0, 10);

/**
 * The read models a PWA shows, precomputed from one committed generation so each request
 * reads one document. Amounts are integer paise; every view says when its data is from.
 */
export function buildReadModels(data: FinancialData, now: Date, transactions: readonly Transaction[]): Views {
  const generatedAt = now.toISOString();
  const sources = Object.fromEntries(
    FI_TOOLS.map((tool) => {
      const s = data.sources[tool];
      return [tool, s ? { status: s.status, ...(s.fetchedAt ? { asOf: s.fetchedAt } : {}), ...(s.reason ? { reason: s.reason } : {}) } : { status: 'never' }];
    }),
  );
  const nw = data.netWorth;
  const assetAccounts = data.accounts.filter((a) => !a.isLiability);
  const liabilityAccounts = data.accounts.filter((a) => a.isLiability);
  const overview = {
    generatedAt,
    asOf: data.sources.fetch_net_worth?.fetchedAt ?? null,
    currency: 'INR',
    netWorthPaise: nw?.netWorthPaise ?? null,
    totalAssetsPaise: nw?.totalAssetsPaise ?? null,
    totalLiabilitiesPaise: nw?.totalLiabilitiesPaise ?? null,
    assetsByType: nw?.assetsByType ?? {},
    liabilitiesByType: nw?.liabilitiesByType ?? {},
    fi: nw
      ? { totalPaise: nw.fiTotalPaise ?? null, matched: !nw.mismatch, differencePaise: nw.mismatchPaise }
      : null,
    sources,
  };
  const assets = {
    generatedAt,
    asOf: overview.asOf,
    accounts: assetAccounts,
    holdings: data.holdings,
    totalPaise: nw?.totalAssetsPaise ?? null,
    holdingsValuePaise: sum(data.holdings.filter((h) => h.currency === 'INR').map((h) => h.valuePaise)),
  };
  const liabilities = {
    generatedAt,
    asOf: overview.asOf,
    accounts: liabilityAccounts,
    byType: nw?.liabilitiesByType ?? {},
    totalPaise: nw?.totalLiabilitiesPaise ?? null,
    /** Loans and cards as the credit bureau reports them (open ones only). */
    fromCreditReport: (data.creditReport?.accounts ?? []).filter((a) => a.open),
  };
  const credit = {
    generatedAt,
    asOf: data.sources.fetch_credit_report?.fetchedAt ?? null,
    report: data.creditReport,
  };
  const epf = {
    generatedAt,
    asOf: data.sources.fetch_epf_details?.fetchedAt ?? null,
    accounts: data.epf?.accounts ?? [],
    uans: data.epf?.uans ?? [],
    totalBalancePaise: data.epf?.totalBalancePaise ?? null,
    dormantAccounts: (data.epf?.accounts ?? []).filter((a) => a.dormant).length,
  };
  const { asOf: valuationDay, ...sections } = buildAnalytics({ ...data, transactions, asOf: valuationDate(data, now) });
  const fetched = Object.values(data.sources)
    .map((s) => s?.fetchedAt)
    .filter((t): t is string => typeof t === 'string')
    .sort();
  /** `asOf`: when the newest data behind it was fetched (null without any); `valuationDate`: the day figures are valued on. */
  const analytics = { generatedAt, asOf: fetched.at(-1) ?? null, valuationDate: valuationDay, ...sections };
  return { overview, assets, liabilities, credit, epf, analytics };
}

/**
 * The day the analytics value things on (XIRR's terminal date, ages, periods): the latest
 * balance date Fi reports for the accounts, else the day of the sync (IST). Using Fi's date
 * keeps our returns comparable with Fi's own, which are computed on that day.
 */
export function valuationDate(data: Pick<FinancialData, 'accounts'>, now: Date): string {
  const dates = data.accounts.map((a) => a.asOf).filter((d): d is string => typeof d === 'string' && !Number.isNaN(Date.parse(d)));
  const latest = dates.sort().at(-1);
  const today = istDate(now);
  return latest && istDate(new Date(latest)) <= today ? istDate(new Date(latest)) : today;
}

/** The day's net-worth snapshot, when net worth is known. */
export function snapshotOf(data: FinancialData, now: Date): NetWorthSnapshot | null {
  if (!data.netWorth) return null;
  return {
    date: istDate(now),
    at: now.toISOString(),
    netWorthPaise: data.netWorth.netWorthPaise,
    totalAssetsPaise: data.netWorth.totalAssetsPaise,
    totalLiabilitiesPaise: data.netWorth.totalLiabilitiesPaise,
  };
}
