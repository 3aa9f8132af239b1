import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, freePorts, killStack, npmStart, stopStack, waitHealthy, type Stack } from '../support/stack.js';

/**
 * The data path on the running local stack, as the PWA and a user's browser drive it:
 * dev sign-in -> consent -> link Fi -> login_required -> the Fi login form -> sync ->
 * read models; a repeat sync; revoking scopes. Expected figures come from the persona's
 * own files, computed here.
 */
const PERSONA = '2222222222';
const personaDir = join(process.cwd(), 'dev/fi-mcp/personas', PERSONA);
const persona = (tool: string): any => JSON.parse(readFileSync(join(personaDir, `${tool}.json`), 'utf8'));

/** Fi money to paise, by the rule in fi-mcp.md. */
const paise = (m: any): number => Number(m?.units ?? 0) * 100 + Math.round(Number(m?.nanos ?? 0) / 1e7);

/** The persona's net worth from its entries: assets minus liabilities, either convention. */
function expectedNetWorth(): number {
  const r = persona('fetch_net_worth').netWorthResponse;
  let total = 0;
  for (const e of r.assetValues ?? []) {
    const v = paise(e.value);
    total += String(e.netWorthAttribute).startsWith('LIABILITY_') ? -Math.abs(v) : v;
  }
  for (const e of r.liabilityValues ?? []) total -= Math.abs(paise(e.value));
  return total;
}

const expectedTransactionCount = (): number =>
  persona('fetch_bank_transactions').bankTransactions.reduce((n: number, b: any) => n + b.txns.length, 0) +
  (persona('fetch_mf_transactions').mfTransactions ?? []).reduce((n: number, s: any) => n + s.txns.length, 0) +
  (persona('fetch_mf_transactions').transactions ?? []).length +
  persona('fetch_stock_transactions').stockTransactions.reduce((n: number, s: any) => n + s.txns.length, 0);

let stack: Stack;
let asha: Browser;
let ravi: Browser;

