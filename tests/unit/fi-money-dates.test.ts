import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decimalToPaise, moneyToPaise, multiplyPaise, sumPaise, type MoneyInput } from '../../shared/domain/money.js';
import { toIsoDate, toIsoTimestamp } from '../../shared/domain/dates.js';
import { sha256Hex, utf8Encode } from '../../shared/domain/sha256.js';
import { contentId, maskIdentifier, OccurrenceCounter, sanitiseUntrustedText } from '../../shared/domain/fi/index.js';

describe('moneyToPaise', () => {
  it.each<[string, MoneyInput, number, string]>([
    ['{} is zero rupees', {}, 0, 'INR'],
    ['currency alone is zero', { currencyCode: 'INR' }, 0, 'INR'],
    ['missing currency is INR', { units: '84250', nanos: 500000000 }, 8425050, 'INR'],
    ['whole rupees', { currencyCode: 'INR', units: '12' }, 1200, 'INR'],
    ['numeric units', { units: 12 }, 1200, 'INR'],
    ['nanos only', { nanos: 990000000 }, 99, 'INR'],
    ['negative, same sign', { units: '-1234', nanos: -500000000 }, -123450, 'INR'],
    ['negative nanos only', { units: '0', nanos: -250000000 }, -25, 'INR'],
    ['rounds half away from zero', { units: '1', nanos: 5000000 }, 101, 'INR'],
    ['rounds half away from zero (negative)', { units: '-1', nanos: -5000000 }, -101, 'INR'],
    ['rounds down below half', { units: '1', nanos: 4999999 }, 100, 'INR'],
    ['rounds up above half', { units: '1', nanos: 994999999 }, 199, 'INR'],
    ['mixed signs are added as given', { units: '1', nanos: -500000000 }, 50, 'INR'],
    ['USD cents', { currencyCode: 'USD', units: '187', nanos: 420000000 }, 18742, 'USD'],
    ['lower-case currency', { currencyCode: 'usd', units: '1' }, 100, 'USD'],
    ['large but safe', { units: '90071992547409' }, 9007199254740900, 'INR'],
  ])('%s', (_name, money, paise, currency) => {
    expect(moneyToPaise(money)).toEqual({ paise, currency });
  });

  it.each<[string, MoneyInput]>([
    ['fractional units text', { units: '12.5' }],
    ['letters', { units: 'abc' }],
    ['fractional nanos', { units: '1', nanos: 0.5 }],
    ['beyond safe integers', { units: '90071992547410' }],
    ['unsafe numeric units', { units: 2 ** 60 }],
  ])('refuses %s without throwing', (_name, money) => {
    expect(moneyToPaise(money)).toBeUndefined();
  });
});

describe('decimalToPaise', () => {
  it.each<[string | number, number]>([
    ['1234.56', 123456],
    ['1234.5', 123450],
    ['1234', 123400],
    ['0.005', 1],
    ['0.0049', 0],
    ['-0.005', -1],
    ['-12.345', -1235],
    ['1,23,456.78', 12345678],
    [' 42 ', 4200],
    ['.5', 50],
    ['7.', 700],
    [1.005, 101],
    [0.1 + 0.2, 30],
    [45.12, 4512],
    [-3.999, -400],
    [1e-7, 0],
    [0, 0],
  ])('%s rupees is %i paise', (value, paise) => {
    expect(decimalToPaise(value)).toBe(paise);
  });

  it.each<[string | number]>([[''], ['abc'], ['1.2.3'], ['-'], ['.'], [Number.NaN], [Number.POSITIVE_INFINITY], [1e22], ['123456789012345678901234']])('refuses %s', (value) => {
    expect(decimalToPaise(value)).toBeUndefined();
  });

  it('multiplies quantities by prices to the nearest paisa, never -0', () => {
    expect(multiplyPaise(110.824, 4512)).toBe(500038);
    expect(multiplyPaise(3, 19999)).toBe(59997);
    expect(Object.is(multiplyPaise(-0.1, 1), 0)).toBe(true);
    expect(multiplyPaise(1e300, 1e300)).toBeUndefined();
  });

  it('sums exactly and refuses unsafe totals', () => {
    expect(sumPaise([1, 2, -3, 10])).toBe(10);
    expect(sumPaise([Number.MAX_SAFE_INTEGER, 1])).toBeUndefined();
  });
});

