/** Longest third-party text we keep (narrations, lender names), in UTF-16 units. */
export const MAX_UNTRUSTED_TEXT = 500;

/** Code points that render nothing but can reorder or hide text (bidi controls, zero-width). */
const INVISIBLE = new Set([0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff]);
/** Line breaks of every kind, turned into spaces so that words do not merge. */
const BREAKS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x85, 0x2028, 0x2029]);

/**
 * Cleans untrusted third-party text for storage and for the model: line breaks and tabs
 * become spaces, other control characters (C0, DEL, C1), bidi overrides and zero-width
 * characters are removed, lone surrogates become U+FFFD, runs of whitespace collapse, and
 * the result is cut to `max` UTF-16 units without splitting a character. Returns
 * `undefined` for non-strings and for text that is empty once cleaned. Pure; never throws.
 */
export function sanitiseUntrustedText(value: unknown, max = MAX_UNTRUSTED_TEXT): string | undefined {
  if (typeof value !== 'string') return undefined;
  let out = '';
  let pendingSpace = false;
  for (const ch of value) {
    let cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (BREAKS.has(cp) || cp === 0x20 || cp === 0xa0 || cp === 0x3000) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || INVISIBLE.has(cp)) continue;
    const piece = (pendingSpace ? ' ' : '') + String.fromCodePoint(cp);
    if (out.length + piece.length > max) break;
    out += piece;
    pendingSpace = false;
  }
  return out === '' ? undefined : out;
}

/**
 * `XX` followed by the last four digits of an account number as Fi masks it
 * (`XXXXXX4821` -> `XX4821`), or by the last four letters/digits when it holds fewer than
 * four digits (member ids, UANs); just `XX` when nothing is visible. Never returns more.
 */
export function maskIdentifier(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return 'XX';
  const text = String(value);
  const digits = text.replace(/\D/g, '');
  if (digits.length >= 4) return `XX${digits.slice(-4)}`;
  const visible = text.replace(/[^0-9A-Za-z]/g, '').replace(/^X+/i, '');
  return `XX${visible.slice(-4)}`;
}
