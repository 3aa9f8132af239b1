import type { FiTool } from '../contracts/fi.js';
import { normaliseBankTransactions } from '../domain/fi/bank-transactions.js';
import { normaliseCreditReport } from '../domain/fi/credit-report.js';
import { normaliseEpf } from '../domain/fi/epf.js';
import type { BankTransactionsInput, CreditReportInput, EpfInput, MfTransactionsInput, NetWorthInput, StockTransactionsInput } from '../domain/fi/input.js';
import { normaliseMfTransactions, normaliseStockTransactions } from '../domain/fi/investment-transactions.js';
import { normaliseNetWorth } from '../domain/fi/net-worth.js';
import type { CreditReportResult, EpfResult, NetWorthResult, TransactionsResult } from '../domain/fi/types.js';

export type FiSlice = { readonly count: number; readonly skipped: number } & (
  | { readonly kind: 'net_worth'; readonly result: NetWorthResult }
  | { readonly kind: 'transactions'; readonly result: TransactionsResult }
  | { readonly kind: 'credit'; readonly result: CreditReportResult }
  | { readonly kind: 'epf'; readonly result: EpfResult }
);

/**
 * One tool's document (already validated for its kind by `parseFiDocument`, whose schemas
 * are the source of these input types, hence the casts) through its
 * normaliser. Total: odd rows are skipped and counted, never thrown.
 */
export function normaliseFiDocument(tool: FiTool, document: Record<string, unknown>): FiSlice {
  switch (tool) {
    case 'fetch_net_worth': {
      const result = normaliseNetWorth(document as unknown as NetWorthInput);
      return { kind: 'net_worth', result, count: result.accounts.length + result.holdings.length, skipped: result.skipped.length };
    }
    case 'fetch_credit_report': {
      const result = normaliseCreditReport(document as unknown as CreditReportInput);
      return { kind: 'credit', result, count: result.reports[0]?.accounts.length ?? 0, skipped: result.skipped.length };
    }
    case 'fetch_epf_details': {
      const result = normaliseEpf(document as unknown as EpfInput);
      return { kind: 'epf', result, count: result.accounts.length, skipped: result.skipped.length };
    }
    case 'fetch_bank_transactions':
    case 'fetch_mf_transactions':
    case 'fetch_stock_transactions': {
      const result =
        tool === 'fetch_bank_transactions'
          ? normaliseBankTransactions(document as unknown as BankTransactionsInput)
          : tool === 'fetch_mf_transactions'
            ? normaliseMfTransactions(document as unknown as MfTransactionsInput)
            : normaliseStockTransactions(document as unknown as StockTransactionsInput);
      return { kind: 'transactions', result, count: result.transactions.length, skipped: result.skipped.length };
    }
  }
}
