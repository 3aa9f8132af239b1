/**
 * Money in the core is integer paise (1 rupee = 100 paise) held in a JavaScript number that
 * is always a safe integer, plus an ISO currency code. Conversions here never go through
 * binary floating point for the digits they keep: decimal text is parsed digit by digit and
 * rounded half away from zero to the paisa.
 */

/** Integer paise (or cents, for USD amounts); always a safe integer. */
export type Paise = number;

/** The currency Fi means when it leaves `currencyCode` out. */
export const DEFAULT_CURRENCY = 'INR';

/** Fi's money value as it arrives: `{currencyCode?, units?: "<int>" | int, nanos?: int}`. */
export interface MoneyInput {
  readonly currencyCode?: string | undefined;
  readonly units?: string | number | undefined;
  readonly nanos?: number | undefined;
}

export interface MoneyAmount {
  readonly paise: Paise;
  readonly currency: string;
}

const toSafe = (big: bigint): Paise | undefined =>
  big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : undefined;

/** `round(nanos / 1e7)` with ties away from zero, in integers (no float division). */
function nanosToPaise(nanos: number): number {
  const magnitude = Math.abs(nanos);
  const whole = Math.floor(magnitude / 10_000_000);
  const rest = magnitude - whole * 10_000_000;
  const rounded = whole + (rest >= 5_000_000 ? 1 : 0);
  return nanos < 0 ? -rounded : rounded;
}

/**
 * Converts Fi money to integer paise: `units*100 + round(nanos/1e7)` (ties away from zero;
 * a negative amount carries its sign on units and nanos, and mixed signs are added as given).
 * A missing currency is INR; a missing `units` or `nanos` is 0, so `{}` is zero rupees.
 * Returns `undefined` (never throws) when units are not an integer, nanos are not an
 * integer, or the result is not a safe integer.
 */
export function moneyToPaise(money: MoneyInput): MoneyAmount | undefined {
  const currency = typeof money.currencyCode === 'string' && money.currencyCode.trim() !== '' ? money.currencyCode.trim().toUpperCase() : DEFAULT_CURRENCY;
  let units: bigint;
  if (money.units === undefined) units = 0n;
  else if (typeof money.units === 'number') {
    if (!Number.isSafeInteger(money.units)) return undefined;
    units = BigInt(money.units);
  } else {
    const text = money.units.trim();
    if (!/^[+-]?\d{1,30}$/.test(text)) return undefined;
    units = BigInt(text);
  }
  const nanos = money.nanos ?? 0;
  if (!Number.isSafeInteger(nanos)) return undefined;
  const paise = toSafe(units * 100n + BigInt(nanosToPaise(nanos)));
  return paise === undefined ? undefined : { paise, currency };
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/**
 * Parses a decimal amount in rupees (`"1234.5"`, `"-12"`, `"1,23,456.78"`, or a JSON number)
 * into integer paise, rounding half away from zero beyond two decimals. Returns `undefined`
 * for anything else (empty text, letters, NaN, infinities, unsafe magnitudes); never throws.
 */
export function decimalToPaise(value: string | number): Paise | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
    // String() switches to exponent notation below 1e-6 and above 1e21; only the former is usable.
    if (/e/i.test(text)) {
      if (Math.abs(value) >= 1) return undefined;
      text = value.toFixed(20);
    }
  } else {
    text = value.trim().replace(/[,_\s]/g, '');
  }
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? '';
  if (intDigits === '' && fracDigits === '') return undefined;
  if (intDigits.length > 20) return undefined;
  const cents = BigInt((intDigits || '0') + fracDigits.padEnd(2, '0').slice(0, 2));
  const roundUp = (fracDigits[2] ?? '0') >= '5' ? 1n : 0n;
  const magnitude = cents + roundUp;
  return toSafe(m[1] === '-' ? -magnitude : magnitude);
}

/**
 * Multiplies a (possibly fractional) quantity by a price in paise and rounds the product to
 * the nearest paisa. Returns `undefined` when the result is not a finite safe integer.
 */
export function multiplyPaise(quantity: number, pricePaise: Paise): Paise | undefined {
  const product = quantity * pricePaise;
  if (!Number.isFinite(product)) return undefined;
  const rounded = Math.sign(product) * Math.round(Math.abs(product));
  return Number.isSafeInteger(rounded) ? rounded + 0 : undefined;
}

/** Sums paise exactly; `undefined` if the sum leaves the safe-integer range. */
export function sumPaise(values: Iterable<Paise>): Paise | undefined {
  let total = 0;
  for (const v of values) {
    total += v;
    if (!Number.isSafeInteger(total)) return undefined;
  }
  return total;
}
