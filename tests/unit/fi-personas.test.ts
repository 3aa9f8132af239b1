import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FI_TOOLS, parseFiDocument, type FiDocuments, type FiTool } from '../../shared/contracts/fi.js';
import {
  normaliseBankTransactions,
  normaliseCreditReport,
  normaliseEpf,
  normaliseMfTransactions,
  normaliseNetWorth,
  normaliseStockTransactions,
} from '../../shared/domain/fi/index.js';
import { hasControlChars, shuffled } from '../support/fi-builders.js';

/**
 * Every persona the dev Fi MCP server serves (dev/fi-mcp/personas/<phone>/<tool>.json),
 * checked against figures this test derives from the raw JSON on its own: sums of units and
 * nanos by hand, row counts, liabilities from both conventions. New personas are picked up
 * without editing this file.
 */

const ROOT = fileURLToPath(new URL('../../dev/fi-mcp/personas/', import.meta.url));
const personas = existsSync(ROOT) ? readdirSync(ROOT).filter((d) => statSync(join(ROOT, d)).isDirectory()).sort() : [];
const cases = personas.flatMap((phone) => FI_TOOLS.filter((tool) => existsSync(join(ROOT, phone, `${tool}.json`))).map((tool) => [phone, tool] as const));

/** The raw JSON, walked by hand on purpose. */
type Json = any;

const readRaw = (phone: string, tool: FiTool): Json => JSON.parse(readFileSync(join(ROOT, phone, `${tool}.json`), 'utf8'));

/** Fi money by hand: units*100 plus nanos rounded half away from zero. */
const paiseOf = (m: Json): number => {
  const nanos = Number(m?.nanos ?? 0);
  return Number(m?.units ?? 0) * 100 + Math.sign(nanos) * Math.round(Math.abs(nanos) / 1e7);
};
/** Rupee text by hand (two decimals at most in the personas). */
const rupees = (v: Json): number => Math.round(Number(String(v).replace(/,/g, '')) * 100);

/** The top-level key that tells each tool's document from the others. */
const KIND_KEYS: Record<FiTool, string[]> = {
  fetch_net_worth: ['netWorthResponse'],
  fetch_credit_report: ['creditReports'],
  fetch_epf_details: ['uanAccounts'],
  fetch_mf_transactions: ['mfTransactions', 'transactions'],
  fetch_bank_transactions: ['bankTransactions'],
  fetch_stock_transactions: ['stockTransactions'],
};

function expectDocument<T extends FiTool>(tool: T, raw: Json): FiDocuments[T] {
  const r = parseFiDocument(tool, raw);
  expect(r.kind).toBe('document');
  if (r.kind !== 'document') throw new Error('unreachable');
  return r.document;
}

function expectIdsDistinctAndStable(ids: readonly string[], again: readonly string[]): void {
  expect(new Set(ids).size).toBe(ids.length);
  expect([...again].sort()).toEqual([...ids].sort());
}

/** Which of our account instruments make up each of Fi's asset types. */
const INSTRUMENTS_OF_TYPE: Record<string, string[]> = {
  ASSET_TYPE_SAVINGS_ACCOUNTS: ['savings', 'current'],
  ASSET_TYPE_DEPOSITS: ['deposit', 'recurring_deposit'],
  ASSET_TYPE_MUTUAL_FUND: ['mutual_funds'],
  ASSET_TYPE_EPF: ['epf'],
  ASSET_TYPE_INDIAN_SECURITIES: ['equities'],
  ASSET_TYPE_US_SECURITIES: ['us_securities'],
  ASSET_TYPE_ETF: ['etf'],
  ASSET_TYPE_SGB: ['sgb'],
  ASSET_TYPE_NPS: ['nps'],
};

