/**
 * Text safety for the AI features, both ways:
 * - `untrustedText`: third-party text (bank narrations, merchant and lender names, employer
 *   names) made fit to sit in a tool result: one short line of plain data, nothing that
 *   renders, links, hides or reorders text, and no full identifiers.
 * - `maskSensitive`: PAN, Aadhaar, account/card/phone numbers, dates of birth, e-mail and UPI
 *   ids masked, leaving money and ordinary dates alone.
 * - `safeAnswer`: what the user is shown of a model answer: markdown without images, links,
 *   URLs or HTML, no control characters, sensitive identifiers masked.
 *
 * None of this tries to recognise instructions by their wording ("ignore previous
 * instructions", "[SYSTEM]", "Assistant:"): that is a losing game. The defence is structural:
 * third-party text is capped, single-line data inside a JSON field of a tool result, with no
 * markup that could render, link or fetch, and answers render no links or images at all.
 * Pure: no clock, no I/O; every function is total and never throws.
 */

/** Longest input `untrustedText` reads; what follows is dropped (the result is far shorter). */
const MAX_UNTRUSTED_INPUT = 20_000;

/** What replaces a URL or a link's target (answers drop the target and keep the label). */
export const LINK_REMOVED = '[link removed]';
/** What replaces a markdown image in third-party text (answers drop images without a trace). */
export const IMAGE_REMOVED = '[image removed]';

interface Cleaned {
  readonly text: string;
  readonly removed: number;
}

const FORMAT_CHAR = /^\p{Cf}$/u;

/**
 * Removes control characters (C0, DEL, C1), terminal escape sequences (`ESC [ ... m`,
 * `ESC ] ... BEL`), format characters (zero-width, bidi embeddings, overrides and isolates,
 * soft hyphen, Unicode tag characters) and turns lone surrogates into U+FFFD. Line breaks
 * (`\r\n`, `\r`, `\n`, U+2028, U+2029, U+0085, `\v`, `\f`) become `\n` when `keepLines`,
 * else spaces; tabs become spaces unless `keepLines`. Counts what it removed.
 */
function cleanCharacters(text: string, keepLines: boolean): Cleaned {
  let out = '';
  let removed = 0;
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i += 1) {
    const ch = chars[i] ?? '';
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x1b) {
      // ESC: drop the whole sequence. CSI: ESC [ params final(0x40-0x7e); OSC: ESC ] ... BEL | ESC \.
      removed += 1;
      const next = chars[i + 1];
      if (next === '[') {
        i += 1;
        while (i + 1 < chars.length) {
          i += 1;
          const c = chars[i]?.codePointAt(0) ?? 0;
          if (c >= 0x40 && c <= 0x7e) break;
        }
      } else if (next === ']') {
        i += 1;
        while (i + 1 < chars.length) {
          i += 1;
          if (chars[i] === '\u0007') break;
          if (chars[i] === '\u001b' && chars[i + 1] === '\\') {
            i += 1;
            break;
          }
        }
      } else if (next !== undefined) i += 1;
      continue;
    }
    if (cp === 0x0d) {
      if (chars[i + 1] === '\n') continue;
      out += keepLines ? '\n' : ' ';
      continue;
    }
    if (cp === 0x0a || cp === 0x0b || cp === 0x0c || cp === 0x85 || cp === 0x2028 || cp === 0x2029) {
      out += keepLines ? '\n' : ' ';
      continue;
    }
    if (cp === 0x09) {
      out += keepLines ? '\t' : ' ';
      continue;
    }
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || FORMAT_CHAR.test(ch)) {
      removed += 1;
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\ufffd';
      continue;
    }
    out += ch;
  }
  return { text: out, removed };
}

// ---------------------------------------------------------------------------------------------
// Markup and links. Quantifiers are bounded so that work stays linear in the text's length.

