import { DEFAULT_CURRENCY, multiplyPaise, sumPaise, type Paise } from '../money.js';
import { toIsoTimestamp } from '../dates.js';
import { contentId, OccurrenceCounter } from './ids.js';
import { SUMMARY_KEYS, type AccountDetailsEntryInput, type AccountSummaryInput, type NetWorthEntryInput, type NetWorthInput, type SummaryKey } from './input.js';
import { compact, readMoney, readNumber, readString } from './read.js';
import { maskIdentifier, sanitiseUntrustedText } from './text.js';
import type { Account, AccountInstrument, Holding, HoldingKind, NetWorthResult, NetWorthSummary, Skipped } from './types.js';

const ASSET_PREFIX = 'ASSET_TYPE_';
const LIABILITY_PREFIX = 'LIABILITY_TYPE_';

const INSTRUMENTS: Readonly<Record<string, AccountInstrument>> = {
  ACC_INSTRUMENT_TYPE_RECURRING_DEPOSIT: 'recurring_deposit',
  ACC_INSTRUMENT_TYPE_TERM_DEPOSIT: 'deposit',
  ACC_INSTRUMENT_TYPE_EQUITIES: 'equities',
  ACC_INSTRUMENT_TYPE_ETF: 'etf',
  ACC_INSTRUMENT_TYPE_MUTUAL_FUNDS: 'mutual_funds',
  ACC_INSTRUMENT_TYPE_EPF: 'epf',
  ACC_INSTRUMENT_TYPE_NPS: 'nps',
  ACC_INSTRUMENT_TYPE_SGB: 'sgb',
  ACC_INSTRUMENT_TYPE_REIT: 'reit',
  ACC_INSTRUMENT_TYPE_INVIT: 'invit',
  ACC_INSTRUMENT_TYPE_CREDIT_CARD: 'credit_card',
  ACC_INSTRUMENT_TYPE_LOAN: 'loan',
  ACC_INSTRUMENT_TYPE_US_SECURITIES: 'us_securities',
};

const INSTRUMENT_BY_SUMMARY: Readonly<Record<SummaryKey, AccountInstrument>> = {
  depositSummary: 'savings',
  recurringDepositSummary: 'recurring_deposit',
  equitySummary: 'equities',
  etfSummary: 'etf',
  mutualFundSummary: 'mutual_funds',
  epfSummary: 'epf',
  npsSummary: 'nps',
  sgbSummary: 'sgb',
  reitSummary: 'reit',
  invitSummary: 'invit',
  creditCardSummary: 'credit_card',
  loanSummary: 'loan',
};

const HOLDING_KIND: Partial<Record<AccountInstrument, HoldingKind>> = {
  equities: 'equity',
  etf: 'etf',
  mutual_funds: 'mutual_fund',
  sgb: 'sgb',
  nps: 'nps',
  us_securities: 'us_equity',
};

/** The deposit sub-type Fi gives, in the summary or in `accountDetails.accountType`. */
function depositType(entry: AccountDetailsEntryInput, summary: AccountSummaryInput | undefined): string {
  const fromDetails = entry.accountDetails?.accountType;
  const nested = typeof fromDetails === 'object' && fromDetails !== null ? (fromDetails as Record<string, unknown>)['depositAccountType'] : fromDetails;
  return String(summary?.depositAccountType ?? (typeof nested === 'string' ? nested : '')).toUpperCase();
}

/**
 * `ACC_INSTRUMENT_TYPE_DEPOSIT` is a bank deposit account in Account Aggregator terms:
 * savings unless its deposit type says current, term/fixed (`deposit`) or recurring.
 */
function instrumentOf(entry: AccountDetailsEntryInput, summaryKey: SummaryKey | undefined, summary: AccountSummaryInput | undefined): AccountInstrument {
  const raw = entry.accountDetails?.accInstrumentType?.toUpperCase();
  if (raw === 'ACC_INSTRUMENT_TYPE_DEPOSIT' || (raw === undefined && summaryKey === 'depositSummary')) {
    const t = depositType(entry, summary);
    if (t.includes('CURRENT')) return 'current';
    if (t.includes('RECURRING')) return 'recurring_deposit';
    if (t.includes('TERM') || t.includes('FIXED')) return 'deposit';
    return 'savings';
  }
  if (raw !== undefined && INSTRUMENTS[raw]) return INSTRUMENTS[raw];
  return summaryKey ? INSTRUMENT_BY_SUMMARY[summaryKey] : 'other';
}

const attributeKey = (attribute: string, prefix: string): string =>
  (attribute.startsWith(prefix) ? attribute.slice(prefix.length) : attribute).toLowerCase();

/** Adds `paise` under `key`, refusing (false) when the running total would stop being safe. */
function addTo(bucket: Record<string, Paise>, key: string, paise: Paise): boolean {
  const next = (bucket[key] ?? 0) + paise;
  if (!Number.isSafeInteger(next)) return false;
  bucket[key] = next;
  return true;
}

