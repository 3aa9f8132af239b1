import { DEFAULT_CURRENCY, multiplyPaise, type Paise } from '../money.js';
import { toIsoDate } from '../dates.js';
import { contentId, OccurrenceCounter } from './ids.js';
import type { MfTransactionsInput, StockTransactionsInput } from './input.js';
import { readMoney, readNumber, readRupees, readString } from './read.js';
import { sanitiseUntrustedText } from './text.js';
import type { InvestmentTransactionType, Skipped, Transaction, TransactionDirection, TransactionsResult } from './types.js';

/** Fi's order type codes (1-based): MF uses BUY and SELL, stocks all four. */
const ORDER_TYPES: readonly InvestmentTransactionType[] = ['BUY', 'SELL', 'BONUS', 'SPLIT'];

/** From the user's cash point of view: buying spends, selling receives, the rest moves no cash. */
const DIRECTION: Readonly<Record<InvestmentTransactionType, TransactionDirection>> = { BUY: 'debit', SELL: 'credit', BONUS: 'other', SPLIT: 'other' };

/** An order type given as a code (`1`, `"2"`) or a name (`"BUY"`, `"EXTERNAL_ORDER_TYPE_SELL"`). */
export function orderTypeOf(cell: unknown, allowed: readonly InvestmentTransactionType[]): InvestmentTransactionType | undefined {
  const text = readString(cell)?.toUpperCase();
  if (text === undefined) return undefined;
  const type = /^\d+$/.test(text) ? ORDER_TYPES[Number(text) - 1] : ORDER_TYPES.find((t) => text === t || text.endsWith(`_${t}`));
  return type !== undefined && allowed.includes(type) ? type : undefined;
}

interface InvestmentRow {
  readonly kind: 'mf' | 'stock';
  readonly accountKey: string;
  readonly date: string;
  readonly type: InvestmentTransactionType;
  readonly units?: number | undefined;
  readonly amountPaise: Paise;
  readonly pricePaise?: Paise | undefined;
  readonly currency: string;
  readonly mode?: string | undefined;
  readonly schemeName?: string | undefined;
}

/**
 * Turns a read row into a transaction whose id hashes its content (account key, date, type,
 * units, amount, price) and its occurrence among identical rows: stable under re-ordering,
 * distinct for duplicates, and the same for both MF document shapes.
 */
function toTransaction(row: InvestmentRow, occurrences: OccurrenceCounter): Transaction {
  const key = JSON.stringify([row.accountKey, row.date, row.type, row.units ?? null, row.amountPaise, row.pricePaise ?? null]);
  return {
    id: contentId(`${row.kind}-txn`, [key, occurrences.next(key)]),
    kind: row.kind,
    accountKey: row.accountKey,
    date: row.date,
    direction: DIRECTION[row.type],
    type: row.type,
    amountPaise: row.amountPaise,
    currency: row.currency,
    ...(row.mode === undefined ? {} : { mode: row.mode }),
    ...(row.units === undefined ? {} : { units: row.units }),
    ...(row.pricePaise === undefined ? {} : { pricePaise: row.pricePaise }),
    ...(row.schemeName === undefined ? {} : { schemeName: row.schemeName }),
  };
}

const abs = (n: number | undefined): number | undefined => (n === undefined ? undefined : Math.abs(n) + 0);

/**
 * Normalises `fetch_mf_transactions` in either shape (both are read when both occur):
 * the current `mfTransactions[]` blocks of positional rows
 * `[orderType (1 BUY, 2 SELL), date, purchasePrice, purchaseUnits, transactionAmount]`, and
 * the older `transactions[]` objects (Money prices and amounts, ISO dates taken as the IST
 * calendar day). Account key: `isin:folio`. Amounts and units are unsigned (the type says
 * which way they went); a missing amount is units x price. Rows without a readable type,
 * date or amount are listed in `skipped`. Pure and total; ids as `normaliseBankTransactions`.
 */