describe('dates', () => {
  it.each<[unknown, string | undefined]>([
    ['2025-07-09', '2025-07-09'],
    ['09-07-2025', '2025-07-09'],
    ['09/07/2025', '2025-07-09'],
    ['20250709', '2025-07-09'],
    ['2025-07-09T15:29:19Z', '2025-07-09'],
    ['2025-06-19T18:30:00Z', '2025-06-20'], // midnight IST
    ['2025-06-19T18:29:59.999Z', '2025-06-19'],
    ['2025-07-09T23:00:00+05:30', '2025-07-09'],
    ['2025-07-09T15:29:19.123456789Z', '2025-07-09'],
    ['29-02-2024', '2024-02-29'],
    ['29-02-2023', undefined],
    ['31-04-2025', undefined],
    ['20251301', undefined],
    ['NOT AVAILABLE', undefined],
    ['', undefined],
    ['2025-7-9', undefined],
    [20250709, undefined],
    [undefined, undefined],
  ])('toIsoDate(%j) is %j', (value, expected) => {
    expect(toIsoDate(value)).toBe(expected);
  });

  it.each<[unknown, string | undefined]>([
    ['2025-07-09T15:29:19Z', '2025-07-09T15:29:19.000Z'],
    ['2025-07-09T15:29:19.5Z', '2025-07-09T15:29:19.500Z'],
    ['2025-07-09T15:29:19.123456789Z', '2025-07-09T15:29:19.123Z'],
    ['2025-07-09T20:59:19+05:30', '2025-07-09T15:29:19.000Z'],
    ['2025-07-09T20:59:19+0530', '2025-07-09T15:29:19.000Z'],
    ['2025-07-09T15:29', '2025-07-09T15:29:00.000Z'],
    ['2025-07-09', '2025-07-08T18:30:00.000Z'],
    ['2025-07-09T24:00:00Z', undefined],
    ['2025-02-30T10:00:00Z', undefined],
    ['yesterday', undefined],
  ])('toIsoTimestamp(%j) is %j', (value, expected) => {
    expect(toIsoTimestamp(value)).toBe(expected);
  });
});

describe('sha256Hex', () => {
  it.each<[string, string]>([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
    ['a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ])('matches the published vector for %#', (input, digest) => {
    expect(sha256Hex(input)).toBe(digest);
  });

  // Lengths around the 55/56/64-byte padding boundaries, and text beyond ASCII.
  const samples = [
    ...[0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000].map((n) => 'x'.repeat(n)),
    'नमस्ते ₹1,00,000',
    'emoji 😀 and 𝄞',
    'lone \ud800 surrogate and \udc00 too',
    'nul\u0000byte',
  ];
  it.each(samples.map((s) => [s.length, s] as const))('agrees with node:crypto on a %i-unit string', (_len, s) => {
    expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
    expect(Buffer.from(utf8Encode(s)).equals(Buffer.from(s, 'utf8'))).toBe(true);
  });

  it('hashes bytes as given', () => {
    expect(sha256Hex(Uint8Array.from([0x61, 0x62, 0x63]))).toBe(sha256Hex('abc'));
  });
});

describe('ids and untrusted text', () => {
  it('derives 20-hex ids that depend on every part and on how parts split', () => {
    const id = contentId('bank-txn', ['a', 1]);
    expect(id).toMatch(/^[0-9a-f]{20}$/);
    expect(contentId('bank-txn', ['a', 1])).toBe(id);
    expect(contentId('bank-txn', ['a', 2])).not.toBe(id);
    expect(contentId('mf-txn', ['a', 1])).not.toBe(id);
    expect(contentId('x', ['ab', 'c'])).not.toBe(contentId('x', ['a', 'bc']));
  });

  it('counts occurrences per key', () => {
    const c = new OccurrenceCounter();
    expect([c.next('a'), c.next('b'), c.next('a'), c.next('a')]).toEqual([0, 0, 1, 2]);
  });

  it.each<[unknown, string | undefined]>([
    ['UPI/DR/123/Cafe', 'UPI/DR/123/Cafe'],
    ['line\nbreak\r\nand\ttab', 'line break and tab'],
    ['bell\u0007 esc\u001b[31m red', 'bell esc[31m red'],
    ['c1\u0085next\u009bx', 'c1 nextx'],
    ['bidi \u202eevil\u202c zero\u200bwidth', 'bidi evil zerowidth'],
    ['  spaced   out  ', 'spaced out'],
    ['\u0000\u0001', undefined],
    ['', undefined],
    [42, undefined],
  ])('sanitiseUntrustedText(%j) is %j', (value, expected) => {
    expect(sanitiseUntrustedText(value)).toBe(expected);
  });

  it('caps at 500 units without splitting a character', () => {
    expect(sanitiseUntrustedText('a'.repeat(10_000))).toHaveLength(500);
    const capped = sanitiseUntrustedText('a' + '😀'.repeat(400)) ?? '';
    expect(capped.length).toBeLessThanOrEqual(500);
    expect(capped.length).toBe(499);
    expect(capped.endsWith('😀')).toBe(true);
  });

  it.each<[unknown, string]>([
    ['XXXXXX4821', 'XX4821'],
    ['4111 11XX XXXX 1111', 'XX1111'],
    ['12345678901234', 'XX1234'],
    ['XXXX21', 'XX21'],
    ['MHBAN00123450000067890', 'XX7890'],
    [undefined, 'XX'],
    ['XXXXXXXX', 'XX'],
  ])('maskIdentifier(%j) is %j', (value, expected) => {
    expect(maskIdentifier(value)).toBe(expected);
  });
});
