/** Fi Money documents -> our model. Pure; see each normaliser for its promises. */
export { FI_TOOL_NAMES, type FiToolName } from './tools.js';
export type * from './types.js';
export type * from './input.js';
export { SUMMARY_KEYS } from './input.js';
export { normaliseNetWorth } from './net-worth.js';
export { normaliseBankTransactions, bankTypeOf, BANK_TYPES } from './bank-transactions.js';
export { normaliseMfTransactions, normaliseStockTransactions, orderTypeOf } from './investment-transactions.js';
export { normaliseEpf } from './epf.js';
export { normaliseCreditReport } from './credit-report.js';
export { sanitiseUntrustedText, maskIdentifier, MAX_UNTRUSTED_TEXT } from './text.js';
export { contentId, OccurrenceCounter, ID_HEX_LENGTH } from './ids.js';