function summariseNetWorth(doc: NetWorthInput, skipped: Skipped[]): NetWorthSummary {
  const assetsByType: Record<string, Paise> = {};
  const liabilitiesByType: Record<string, Paise> = {};
  const take = (entries: readonly NetWorthEntryInput[] | undefined, path: string, separateLiabilities: boolean): void => {
    (entries ?? []).forEach((entry, index) => {
      const attribute = entry.netWorthAttribute?.trim().toUpperCase();
      const money = readMoney(entry.value);
      if (!attribute) return void skipped.push({ reason: 'entry has no netWorthAttribute', index, path });
      if (!money) return void skipped.push({ reason: `${attribute}: value missing or unreadable`, index, path });
      if (money.currency !== DEFAULT_CURRENCY) return void skipped.push({ reason: `${attribute}: currency ${money.currency} is not INR`, index, path });
      let ok: boolean;
      if (separateLiabilities || attribute.startsWith(LIABILITY_PREFIX)) {
        // Both conventions: positive values in liabilityValues, negative ones mixed into assetValues.
        ok = addTo(liabilitiesByType, attributeKey(attribute, LIABILITY_PREFIX), Math.abs(money.paise));
      } else if (attribute.startsWith(ASSET_PREFIX)) {
        ok = addTo(assetsByType, attributeKey(attribute, ASSET_PREFIX), money.paise);
      } else {
        return void skipped.push({ reason: `${attribute}: neither an asset nor a liability type`, index, path });
      }
      if (!ok) skipped.push({ reason: `${attribute}: total out of range`, index, path });
    });
  };
  take(doc.netWorthResponse.assetValues, 'netWorthResponse.assetValues', false);
  take(doc.netWorthResponse.liabilityValues, 'netWorthResponse.liabilityValues', true);

  const totalAssetsPaise = sumPaise(Object.values(assetsByType)) ?? 0;
  const totalLiabilitiesPaise = sumPaise(Object.values(liabilitiesByType)) ?? 0;
  const netWorthPaise = totalAssetsPaise - totalLiabilitiesPaise;
  const fi = readMoney(doc.netWorthResponse.totalNetWorthValue);
  const fiTotalPaise = fi && fi.currency === DEFAULT_CURRENCY ? fi.paise : undefined;
  const mismatchPaise = fiTotalPaise === undefined ? 0 : fiTotalPaise - netWorthPaise;
  return {
    assetsByType,
    liabilitiesByType,
    totalAssetsPaise,
    totalLiabilitiesPaise,
    netWorthPaise,
    ...(fiTotalPaise === undefined ? {} : { fiTotalPaise }),
    mismatchPaise,
    mismatch: mismatchPaise !== 0,
  };
}


interface MfLink {
  readonly accountId: string;
  readonly folio?: string;
}

/**
 * Normalises a `fetch_net_worth` document into accounts, holdings and a net-worth summary.
 *
 * - Net worth: assets are `ASSET_TYPE_*` entries (signed as given); liabilities are positive
 *   amounts owed, read from both conventions (`liabilityValues[]` with positive values and
 *   `LIABILITY_TYPE_*` entries mixed into `assetValues` with negative values; both are used
 *   when both occur). Our total is assets minus liabilities; Fi's `totalNetWorthValue` is kept
 *   beside it and `mismatch` is set when they differ. Non-INR entries are skipped.
 * - Accounts: one per `accountDetailsMap` entry that has a summary with a balance (the others
 *   are reported in `skipped`), ids hashed from Fi's account key; liabilities owe `|balance|`.
 * - Holdings: mutual funds from `mfSchemeAnalytics` (linked to a folio when exactly one MF
 *   account lists the ISIN), plus `holdingsInfo[]` rows of equity, ETF, SGB, NPS and US
 *   accounts (value: `currentValue`, else units x price) and MF rows without analytics.
 *
 * Pure, deterministic and total: odd-but-valid input never throws; unreadable parts are
 * listed in `skipped`.
 */