function checkNetWorth(raw: Json): void {
  const doc = expectDocument('fetch_net_worth', raw);
  let assets = 0;
  let liabilities = 0;
  for (const e of raw.netWorthResponse.assetValues ?? []) {
    if (String(e.netWorthAttribute).startsWith('LIABILITY_TYPE_')) liabilities += Math.abs(paiseOf(e.value));
    else if (String(e.netWorthAttribute).startsWith('ASSET_TYPE_')) assets += paiseOf(e.value);
  }
  for (const e of raw.netWorthResponse.liabilityValues ?? []) liabilities += Math.abs(paiseOf(e.value));
  const fiTotal = raw.netWorthResponse.totalNetWorthValue === undefined ? undefined : paiseOf(raw.netWorthResponse.totalNetWorthValue);

  const r = normaliseNetWorth(doc);
  expect(r.netWorth.totalAssetsPaise).toBe(assets);
  expect(r.netWorth.totalLiabilitiesPaise).toBe(liabilities);
  expect(r.netWorth.netWorthPaise).toBe(assets - liabilities);
  expect(r.netWorth.fiTotalPaise).toBe(fiTotal);
  expect(r.netWorth.mismatch).toBe(fiTotal !== undefined && fiTotal !== assets - liabilities);

  const map = raw.accountDetailsBulkResponse?.accountDetailsMap ?? {};
  // Each asset type equals the balances of its accounts (README: "Per type vs accountDetailsMap").
  const byType = new Map<string, number>();
  for (const e of raw.netWorthResponse.assetValues ?? []) byType.set(e.netWorthAttribute, (byType.get(e.netWorthAttribute) ?? 0) + paiseOf(e.value));
  for (const [type, instruments] of Object.entries(INSTRUMENTS_OF_TYPE)) {
    const accounts = r.accounts.filter((a) => instruments.includes(a.instrument));
    if (accounts.length > 0) expect([type, accounts.reduce((s, a) => s + a.balancePaise, 0)]).toEqual([type, byType.get(type) ?? 0]);
  }
  if (raw.mfSchemeAnalytics?.schemeAnalytics?.length) {
    expect(r.holdings.filter((h) => h.kind === 'mutual_fund').reduce((s, h) => s + h.valuePaise, 0)).toBe(byType.get('ASSET_TYPE_MUTUAL_FUND'));
  }
  const accountSkips = r.skipped.filter((s) => s.path === 'accountDetailsBulkResponse.accountDetailsMap');
  expect(r.accounts.length + accountSkips.length).toBe(Object.keys(map).length);
  for (const a of r.accounts) {
    expect(a.maskedNumber).toMatch(/^XX[0-9A-Za-z]{0,4}$/);
    if (a.isLiability) expect(a.balancePaise).toBeGreaterThanOrEqual(0);
  }
  const schemesWithValue = (raw.mfSchemeAnalytics?.schemeAnalytics ?? []).filter((s: Json) => s.enrichedAnalytics?.analytics?.schemeDetails?.currentValue !== undefined);
  expect(r.holdings.filter((h) => h.kind === 'mutual_fund' && h.xirrPercent !== undefined).length).toBeLessThanOrEqual(schemesWithValue.length);
  expect(new Set(r.holdings.map((h) => h.id)).size).toBe(r.holdings.length);
  const text = JSON.stringify(r);
  for (const key of Object.keys(map)) expect(text).not.toContain(key);
}

function checkBank(raw: Json): void {
  const rows: Json[][] = raw.bankTransactions.flatMap((b: Json) => b.txns ?? []);
  const credits = rows.filter((t) => [1, 4].includes(Number(t[3]))).reduce((s, t) => s + rupees(t[0]), 0);
  const debits = rows.filter((t) => [2, 5, 6].includes(Number(t[3]))).reduce((s, t) => s + rupees(t[0]), 0);

  const r = normaliseBankTransactions(expectDocument('fetch_bank_transactions', raw));
  expect(r.skipped).toEqual([]);
  expect(r.transactions).toHaveLength(rows.length);
  const sum = (d: string): number => r.transactions.filter((t) => t.direction === d).reduce((s, t) => s + t.amountPaise, 0);
  expect(sum('credit')).toBe(credits);
  expect(sum('debit')).toBe(debits);
  for (const t of r.transactions) {
    expect((t.narration ?? '').length).toBeLessThanOrEqual(500);
    expect(hasControlChars(t.narration ?? '')).toBe(false);
  }
  const reordered = { ...raw, bankTransactions: shuffled(raw.bankTransactions, 7).map((b: Json) => ({ ...b, txns: shuffled(b.txns ?? [], 11) })) };
  const again = normaliseBankTransactions(expectDocument('fetch_bank_transactions', reordered));
  expectIdsDistinctAndStable(
    r.transactions.map((t) => t.id),
    again.transactions.map((t) => t.id),
  );
}

function checkMf(raw: Json): void {
  const current: Json[][] = (raw.mfTransactions ?? []).flatMap((b: Json) => b.txns ?? []);
  const legacy: Json[] = raw.transactions ?? [];
  const bought = current.filter((t) => Number(t[0]) === 1).reduce((s, t) => s + rupees(t[4]), 0) + legacy.filter((t) => t.externalOrderType === 'BUY').reduce((s, t) => s + Math.abs(paiseOf(t.transactionAmount)), 0);

  const r = normaliseMfTransactions(expectDocument('fetch_mf_transactions', raw));
  expect(r.skipped).toEqual([]);
  expect(r.transactions).toHaveLength(current.length + legacy.length);
  expect(r.transactions.filter((t) => t.type === 'BUY').reduce((s, t) => s + t.amountPaise, 0)).toBe(bought);
  const reordered = {
    ...raw,
    ...(raw.mfTransactions ? { mfTransactions: shuffled(raw.mfTransactions, 3).map((b: Json) => ({ ...b, txns: shuffled(b.txns ?? [], 5) })) } : {}),
    ...(raw.transactions ? { transactions: shuffled(raw.transactions, 9) } : {}),
  };
  expectIdsDistinctAndStable(
    r.transactions.map((t) => t.id),
    normaliseMfTransactions(expectDocument('fetch_mf_transactions', reordered)).transactions.map((t) => t.id),
  );
}

