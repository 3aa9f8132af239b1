import { decimalToPaise, moneyToPaise, type MoneyInput, type Paise } from '../money.js';

/** Small total readers for Fi's loosely typed leaves; each returns `undefined` rather than throwing. */

/** A trimmed non-empty string from a string or number. */
export function readString(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' ? undefined : t;
}

/** A finite number from a JSON number or numeric text (`"12.5"`, `"1,200"`). */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const t = value.trim().replace(/,/g, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** An integer from a JSON number or digits; `undefined` for fractions and text. */
export function readInteger(value: unknown): number | undefined {
  const n = readNumber(value);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

/** Rupees as a decimal (number or text) to paise. */
export function readRupees(value: unknown): Paise | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  return decimalToPaise(value);
}

/** Fi money to paise and currency; a missing value is `undefined` (not zero). */
export function readMoney(value: MoneyInput | undefined): { paise: Paise; currency: string } | undefined {
  return value === undefined ? undefined : moneyToPaise(value);
}

/** A copy without `undefined` properties, so optional fields are absent rather than undefined (Firestore rejects undefined). */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