/** `[label](target)`, the label allowing one level of nested brackets, the target one of parens. */
const LABEL = String.raw`\[((?:[^\[\]]|\[[^\[\]]{0,500}\]){0,1000})\]`;
const TARGET = String.raw`\((?:[^()\n]|\([^()\n]{0,500}\)){0,2000}\)`;
const INLINE_IMAGE = new RegExp(String.raw`!${LABEL}${TARGET}`, 'g');
const REFERENCE_IMAGE = new RegExp(String.raw`!${LABEL}\[[^\[\]\n]{0,200}\]`, 'g');
const INLINE_LINK = new RegExp(`${LABEL}${TARGET}`, 'g');
const REFERENCE_LINK = new RegExp(String.raw`${LABEL}\[[^\[\]\n]{1,200}\]`, 'g');
/** `[ref]: https://...` link definitions, on a line of their own. */
const LINK_DEFINITION = /^[ \t]{0,3}\[(?!(?:link|image) removed\]|[A-Za-z ]{1,10} masked\])[^\]\n]{1,200}\]:[ \t]*\S[^\n]{0,2000}$/gm;
/** `<https://...>` and `<mailto:...>` autolinks. */
const AUTOLINK = /<[a-z][a-z0-9+.-]{1,31}:[^\s<>]{0,2000}>/gi;
/** An unterminated comment or script-like block runs to the end of the text (fail closed, and linear). */
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const HTML_BLOCK = /<(script|style|iframe|object|embed|svg|math|template|noscript|textarea|title)\b[^<>]{0,2000}>[\s\S]*?(?:<\/\1\s{0,10}>|$)/gi;
const HTML_TAG = /<\/?[a-zA-Z][a-zA-Z0-9-]{0,30}(?:\s[^<>]{0,2000})?\/?>|<![a-zA-Z][^<>]{0,2000}>|<\?[^<>]{0,2000}\?>/g;
const ANGLE_BRACKETS = /[<>＜＞‹›〈〉《》]/g;

