import { z } from 'zod';

/**
 * Fi Money MCP: the six tools and the documents they return (see the team's fi-mcp.md).
 * Schemas are tolerant (unknown fields pass through; fields Fi drops inconsistently are
 * optional) but reject a document of the wrong kind for its tool.
 */
export const FI_TOOLS = [
  'fetch_net_worth',
  'fetch_credit_report',
  'fetch_epf_details',
  'fetch_mf_transactions',
  'fetch_bank_transactions',
  'fetch_stock_transactions',
] as const;
export type FiTool = (typeof FI_TOOLS)[number];

/** Fi's money: `{currencyCode?, units?: "<int>", nanos?: int}`. */
export const FiMoney = z.looseObject({
  currencyCode: z.string().optional(),
  units: z.union([z.string().regex(/^-?\d+$/, 'expected an integer string'), z.number().int()]).optional(),
  nanos: z.number().int().optional(),
});
export type FiMoney = z.infer<typeof FiMoney>;

// The per-tool document schemas are completed with the normalisation work; until then
// each schema requires the tool's own top-level key, which is what tells a wrong-kind
// document (e.g. a credit report returned by fetch_net_worth) from the right one.
export const FiToolSchemas: Record<FiTool, z.ZodType> = {
  fetch_net_worth: z.looseObject({ netWorthResponse: z.looseObject({}) }),
  fetch_credit_report: z.looseObject({ creditReports: z.array(z.unknown()) }),
  fetch_epf_details: z.looseObject({ uanAccounts: z.array(z.unknown()) }),
  fetch_mf_transactions: z.union([z.looseObject({ mfTransactions: z.array(z.unknown()) }), z.looseObject({ transactions: z.array(z.unknown()) })]),
  fetch_bank_transactions: z.looseObject({ bankTransactions: z.array(z.unknown()) }),
  fetch_stock_transactions: z.looseObject({ stockTransactions: z.array(z.unknown()) }),
};

export type FiParseResult =
  | { readonly kind: 'document'; readonly document: Record<string, unknown> }
  | { readonly kind: 'not-connected' }
  | { readonly kind: 'malformed'; readonly reason: string };

/**
 * Classifies one tool's parsed JSON: `{}` (or only `schemaDescription`) is "not connected";
 * anything the tool's schema rejects is malformed, with a reason naming the field.
 */
export function parseFiDocument(tool: FiTool, value: unknown): FiParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'malformed', reason: `${tool}: expected a JSON object` };
  const keys = Object.keys(value).filter((k) => k !== 'schemaDescription');
  if (keys.length === 0) return { kind: 'not-connected' };
  const parsed = FiToolSchemas[tool].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(document)';
    return { kind: 'malformed', reason: `${tool}: ${field}: ${issue?.message ?? 'invalid'}`.slice(0, 300) };
  }
  return { kind: 'document', document: parsed.data as Record<string, unknown> };
}
