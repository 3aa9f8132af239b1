import { z } from 'zod';
import type { FiTool } from './fi.js';

/**
 * Consent scopes, mirroring the data types of an Account Aggregator consent artefact.
 * Each scope maps to the Fi tools it allows us to fetch and store.
 */
export const CONSENT_SCOPES = ['net_worth', 'transactions', 'credit_report', 'epf'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

export const SCOPE_TOOLS: Record<ConsentScope, readonly FiTool[]> = {
  net_worth: ['fetch_net_worth'],
  transactions: ['fetch_bank_transactions', 'fetch_mf_transactions', 'fetch_stock_transactions'],
  credit_report: ['fetch_credit_report'],
  epf: ['fetch_epf_details'],
};

/** The tools a set of granted scopes allows, in a stable order. */
export const toolsForScopes = (scopes: Iterable<ConsentScope>): FiTool[] => {
  const set = new Set<FiTool>();
  for (const s of scopes) for (const t of SCOPE_TOOLS[s]) set.add(t);
  return [...set].sort();
};

export const ConsentPurpose = z.enum(['personal_finance_insights', 'net_worth_tracking', 'financial_planning']);

/** `POST /api/consents`. */
export const GrantConsentBody = z.strictObject({
  scopes: z
    .array(z.enum(CONSENT_SCOPES, { error: `expected one of ${CONSENT_SCOPES.join(', ')}` }))
    .min(1, 'grant at least one scope')
    .max(CONSENT_SCOPES.length),
  purpose: ConsentPurpose,
  /** How long we may keep the data, in days (data life). */
  dataLifeDays: z.number().int().min(1).max(3650).default(365),
});
export type GrantConsentBody = z.infer<typeof GrantConsentBody>;

/** `users/{uid}/consents/{id}`. */
export const Consent = z.object({
  id: z.string(),
  scopes: z.array(z.enum(CONSENT_SCOPES)),
  purpose: ConsentPurpose,
  status: z.enum(['active', 'revoked']),
  grantedAt: z.string(),
  /** When the consent (and the data kept under it) expires. */
  expiresAt: z.string(),
  revokedAt: z.string().optional(),
});
export type Consent = z.infer<typeof Consent>;