async function syncAndWait(b: Browser): Promise<any> {
  const started = await b.call('POST', '/api/financial/sync', {});
  expect(started.status).toBe(202);
  for (let i = 0; i < 200; i++) {
    const run = await b.call('GET', started.json.statusUrl);
    if (['succeeded', 'partial', 'failed'].includes(run.json.status)) return run.json;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error('the sync did not finish');
}

async function allTransactions(b: Browser, query = ''): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await b.call('GET', `/api/financial/transactions?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    items.push(...page.json.items);
    cursor = page.json.nextCursor;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  stack = npmStart(await freePorts());
  await waitHealthy(stack);
  asha = new Browser(stack.url);
  ravi = new Browser(stack.url);
});

afterAll(async () => {
  await stopStack(stack).catch(() => killStack(stack));
});

describe('Fi sync on the local stack', () => {
  let netWorthConsent: string;
  let transactionsConsent: string;
  let firstRun: any;

  it('signs in, grants consent and links Fi through the login page', async () => {
    expect((await asha.call('GET', '/api/financial/overview')).status).toBe(401);
    const login = await asha.call('POST', '/auth/dev/login', { email: 'asha@example.com' });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toMatch(/^__session=[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
    expect((await ravi.call('POST', '/auth/dev/login', { email: 'ravi@example.com' })).status).toBe(200);

    // Sync before consent is refused, naming what is missing.
    expect((await asha.call('POST', '/api/financial/sync', {})).json.error.code).toBe('CONSENT.REQUIRED');
    const c1 = await asha.call('POST', '/api/consents', { scopes: ['net_worth', 'credit_report', 'epf'], purpose: 'net_worth_tracking' });
    const c2 = await asha.call('POST', '/api/consents', { scopes: ['transactions'], purpose: 'personal_finance_insights' });
    expect([c1.status, c2.status]).toEqual([201, 201]);
    netWorthConsent = c1.json.id;
    transactionsConsent = c2.json.id;

    const link = await asha.call('POST', '/api/connections/fi', {});
    expect(link.status).toBe(202);
    expect(link.json).toMatchObject({ id: 'fi', status: 'login_required' });
    expect(JSON.stringify(link.json)).not.toMatch(/"session"/);
    const loginUrl = new URL(link.json.loginUrl);

    // The user's browser opens the login page and posts its form.
    const page = await fetch(loginUrl);
    expect(await page.text()).toContain('<form method="POST" action="/login">');
    const form = new URLSearchParams({ sessionId: loginUrl.searchParams.get('sessionId')!, phoneNumber: PERSONA, otp: '123456' });
    const posted = await fetch(new URL('/login', loginUrl), { method: 'POST', body: form });
    expect(await posted.text()).toContain('Login Successful!');

    const relink = await asha.call('POST', '/api/connections/fi', {});
    expect(relink.status).toBe(200);
    expect(relink.json.status).toBe('connected');
  });

  it('syncs, and the overview equals the persona net worth', async () => {
    firstRun = await syncAndWait(asha);
    expect(firstRun.status).toBe('succeeded');
    for (const tool of ['fetch_net_worth', 'fetch_bank_transactions', 'fetch_mf_transactions', 'fetch_stock_transactions', 'fetch_credit_report', 'fetch_epf_details']) {
      expect(firstRun.sources[tool].status, tool).toBe('ok');
    }
    const overview = await asha.call('GET', '/api/financial/overview');
    expect(overview.status).toBe(200);
    expect(overview.headers.get('cache-control')).toBe('no-store');
    expect(overview.json.netWorthPaise).toBe(expectedNetWorth());
    expect(overview.json.fi).toMatchObject({ totalPaise: paise(persona('fetch_net_worth').netWorthResponse.totalNetWorthValue) });
    expect(overview.json.sources.fetch_net_worth).toMatchObject({ status: 'ok' });
    expect(overview.json.sources.fetch_net_worth.ageSeconds).toBeGreaterThanOrEqual(0);

    const txns = await allTransactions(asha);
    expect(txns).toHaveLength(expectedTransactionCount());
    expect(new Set(txns.map((t) => t.id)).size).toBe(txns.length);
    const bank = await allTransactions(asha, '&kind=bank');
    expect(bank.every((t) => t.kind === 'bank')).toBe(true);
    expect(bank.length).toBe(persona('fetch_bank_transactions').bankTransactions.reduce((n: number, b: any) => n + b.txns.length, 0));

    expect((await asha.call('GET', '/api/financial/credit-score')).json.report.score).toBe(Number(persona('fetch_credit_report').creditReports[0].creditReportData.score.bureauScore));
    expect((await asha.call('GET', '/api/financial/epf')).json.accounts.length).toBeGreaterThan(0);
    const nw = await asha.call('GET', '/api/financial/net-worth?period=1m');
    expect(nw.json.series.at(-1).netWorthPaise).toBe(expectedNetWorth());

    // The analytics view, checked against figures taken from the persona's files by hand.
    const analytics = (await asha.call('GET', '/api/financial/analytics')).json;
    expect(analytics.valuationDate).toBe('2026-11-20');
    expect(analytics.ageSeconds).toBeGreaterThanOrEqual(0);
    const fiSchemes = persona('fetch_net_worth').mfSchemeAnalytics.schemeAnalytics;
    const held = analytics.returns.schemes.filter((s: any) => s.status === 'held');
    expect(held).toHaveLength(fiSchemes.length);
    for (const s of fiSchemes) {
      const ours = held.find((h: any) => h.isin === s.schemeDetail.isinNumber);
      // Our XIRR, from the transactions, agrees with Fi's to the 2 decimals Fi gives.
      expect(ours?.xirrPercent, s.schemeDetail.isinNumber).toBeCloseTo(Number(s.enrichedAnalytics.analytics.schemeDetails.XIRR), 2);
    }
    const bankDates = persona('fetch_bank_transactions').bankTransactions.flatMap((b: any) => b.txns.map((t: any) => t[2])).sort();
    expect(analytics.cashFlow.period).toMatchObject({ from: bankDates[0], to: bankDates.at(-1) });
    expect(analytics.credit.score.value).toBe(Number(persona('fetch_credit_report').creditReports[0].creditReportData.score.bureauScore));
    expect(analytics.allocation.totalAssetsPaise).toBe(overview.json.totalAssetsPaise);
    for (const section of ['returns', 'stocks', 'allocation', 'cashFlow', 'credit', 'debt', 'epf']) {
      expect(analytics[section].asOf, section).toBe('2026-11-20');
      expect(analytics[section].sources.length, section).toBeGreaterThan(0);
    }

    // A simulation that takes its figures from the user's own data, and says so.
    const sim = await asha.call('POST', '/api/simulate', { type: 'emergency-fund' });
    expect(sim.status).toBe(200);
    expect(sim.json.result.currentLiquidPaise).toBe(analytics.cashFlow.emergencyFund.liquidAssetsPaise);
    expect(sim.json.result.assumptions).toContainEqual(expect.objectContaining({ name: 'monthlyExpensesPaise', source: 'your data' }));
    expect(sim.json.data).toEqual({ asOf: analytics.asOf, valuationDate: '2026-11-20' });
    const nonsense = await asha.call('POST', '/api/simulate', { type: 'sip', monthlyAmountPaise: 10_000_00, years: -3, expectedReturnPercent: 500 });
    expect(nonsense.status).toBe(400);
    expect(JSON.stringify(nonsense.json)).toContain('years');
    expect(JSON.stringify(nonsense.json)).toContain('expectedReturnPercent');
  });

  it('re-syncs without duplicating a transaction', async () => {
    const again = await syncAndWait(asha);
    expect(again.status).toBe('succeeded');
    const txns = await allTransactions(asha);
    expect(txns).toHaveLength(expectedTransactionCount());
    expect(new Set(txns.map((t) => t.id)).size).toBe(txns.length);
  });

  it("answers 404 for another user's run, consent and connection, and shows them nothing", async () => {
    expect((await ravi.call('GET', `/api/financial/sync/${firstRun.runId}`)).status).toBe(404);
    expect((await ravi.call('DELETE', `/api/consents/${netWorthConsent}`)).status).toBe(404);
    expect((await ravi.call('DELETE', '/api/connections/fi')).status).toBe(404);
    expect((await ravi.call('GET', '/api/financial/overview')).json.netWorthPaise).toBeNull();
    expect((await allTransactions(ravi)).length).toBe(0);
    // Asha's consent is untouched by Ravi's attempt.
    expect((await asha.call('GET', '/api/consents')).json.consents.filter((c: any) => c.status === 'active')).toHaveLength(2);
  });

  it('revoking a scope erases its data from every read model', async () => {
    const revoked = await asha.call('DELETE', `/api/consents/${transactionsConsent}`);
    expect(revoked.status).toBe(200);
    expect(revoked.json.erased).toEqual(['fetch_bank_transactions', 'fetch_mf_transactions', 'fetch_stock_transactions']);
    expect(await allTransactions(asha)).toEqual([]);
    expect((await asha.call('GET', '/api/financial/overview')).json.sources.fetch_bank_transactions.status).toBe('erased');
    // Net worth stays: its consent is still active.
    expect((await asha.call('GET', '/api/financial/overview')).json.netWorthPaise).toBe(expectedNetWorth());

    // A sync now fetches only what is still consented.
    const run = await syncAndWait(asha);
    expect(run.sources.fetch_bank_transactions).toMatchObject({ status: 'skipped' });
    expect(await allTransactions(asha)).toEqual([]);

    await asha.call('DELETE', `/api/consents/${netWorthConsent}`);
    const overview = await asha.call('GET', '/api/financial/overview');
    expect(overview.json.netWorthPaise).toBeNull();
    expect((await asha.call('GET', '/api/financial/assets')).json).toMatchObject({ accounts: [], holdings: [] });
    expect((await asha.call('GET', '/api/financial/liabilities')).json.accounts).toEqual([]);
    expect((await asha.call('GET', '/api/financial/credit-score')).json.report).toBeNull();
    expect((await asha.call('GET', '/api/financial/epf')).json.accounts).toEqual([]);
    expect((await asha.call('GET', '/api/financial/net-worth')).json.series).toEqual([]);
    const analytics = (await asha.call('GET', '/api/financial/analytics')).json;
    expect(analytics.returns.schemes).toEqual([]);
    expect(analytics.cashFlow.available).toBe(false);
    expect(analytics.allocation.available).toBe(false);
  });
});

describe('Google sign-in on the local stack', () => {
  it('signs in through the local OpenID Connect provider and lands signed in', async () => {
    const res = await fetch(`${stack.url}/auth/google/begin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirectPath: '/auth/session' }) });
    expect(res.status).toBe(200);
    const pending = res.headers.get('set-cookie')!.split(';')[0]!;
    const { authorizationUrl } = (await res.json()) as { authorizationUrl: string };
    const atProvider = await fetch(authorizationUrl, { redirect: 'manual' });
    const callback = atProvider.headers.get('location')!;
    const back = await fetch(callback, { redirect: 'manual', headers: { cookie: pending } });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`${stack.url}/auth/session`);
    const session = back.headers.get('set-cookie')!.split(';')[0]!;
    const me = await fetch(`${stack.url}/auth/session`, { headers: { cookie: session } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { uid: string }).uid).toMatch(/^u-[0-9a-f]{28}$/);
  });
});