function checkStock(raw: Json): void {
  const rows: Json[][] = raw.stockTransactions.flatMap((b: Json) => b.txns ?? []);
  const r = normaliseStockTransactions(expectDocument('fetch_stock_transactions', raw));
  expect(r.skipped).toEqual([]);
  expect(r.transactions).toHaveLength(rows.length);
  expect(r.transactions.filter((t) => t.type === 'BUY').reduce((s, t) => s + (t.units ?? 0), 0)).toBeCloseTo(rows.filter((t) => Number(t[0]) === 1).reduce((s, t) => s + Number(t[2]), 0), 6);
  const reordered = { ...raw, stockTransactions: shuffled(raw.stockTransactions, 5).map((b: Json) => ({ ...b, txns: shuffled(b.txns ?? [], 13) })) };
  expectIdsDistinctAndStable(
    r.transactions.map((t) => t.id),
    normaliseStockTransactions(expectDocument('fetch_stock_transactions', reordered)).transactions.map((t) => t.id),
  );
}

function checkEpf(raw: Json): void {
  const establishments: Json[] = raw.uanAccounts.flatMap((u: Json) => u.rawDetails?.est_details ?? []);
  const share = (s: Json): number => rupees(s?.balance ?? s?.credit ?? 0);
  const balanceOf = (e: Json): number => (e.pf_balance?.net_balance !== undefined ? rupees(e.pf_balance.net_balance) : share(e.pf_balance?.employee_share) + share(e.pf_balance?.employer_share));
  const total = establishments.reduce((s, e) => s + balanceOf(e), 0);
  const dormant = establishments.filter((e) => /^\d{2}-\d{2}-\d{4}$/.test(String(e.doe_epf)) && balanceOf(e) > 0).length;

  const r = normaliseEpf(expectDocument('fetch_epf_details', raw));
  expect(r.skipped).toEqual([]);
  expect(r.accounts).toHaveLength(establishments.length);
  expect(r.totalBalancePaise).toBe(total);
  expect(r.accounts.map((a) => a.balancePaise)).toEqual(establishments.map(balanceOf));
  expect(r.accounts.filter((a) => a.dormant)).toHaveLength(dormant);
  const text = JSON.stringify(r);
  for (const e of establishments) if (typeof e.member_id === 'string' && e.member_id.length > 6) expect(text).not.toContain(e.member_id);
}

/** Values under keys that must never leave the raw report (dates of birth, PAN, account numbers...). */
function secretsIn(node: Json, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => secretsIn(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (/dateOfBirth|pan|accountNumber|passport|voterId|mobile|email/i.test(k) && (typeof v === 'string' || typeof v === 'number') && String(v).length >= 6) out.push(String(v));
      else secretsIn(v, out);
    }
  }
  return out;
}

function checkCredit(raw: Json): void {
  const r = normaliseCreditReport(expectDocument('fetch_credit_report', raw));
  expect(r.skipped).toEqual([]);
  expect(r.reports).toHaveLength(raw.creditReports.length);
  for (const report of raw.creditReports) {
    const data = report.creditReportData;
    const date = String(data.creditProfileHeader.reportDate);
    const ours = r.reports.find((x) => x.reportDate === `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`);
    expect(ours).toBeDefined();
    const n = Number(data.score?.bureauScore);
    expect(ours?.score).toBe(data.score?.bureauScore !== '' && Number.isInteger(n) && n >= 300 && n <= 900 ? n : undefined);
    const details = data.creditAccount?.creditAccountDetails;
    expect(ours?.accounts).toHaveLength(details === undefined ? 0 : Array.isArray(details) ? details.length : 1);
  }
  const text = JSON.stringify(r);
  for (const secret of secretsIn(raw)) expect(text).not.toContain(secret);
}

const CHECKS: Record<FiTool, (raw: Json) => void> = {
  fetch_net_worth: checkNetWorth,
  fetch_credit_report: checkCredit,
  fetch_epf_details: checkEpf,
  fetch_mf_transactions: checkMf,
  fetch_bank_transactions: checkBank,
  fetch_stock_transactions: checkStock,
};

describe('Fi personas', () => {
  it('ships personas to check', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('%s %s', (phone, tool) => {
    const raw = readRaw(phone, tool);
    const meaningful = Object.keys(raw).filter((k) => k !== 'schemaDescription');
    if (meaningful.length === 0) {
      expect(parseFiDocument(tool, raw)).toEqual({ kind: 'not-connected' });
      return;
    }
    if (!KIND_KEYS[tool].some((k) => Array.isArray(raw[k]) || (k === 'netWorthResponse' && typeof raw[k] === 'object'))) {
      // A document of another kind (e.g. a credit report from fetch_net_worth): malformed, named.
      const r = parseFiDocument(tool, raw);
      expect(r).toEqual({ kind: 'malformed', reason: expect.stringContaining(KIND_KEYS[tool][0] ?? '') });
      return;
    }
    CHECKS[tool](raw);
  });
});
