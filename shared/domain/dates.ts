/**
 * Dates as Fi writes them, normalised: calendar dates become `YYYY-MM-DD`, instants become
 * canonical UTC ISO strings (`2025-07-09T15:29:19.000Z`). Every function is total: text it
 * cannot read (including Fi's `"NOT AVAILABLE"`) gives `undefined`.
 */

/** India has one time zone and no daylight saving: UTC+05:30. */
export const IST_OFFSET_MINUTES = 330;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

function formatDate(y: number, m: number, d: number): string | undefined {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Epoch milliseconds of an ISO-8601 timestamp (no zone means UTC), or undefined. */
function timestampMillis(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (formatDate(y, mo, d) === undefined || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 14 || om > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000;
}

/**
 * Normalises any of Fi's date forms to a calendar date `YYYY-MM-DD`:
 * `YYYY-MM-DD`, `DD-MM-YYYY` (EPF; `/` also accepted), `YYYYMMDD` (credit report), and ISO
 * timestamps. A timestamp gives the date it falls on in India (IST), since that is the
 * date the user saw: `2025-06-19T18:30:00Z` is `2025-06-20`. Invalid calendar dates
 * (e.g. 31-02-2024) and anything else give `undefined`.
 */
export function toIsoDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) return formatDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{2})[-/](\d{2})[-/](\d{4})$/.exec(text);
  if (m) return formatDate(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) return formatDate(Number(m[1]), Number(m[2]), Number(m[3]));
  const millis = timestampMillis(text);
  if (millis === undefined) return undefined;
  const ist = new Date(millis + IST_OFFSET_MINUTES * 60_000);
  return formatDate(ist.getUTCFullYear(), ist.getUTCMonth() + 1, ist.getUTCDate());
}

/**
 * Normalises an ISO-8601 timestamp (`Z`, `+05:30`, `+0530` or no zone, meaning UTC; any
 * number of fractional digits) to the canonical UTC form `YYYY-MM-DDTHH:MM:SS.sssZ`.
 * A date-only value gives midnight IST of that date. Anything else gives `undefined`.
 */
export function toIsoTimestamp(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const millis = timestampMillis(text);
  if (millis !== undefined) return new Date(millis).toISOString();
  const date = toIsoDate(text);
  if (date === undefined) return undefined;
  return new Date(Date.parse(`${date}T00:00:00Z`) - IST_OFFSET_MINUTES * 60_000).toISOString();
}