export function normaliseNetWorth(doc: NetWorthInput): NetWorthResult {
  const skipped: Skipped[] = [];
  const netWorth = summariseNetWorth(doc, skipped);
  const accounts: Account[] = [];
  const holdings: Holding[] = [];
  const holdingOccurrences = new OccurrenceCounter();
  const mfLinks = new Map<string, MfLink[]>();
  const mfRowsWithoutAnalytics: { row: NonNullable<AccountSummaryInput['holdingsInfo']>[number]; accountId: string; index: number; path: string }[] = [];

  const pushHolding = (h: Omit<Holding, 'id'>): void => {
    const key = JSON.stringify([h.kind, h.accountId ?? null, h.isin ?? h.name, h.folio ?? null]);
    holdings.push(compact({ id: contentId('holding', [key, holdingOccurrences.next(key)]), ...h }));
  };

  const map = doc.accountDetailsBulkResponse?.accountDetailsMap ?? {};
  // Fi's account keys stay out of paths and reasons (logs); our hashed id names the account.
  const path = 'accountDetailsBulkResponse.accountDetailsMap';
  for (const [position, key] of Object.keys(map).sort().entries()) {
    const entry = map[key];
    if (entry === undefined) continue;
    const summaryKey = SUMMARY_KEYS.find((k) => entry[k] !== undefined);
    const summary = summaryKey ? entry[summaryKey] : undefined;
    const instrument = instrumentOf(entry, summaryKey, summary);
    const balance = readMoney(summary?.currentBalance ?? summary?.currentValue);
    const accountId = contentId('account', [key]);
    if (!balance) {
      skipped.push({ reason: summary ? `${instrument} account ${accountId}: balance missing or unreadable` : `${instrument} account ${accountId} has no summary`, index: position, path });
      continue;
    }
    const isLiability = instrument === 'credit_card' || instrument === 'loan';
    accounts.push(
      compact({
        id: accountId,
        source: 'fetch_net_worth' as const,
        instrument,
        fipId: readString(entry.accountDetails?.fipId),
        maskedNumber: maskIdentifier(entry.accountDetails?.maskedAccountNumber),
        balancePaise: isLiability ? Math.abs(balance.paise) : balance.paise,
        currency: balance.currency,
        asOf: toIsoTimestamp(summary?.balanceDate),
        isLiability,
      }),
    );

    const kind = HOLDING_KIND[instrument] ?? (instrument === 'reit' || instrument === 'invit' ? 'other' : undefined);
    if (kind === undefined) continue;
    (summary?.holdingsInfo ?? []).forEach((row, index) => {
      const rowPath = `${path}[${accountId}].${summaryKey}.holdingsInfo`;
      const isin = readString(row.isin);
      if (kind === 'mutual_fund') {
        if (isin) mfLinks.set(isin, [...(mfLinks.get(isin) ?? []), compact({ accountId, folio: readString(row.folioNumber) })]);
        mfRowsWithoutAnalytics.push({ row, accountId, index, path: rowPath });
        return;
      }
      const units = readNumber(row.units);
      const price = readMoney(row.lastTradedPrice ?? row.nav);
      const current = readMoney(row.currentValue);
      const value = current ?? (price && units !== undefined ? { paise: multiplyPaise(units, price.paise), currency: price.currency } : undefined);
      if (!value || value.paise === undefined) return void skipped.push({ reason: `${kind} holding has no value nor units x price`, index, path: rowPath });
      pushHolding({
        accountId,
        kind,
        isin,
        name: sanitiseUntrustedText(row.issuerName) ?? isin ?? 'Unknown holding',
        units,
        valuePaise: value.paise,
        investedPaise: readMoney(row.investedValue)?.paise,
        navPaise: price?.paise,
        currency: value.currency,
        folio: readString(row.folioNumber),
      });
    });
  }

  const analysedIsins = new Set<string>();
  (doc.mfSchemeAnalytics?.schemeAnalytics ?? []).forEach((scheme, index) => {
    const path = 'mfSchemeAnalytics.schemeAnalytics';
    const detail = scheme.schemeDetail ?? {};
    const figures = scheme.enrichedAnalytics?.analytics?.schemeDetails ?? {};
    const isin = readString(detail.isinNumber);
    const value = readMoney(figures.currentValue);
    if (!value) return void skipped.push({ reason: 'scheme has no current value', index, path });
    if (isin) analysedIsins.add(isin);
    const links = isin ? (mfLinks.get(isin) ?? []) : [];
    const link = links.length === 1 ? links[0] : undefined;
    pushHolding({
      accountId: link?.accountId,
      kind: 'mutual_fund',
      isin,
      name: sanitiseUntrustedText(detail.nameData?.longName) ?? isin ?? 'Unknown fund',
      units: readNumber(figures.units),
      valuePaise: value.paise,
      investedPaise: readMoney(figures.investedValue)?.paise,
      navPaise: readMoney(detail.nav ?? figures.navValue)?.paise,
      currency: value.currency,
      xirrPercent: readNumber(figures.XIRR),
      assetClass: readString(detail.assetClass),
      category: readString(detail.categoryName),
      amc: readString(detail.amc),
      folio: link?.folio,
    });
  });

  for (const { row, accountId, index, path } of mfRowsWithoutAnalytics) {
    const isin = readString(row.isin);
    if (isin && analysedIsins.has(isin)) continue;
    const units = readNumber(row.units);
    const nav = readMoney(row.nav ?? row.lastTradedPrice);
    const current = readMoney(row.currentValue);
    const valuePaise = current?.paise ?? (nav && units !== undefined ? multiplyPaise(units, nav.paise) : undefined);
    if (valuePaise === undefined) {
      skipped.push({ reason: 'mutual fund holding has no analytics and no value', index, path });
      continue;
    }
    pushHolding({
      accountId,
      kind: 'mutual_fund',
      isin,
      name: sanitiseUntrustedText(row.issuerName) ?? isin ?? 'Unknown fund',
      units,
      valuePaise,
      investedPaise: readMoney(row.investedValue)?.paise,
      navPaise: nav?.paise,
      currency: current?.currency ?? nav?.currency ?? DEFAULT_CURRENCY,
      folio: readString(row.folioNumber),
    });
  }

  return { accounts, holdings, netWorth, skipped };
}