/** Trailing punctuation that ends the sentence rather than the URL. */
const URL_TRAILER = /[.,;:!?'"”’]+$/;
const URL_PATTERNS: readonly RegExp[] = [
  /[a-z][a-z0-9+.-]{0,31}:\/\/[^\s<>"'`]{0,2000}/gi,
  /\b(?:javascript|vbscript|data|mailto|tel|file|blob|sms|intent):[^\s<>"'`]{1,2000}/gi,
  /\bwww\d{0,3}\.[^\s<>"'`]{1,2000}/gi,
  // A host with a path (`evil.example/claim?token=abc`); a bare host (`Amazon.in`) stays.
  /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,10}[a-z]{2,24}(?::\d{2,5})?\/[^\s<>"'`]{0,2000}/gi,
];

/** `text.replace(re, by)` that also counts the replacements; `by` gets the match and its groups ('' when unmatched). */
function replaceAll(text: string, re: RegExp, by: string | ((match: string, ...groups: string[]) => string)): Cleaned {
  let removed = 0;
  const out = text.replace(re, (match: string, ...rest: unknown[]) => {
    removed += 1;
    if (typeof by === 'string') return by;
    // rest = [...groups, offset, input] (none of our patterns has named groups).
    const groups = rest.slice(0, -2).map((g) => (typeof g === 'string' ? g : ''));
    return by(match, ...groups);
  });
  return { text: out, removed };
}

/** URLs (with a scheme, `www.`, or a host and a path) replaced by `[link removed]`; trailing punctuation kept. */
function removeUrls(text: string): Cleaned {
  let removed = 0;
  let out = text;
  for (const re of URL_PATTERNS) {
    const step = replaceAll(out, re, (url) => {
      const trailer = URL_TRAILER.exec(url)?.[0] ?? '';
      return LINK_REMOVED + trailer;
    });
    out = step.text;
    removed += step.removed;
  }
  return { text: out, removed };
}

/** HTML comments, script-like blocks with their content, and tags removed; text between tags kept. */
function removeHtml(text: string): Cleaned {
  let removed = 0;
  let out = text;
  for (const re of [HTML_COMMENT, HTML_BLOCK, HTML_TAG]) {
    const step = replaceAll(out, re, '');
    out = step.text;
    removed += step.removed;
  }
  return { text: out, removed };
}

// ---------------------------------------------------------------------------------------------
// Masking

const MONTH_WORD = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DOB = new RegExp(
  String.raw`(\b(?:DOB|D\.O\.B\.?|date[\s_-]{0,3}of[\s_-]{0,3}birth\w{0,30}|birth[\s_-]{0,3}date|born(?:\s{1,3}on)?)["'\s:=\-]{0,6})` +
    String.raw`(\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{8}|\d{1,2}(?:st|nd|rd|th)?[\s-]{1,3}${MONTH_WORD},?[\s-]{1,3}\d{4}|${MONTH_WORD}\s{1,3}\d{1,2}(?:st|nd|rd|th)?,?\s{1,3}\d{4})`,
  'gi',
);
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,10}/g;
/** A UPI id: `name@bank` with no dot after the `@`. */
const UPI_ID = /[A-Za-z0-9._-]{2,64}@[A-Za-z]{2,32}(?![\w.@-])/g;
const PAN = /\b[A-Za-z]{5}\d{4}[A-Za-z]\b/g;
const CARD_GROUPS = /(?<![\d])\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?![\d])/g;
const AADHAAR_GROUPS = /(?<![\d])\d{4}([ -])\d{4}\1\d{4}(?![\d])/g;
const PHONE = /(?<![\w₹])(?:\+91[\s-]?|\b0)?[6-9]\d{4}[\s-]\d{5}(?![\d])/g;
/** 9+ digits in a row, unless they are an amount (after a currency marker, or with decimals). */
const LONG_DIGITS = /(?<!(?:₹|₨|\bRs\.?|\bINR|\bRe\.?)\s?)(?<![\d,.])\d{9,}(?!\d|[,.]\d)/g;

const lastFour = (digits: string): string => `XX${digits.replace(/\D/g, '').slice(-4)}`;

function maskCounted(text: string): Cleaned {
  let removed = 0;
  let out = text;
  const steps: ReadonlyArray<readonly [RegExp, string | ((match: string, ...groups: string[]) => string)]> = [
    [DOB, (_m, label) => `${label}[DOB masked]`],
    [EMAIL, '[email masked]'],
    [UPI_ID, '[UPI ID masked]'],
    [PAN, '[PAN masked]'],
    [CARD_GROUPS, (m) => lastFour(m)],
    [AADHAAR_GROUPS, (m) => `XXXX XXXX ${m.replace(/\D/g, '').slice(-4)}`],
    [PHONE, (m) => lastFour(m)],
    [LONG_DIGITS, (m) => lastFour(m)],
  ];
  for (const [re, by] of steps) {
    const step = replaceAll(out, re, by);
    out = step.text;
    removed += step.removed;
  }
  return { text: out, removed };
}

/**
 * Masks identifiers that must not reach a model, a log or a stored answer:
 * - dates of birth after `DOB`, `D.O.B.`, `date of birth` (also `dateOfBirth...` keys),
 *   `birth date`, `born on`: the date becomes `[DOB masked]`, the label stays;
 * - e-mail addresses -> `[email masked]`; UPI ids (`name@okaxis`) -> `[UPI ID masked]`;
 * - PAN (`ABCDE1234F`) -> `[PAN masked]`;
 * - card numbers in four groups of four -> `XX` + last four; Aadhaar-like `1234 5678 9012`
 *   -> `XXXX XXXX 9012`; Indian mobiles written `98765 43210` / `+91-98765-43210` -> `XX` +
 *   last four;
 * - any other run of 9 or more digits (account, card, phone, UPI reference numbers) -> `XX` +
 *   last four, except amounts: after ₹/Rs/INR/Re, or followed by decimals or a comma group.
 * Money with commas (`₹1,23,45,678`), `YYYY-MM-DD` dates, IFSC codes and short numbers are
 * left alone. Idempotent: masking masked text changes nothing. Never throws.
 */
export function maskSensitive(text: string): string {
  if (typeof text !== 'string') return '';
  return maskCounted(text).text;
}

/**
 * Third-party text (narrations, merchant, lender or employer names) as it may appear in a
 * tool result: control characters, terminal escapes and format characters (zero-width,
 * bidi overrides, tag characters) removed; line breaks and runs of whitespace collapsed to
 * one space; markdown images -> `[image removed]`; markdown links -> their label plus
 * `[link removed]`; URLs (scheme, `www.` or host with a path) -> `[link removed]`; HTML tags
 * removed and any remaining angle bracket dropped; sensitive identifiers masked
 * (`maskSensitive`); then cut to `max` characters (default 80, at least 1) with `…` as the last
 * one, never splitting a surrogate pair. Returns null for non-strings and for text that is
 * empty once cleaned. Words are kept as data: instructions are not recognised or rewritten.
 */
export function untrustedText(value: unknown, max = 80): string | null {
  if (typeof value !== 'string') return null;
  const limit = Number.isFinite(max) ? Math.max(1, Math.floor(max)) : 80;
  const truncatedInput = value.length > MAX_UNTRUSTED_INPUT;
  let text = cleanCharacters(truncatedInput ? value.slice(0, MAX_UNTRUSTED_INPUT) : value, false).text;
  text = text.replace(INLINE_IMAGE, IMAGE_REMOVED).replace(REFERENCE_IMAGE, IMAGE_REMOVED);
  text = text.replace(INLINE_LINK, (_m, label: string) => `${label} ${LINK_REMOVED}`);
  text = removeUrls(text).text;
  text = removeHtml(text).text.replace(ANGLE_BRACKETS, '');
  text = maskCounted(text).text;
  text = text.replace(/\s+/g, ' ').trim();
  if (text === '') return null;
  if (text.length <= limit && !truncatedInput) return text;
  let cut = Math.min(text.length, limit - 1);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}…`;
}

/**
 * What the user is shown of a model answer. Removes: control characters, terminal escapes
 * and format characters (as `untrustedText`, but line breaks and tabs stay); HTML comments,
 * `<script>`/`<style>`/`<iframe>`-like blocks with their content, and every other HTML tag
 * (the text between tags stays); markdown images, inline or by reference, entirely; link
 * definitions (`[x]: url`); links, keeping their label; autolinks and bare URLs (scheme,
 * `www.`, or host with a path) -> `[link removed]`. Masks sensitive identifiers
 * (`maskSensitive`). Keeps everything else: bold, italics, lists, headings, tables, code,
 * `<`/`>` used as comparisons, and ₹ amounts. `removed` counts what was removed, replaced or
 * masked (each character, tag, image, link or identifier counts one). Runs of spaces left
 * behind collapse. Idempotent. Never throws.
 */
export function safeAnswer(text: string): { text: string; removed: number } {
  if (typeof text !== 'string') return { text: '', removed: 0 };
  let removed = 0;
  let out = text;
  // One pass can uncover another construct (`![a](![b](u))`); repeat until nothing changes.
  for (let pass = 0; pass < 5; pass += 1) {
    const step = safeAnswerPass(out);
    removed += step.removed;
    const settled = step.text === out;
    out = step.text;
    if (settled) break;
  }
  return { text: out, removed };
}

function safeAnswerPass(text: string): Cleaned {
  let removed = 0;
  const apply = (step: Cleaned): string => {
    removed += step.removed;
    return step.text;
  };
  let out = apply(cleanCharacters(text, true));
  out = apply(replaceAll(out, AUTOLINK, LINK_REMOVED));
  out = apply(removeHtml(out));
  out = apply(replaceAll(out, INLINE_IMAGE, ''));
  out = apply(replaceAll(out, REFERENCE_IMAGE, ''));
  out = apply(replaceAll(out, LINK_DEFINITION, ''));
  out = apply(replaceAll(out, INLINE_LINK, (_m, label) => label));
  out = apply(replaceAll(out, REFERENCE_LINK, (_m, label) => label));
  out = apply(removeUrls(out));
  out = apply(maskCounted(out));
  out = out
    .replace(/([^\s])[ \t]{2,}/g, '$1 ')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { text: out, removed };
}
