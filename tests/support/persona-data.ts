import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FI_TOOLS, parseFiDocument, type FiTool } from '../../shared/contracts/fi.js';
import type { AnalyticsInput } from '../../shared/domain/analytics/input.js';
import type { Transaction } from '../../shared/domain/fi/types.js';
import { normaliseFiDocument } from '../../shared/usecases/normalise-fi.js';

/**
 * The dev personas (dev/fi-mcp/personas/<phone>/<tool>.json) as raw JSON (for tests that
 * derive expectations by hand) and as the analytics' input (through the real parser and
 * normalisers, as a sync would store them). The personas' data date is 2026-11-20.
 */
export const PERSONA_ROOT = fileURLToPath(new URL('../../dev/fi-mcp/personas/', import.meta.url));
export const PERSONA_DATE = '2026-11-20';
export const PERSONAS: readonly string[] = readdirSync(PERSONA_ROOT)
  .filter((d) => statSync(join(PERSONA_ROOT, d)).isDirectory())
  .sort();

/** The raw JSON of a persona file, or undefined when the file is missing. Walk it by hand. */
export const rawPersona = (phone: string, tool: FiTool): any => {
  const file = join(PERSONA_ROOT, phone, `${tool}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
};

/** A persona as a successful sync would commit it (wrong-kind and schema-only documents are ignored). */
export function personaInput(phone: string, asOf = PERSONA_DATE): AnalyticsInput {
  let input: { -readonly [K in keyof AnalyticsInput]: AnalyticsInput[K] } = { asOf, accounts: [], holdings: [], netWorth: null, transactions: [], creditReport: null, epf: null };
  const transactions: Transaction[] = [];
  for (const tool of FI_TOOLS) {
    const raw = rawPersona(phone, tool);
    if (raw === undefined) continue;
    const parsed = parseFiDocument(tool, raw);
    if (parsed.kind !== 'document') continue;
    const slice = normaliseFiDocument(tool, parsed.document);
    if (slice.kind === 'net_worth') input = { ...input, accounts: slice.result.accounts, holdings: slice.result.holdings, netWorth: slice.result.netWorth };
    else if (slice.kind === 'credit') input = { ...input, creditReport: slice.result.reports[0] ?? null };
    else if (slice.kind === 'epf') input = { ...input, epf: slice.result };
    else transactions.push(...slice.result.transactions);
  }
  return { ...input, transactions };
}
