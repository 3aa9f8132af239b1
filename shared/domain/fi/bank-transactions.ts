import { DEFAULT_CURRENCY } from '../money.js';
import { toIsoDate } from '../dates.js';
import { contentId, OccurrenceCounter } from './ids.js';
import type { BankTransactionsInput } from './input.js';
import { readRupees, readString } from './read.js';
import { sanitiseUntrustedText } from './text.js';
import type { BankTransactionType, Skipped, Transaction, TransactionDirection, TransactionsResult } from './types.js';

/** Fi's bank transaction type codes, in the order of its schema description (1-based). */
export const BANK_TYPES: readonly BankTransactionType[] = ['CREDIT', 'DEBIT', 'OPENING', 'INTEREST', 'TDS', 'INSTALLMENT', 'CLOSING', 'OTHERS'];

const DIRECTION: Readonly<Record<BankTransactionType, TransactionDirection>> = {
  CREDIT: 'credit',
  INTEREST: 'credit',
  DEBIT: 'debit',
  TDS: 'debit',
  INSTALLMENT: 'debit',
  OPENING: 'other',
  CLOSING: 'other',
  OTHERS: 'other',
};

/** A type given as its code (`1`, `"1"`) or its name (`"CREDIT"`). */
export function bankTypeOf(cell: unknown): BankTransactionType | undefined {
  const text = readString(cell)?.toUpperCase();
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) return BANK_TYPES[Number(text) - 1];
  return BANK_TYPES.find((t) => t === text);
}

/**
 * Normalises `fetch_bank_transactions`: one transaction per readable positional row
 * `[amount, narration, date, type, mode?, balance?]`.
 *
 * - Amounts are unsigned rupees (a negative or unreadable amount skips the row); `direction`
 *   comes from the type: CREDIT and INTEREST credit, DEBIT, TDS and INSTALLMENT debit,
 *   OPENING, CLOSING and OTHERS other. Balances keep their sign.
 * - Narrations are untrusted: control characters stripped, capped at 500 characters. The
 *   bank block name (the account key) is cleaned the same way and capped at 100.
 * - Ids: SHA-256 of the row's content (bank block name, date, amount, type, raw narration,
 *   mode, balance) and its occurrence number among identical rows in the document. Two
 *   identical rows get two ids; re-normalising the same document, in any row or block
 *   order, gives the same ids, so a re-sync never duplicates.
 *
 * Pure and total: unreadable rows are listed in `skipped`, never thrown.
 */
export function normaliseBankTransactions(doc: BankTransactionsInput): TransactionsResult {
  const transactions: Transaction[] = [];
  const skipped: Skipped[] = [];
  const occurrences = new OccurrenceCounter();
  doc.bankTransactions.forEach((block, blockIndex) => {
    // The bank name is text from a third party too: cleaned and capped like a narration.
    const bank = sanitiseUntrustedText(block.bank, 100) ?? 'Unknown bank';
    const path = `bankTransactions.${blockIndex}.txns`;
    (block.txns ?? []).forEach((row, index) => {
      const skip = (reason: string): void => void skipped.push({ reason, index, path });
      if (!Array.isArray(row)) return skip('row is not a list');
      const cells: readonly unknown[] = row;
      const [amountCell, narrationCell, dateCell, typeCell, modeCell, balanceCell] = cells;
      const amountPaise = readRupees(amountCell);
      if (amountPaise === undefined) return skip('amount missing or unreadable');
      if (amountPaise < 0) return skip('amount is negative (Fi sends unsigned amounts)');
      const date = toIsoDate(dateCell);
      if (date === undefined) return skip('date missing or unreadable');
      const type = bankTypeOf(typeCell);
      if (type === undefined) return skip('unknown transaction type');
      const balancePaise = balanceCell === undefined || balanceCell === null || balanceCell === '' ? undefined : readRupees(balanceCell);
      const mode = sanitiseUntrustedText(modeCell, 40)?.toUpperCase();
      const rawNarration = typeof narrationCell === 'string' ? narrationCell : null;
      const narration = sanitiseUntrustedText(rawNarration);
      const key = JSON.stringify([bank, date, amountPaise, type, rawNarration, mode ?? null, balancePaise ?? null]);
      const txn: Transaction = {
        id: contentId('bank-txn', [key, occurrences.next(key)]),
        kind: 'bank',
        accountKey: bank,
        date,
        direction: DIRECTION[type],
        type,
        amountPaise,
        currency: DEFAULT_CURRENCY,
        ...(mode === undefined ? {} : { mode }),
        ...(narration === undefined ? {} : { narration }),
        ...(balancePaise === undefined ? {} : { balancePaise }),
      };
      transactions.push(txn);
    });
  });
  return { transactions, skipped };
}
