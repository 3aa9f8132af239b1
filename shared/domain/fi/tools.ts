/** Fi Money MCP's six tools. Kept in the domain so the model can name its sources; the
 * contracts re-export it as `FI_TOOLS`. */
export const FI_TOOL_NAMES = [
  'fetch_net_worth',
  'fetch_credit_report',
  'fetch_epf_details',
  'fetch_mf_transactions',
  'fetch_bank_transactions',
  'fetch_stock_transactions',
] as const;
export type FiToolName = (typeof FI_TOOL_NAMES)[number];