export function normaliseMfTransactions(doc: MfTransactionsInput): TransactionsResult {
  const transactions: Transaction[] = [];
  const skipped: Skipped[] = [];
  const occurrences = new OccurrenceCounter();

  (doc.mfTransactions ?? []).forEach((block, blockIndex) => {
    const isin = readString(block.isin) ?? 'UNKNOWN';
    const folio = readString(block.folioId) ?? '';
    const schemeName = sanitiseUntrustedText(block.schemeName, 200);
    const path = `mfTransactions.${blockIndex}.txns`;
    (block.txns ?? []).forEach((row, index) => {
      const skip = (reason: string): void => void skipped.push({ reason, index, path });
      if (!Array.isArray(row)) return skip('row is not a list');
      const [typeCell, dateCell, priceCell, unitsCell, amountCell] = row as readonly unknown[];
      const type = orderTypeOf(typeCell, ['BUY', 'SELL']);
      if (type === undefined) return skip('unknown order type');
      const date = toIsoDate(dateCell);
      if (date === undefined) return skip('date missing or unreadable');
      const pricePaise = abs(readRupees(priceCell));
      const units = abs(readNumber(unitsCell));
      const amountPaise = abs(readRupees(amountCell)) ?? (units !== undefined && pricePaise !== undefined ? multiplyPaise(units, pricePaise) : undefined);
      if (amountPaise === undefined) return skip('amount missing or unreadable');
      transactions.push(toTransaction({ kind: 'mf', accountKey: `${isin}:${folio}`, date, type, units, amountPaise, pricePaise, currency: DEFAULT_CURRENCY, schemeName }, occurrences));
    });
  });

  (doc.transactions ?? []).forEach((row, index) => {
    const skip = (reason: string): void => void skipped.push({ reason, index, path: 'transactions' });
    const type = orderTypeOf(row.externalOrderType, ['BUY', 'SELL']);
    if (type === undefined) return skip('unknown order type');
    const date = toIsoDate(row.transactionDate);
    if (date === undefined) return skip('date missing or unreadable');
    const price = readMoney(row.purchasePrice);
    const amount = readMoney(row.transactionAmount);
    const units = abs(readNumber(row.transactionUnits));
    const pricePaise = abs(price?.paise);
    const amountPaise = abs(amount?.paise) ?? (units !== undefined && pricePaise !== undefined ? multiplyPaise(units, pricePaise) : undefined);
    if (amountPaise === undefined) return skip('amount missing or unreadable');
    const isin = readString(row.isinNumber) ?? 'UNKNOWN';
    const folio = readString(row.folioId) ?? '';
    transactions.push(
      toTransaction(
        {
          kind: 'mf',
          accountKey: `${isin}:${folio}`,
          date,
          type,
          units,
          amountPaise,
          pricePaise,
          currency: amount?.currency ?? price?.currency ?? DEFAULT_CURRENCY,
          mode: sanitiseUntrustedText(row.transactionMode, 40),
          schemeName: sanitiseUntrustedText(row.schemeName, 200),
        },
        occurrences,
      ),
    );
  });

  return { transactions, skipped };
}

/**
 * Normalises `fetch_stock_transactions`: positional rows `[type (1 BUY, 2 SELL, 3 BONUS,
 * 4 SPLIT), date, quantity, price?]` per ISIN. The amount is quantity x price, or 0 when
 * the price is absent (bonus and split rows carry none). Pure and total; rows without a
 * readable type, date or quantity are listed in `skipped`; ids as `normaliseBankTransactions`.
 */
export function normaliseStockTransactions(doc: StockTransactionsInput): TransactionsResult {
  const transactions: Transaction[] = [];
  const skipped: Skipped[] = [];
  const occurrences = new OccurrenceCounter();
  doc.stockTransactions.forEach((block, blockIndex) => {
    const isin = readString(block.isin) ?? 'UNKNOWN';
    const path = `stockTransactions.${blockIndex}.txns`;
    (block.txns ?? []).forEach((row, index) => {
      const skip = (reason: string): void => void skipped.push({ reason, index, path });
      if (!Array.isArray(row)) return skip('row is not a list');
      const [typeCell, dateCell, quantityCell, priceCell] = row as readonly unknown[];
      const type = orderTypeOf(typeCell, ORDER_TYPES);
      if (type === undefined) return skip('unknown order type');
      const date = toIsoDate(dateCell);
      if (date === undefined) return skip('date missing or unreadable');
      const units = abs(readNumber(quantityCell));
      if (units === undefined) return skip('quantity missing or unreadable');
      const pricePaise = priceCell === undefined || priceCell === null || priceCell === '' ? undefined : abs(readRupees(priceCell));
      const amountPaise = pricePaise === undefined ? 0 : multiplyPaise(units, pricePaise);
      if (amountPaise === undefined) return skip('amount out of range');
      transactions.push(toTransaction({ kind: 'stock', accountKey: isin, date, type, units, amountPaise, pricePaise, currency: DEFAULT_CURRENCY }, occurrences));
    });
  });
  return { transactions, skipped };
}
