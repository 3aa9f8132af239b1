import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FiTool } from '../../shared/contracts/fi.js';

/**
 * Builders for the dev Fi MCP server: persona folders in Fi's layout, and a login done the
 * way a browser does it (load the login page, submit its form).
 */

/** What a persona file holds: a JSON value, or raw text (to write a file that is not JSON). */
export type PersonaFile = { readonly json: unknown } | { readonly raw: string };
export type Persona = Partial<Record<FiTool, PersonaFile>>;

/** Writes `<dir>/<phone>/<tool>.json` for each persona into a fresh temporary directory. */
export function aPersonaDir(personas: Record<string, Persona>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ffai-fi-personas-'));
  for (const [phone, files] of Object.entries(personas)) {
    mkdirSync(join(dir, phone));
    for (const [tool, file] of Object.entries(files)) {
      writeFileSync(join(dir, phone, `${tool}.json`), 'raw' in file ? file.raw : `${JSON.stringify(file.json, null, 2)}\n`);
    }
  }
  return dir;
}

const money = (units: string) => ({ currencyCode: 'INR', units, nanos: 0 });

/** A net-worth document in Fi's shape: one savings account, one mutual fund, one card liability. */
export const aNetWorth = (units = '125000') => ({
  netWorthResponse: {
    assetValues: [
      { netWorthAttribute: 'ASSET_TYPE_SAVINGS_ACCOUNTS', value: money(units) },
      { netWorthAttribute: 'ASSET_TYPE_MUTUAL_FUND', value: money('50000') },
    ],
    liabilityValues: [{ netWorthAttribute: 'LIABILITY_TYPE_CREDIT_CARD', value: money('12000') }],
    totalNetWorthValue: money(String(Number(units) + 50000 - 12000)),
  },
  accountDetailsBulkResponse: {
    accountDetailsMap: {
      'acc-sav-1': {
        accountDetails: { fipId: 'HDFC-FIP', maskedAccountNumber: 'XXXXXX1234', accInstrumentType: 'ACC_INSTRUMENT_TYPE_DEPOSIT', ifscCode: 'HDFC0000001', accountType: { accountType: 'SAVINGS' } },
        depositSummary: { currentBalance: money(units), balanceDate: '2026-11-01T00:00:00Z' },
      },
    },
  },
});

/** A credit report: the wrong kind of document for `fetch_net_worth`. */
export const aCreditReport = () => ({
  creditReports: [
    {
      vendor: 'EXPERIAN',
      creditReportData: {
        creditProfileHeader: { reportDate: '20261101', reportTime: '101500' },
        score: { bureauScore: '742', bureauScoreConfidenceLevel: 'H' },
      },
    },
  ],
});

/** EPF details: one UAN, one establishment. */
export const anEpf = () => ({
  uanAccounts: [
    {
      phoneNumber: { countryCode: 91, nationalNumber: '9000000001' },
      rawDetails: {
        est_details: [
          {
            est_name: 'ACME SOFTWARE PVT LTD',
            member_id: 'MHBAN00000000000012345',
            office: '(RO)BANDRA(MUMBAI-I)',
            doj_epf: '01-04-2021',
            doe_epf: 'NOT AVAILABLE',
            doe_eps: 'NOT AVAILABLE',
            pf_balance: { net_balance: '120000', employee_share: { credit: '60000', balance: '60000' }, employer_share: { credit: '60000', balance: '60000' } },
          },
        ],
        overall_pf_balance: {
          pension_balance: '30000',
          current_pf_balance: '120000',
          employee_share_total: { credit: '60000', balance: '60000' },
          employer_share_total: { credit: '60000', balance: '60000' },
        },
      },
    },
  ],
});

/**
 * Logs `phone` in at `loginUrl` as a browser would: GET the page, read the form's action and
 * hidden fields, POST it form-encoded with the phone number and any OTP.
 * @returns the login response status and text.
 */
export async function loginAs(loginUrl: string, phone: string, otp = '123456'): Promise<{ status: number; text: string }> {
  const page = await fetch(loginUrl);
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/i.exec(html)?.[1];
  if (!action) throw new Error('the login page has no form action');
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/gi)) {
    form.set(m[1]!, m[2]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))));
  }
  form.set('phoneNumber', phone);
  form.set('otp', otp);
  const res = await fetch(new URL(action, loginUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  return { status: res.status, text: await res.text() };
}
