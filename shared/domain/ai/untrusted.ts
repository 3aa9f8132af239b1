/**
 * Text safety for the AI features, both ways:
 * - `untrustedText`: third-party text (bank narrations, merchant and lender names, employer
 *   names) made fit to sit in a tool result: one short line of plain data, nothing that
 *   renders, links, hides or reorders text, and no full identifiers.
 * - `maskSensitive`: PAN, Aadhaar, account/card/phone numbers, dates of birth, e-mail and UPI
 *   ids masked, leaving money and ordinary dates alone.
 * - `safeAnswer`: what the user is shown of a model answer: markdown that no CommonMark or GFM
 *   renderer can turn into a link, an image or an HTML element, no control or invisible
 *   characters, no entity references, sensitive identifiers masked.
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
/** Code points that render as nothing (fillers, joiners, variation selectors, ...): Unicode's Default_Ignorable_Code_Point. */
const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;
const VARIATION_SELECTOR = /^[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]$/u;
/** A character a variation selector legitimately follows: an emoji or other symbol (`⚠️`), or an ideograph. */
const SELECTOR_BASE = /^[\p{So}\p{Lo}]$/u;

/** Receives what `scanCharacters` keeps: `out` stands for `text.slice(from, to)`. */
export type CharacterSink = (out: string, from: number, to: number) => void;

/**
 * The character cleaning `safeAnswer` and `untrustedText` apply, reported piece by piece with
 * where each piece came from (so the grounding check can read exactly the characters the user
 * is shown and still point into the original text). Removes control characters (C0, DEL, C1),
 * terminal escape sequences (`ESC [ ... m`, `ESC ] ... BEL`), format characters (zero-width,
 * bidi embeddings, overrides and isolates, soft hyphen, Unicode tag characters) and every
 * other Default_Ignorable code point (combining grapheme joiner, Hangul fillers, Mongolian
 * selectors, ...), except a variation selector right after a symbol or ideograph (`⚠️`, where
 * it picks the emoji form); turns lone surrogates into U+FFFD. Line breaks (`\r\n`, `\r`, `\n`,
 * U+2028, U+2029, U+0085, `\v`, `\f`) become `\n` when `keepLines`, else spaces; tabs become
 * spaces unless `keepLines`. Returns how many characters or sequences it removed.
 */
export function scanCharacters(text: string, keepLines: boolean, keep: CharacterSink): number {
  let removed = 0;
  let at = 0;
  let previous = '';
  const chars = Array.from(text);
  const emit = (out: string, from: number, to: number): void => {
    previous = out;
    keep(out, from, to);
  };
  for (let i = 0; i < chars.length; i += 1) {
    const ch = chars[i] ?? '';
    const from = at;
    at += ch.length;
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x1b) {
      // ESC: drop the whole sequence. CSI: ESC [ params final(0x40-0x7e); OSC: ESC ] ... BEL | ESC \.
      removed += 1;
      const next = chars[i + 1];
      const step = (): void => {
        i += 1;
        at += (chars[i] ?? '').length;
      };
      if (next === '[') {
        step();
        while (i + 1 < chars.length) {
          step();
          const c = chars[i]?.codePointAt(0) ?? 0;
          if (c >= 0x40 && c <= 0x7e) break;
        }
      } else if (next === ']') {
        step();
        while (i + 1 < chars.length) {
          step();
          if (chars[i] === '\u0007') break;
          if (chars[i] === '\u001b' && chars[i + 1] === '\\') {
            step();
            break;
          }
        }
      } else if (next !== undefined) step();
      continue;
    }
    if (cp === 0x0d) {
      if (chars[i + 1] === '\n') continue;
      emit(keepLines ? '\n' : ' ', from, at);
      continue;
    }
    if (cp === 0x0a || cp === 0x0b || cp === 0x0c || cp === 0x85 || cp === 0x2028 || cp === 0x2029) {
      emit(keepLines ? '\n' : ' ', from, at);
      continue;
    }
    if (cp === 0x09) {
      emit(keepLines ? '\t' : ' ', from, at);
      continue;
    }
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
      removed += 1;
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      emit('\ufffd', from, at);
      continue;
    }
    if (cp >= 0xa0 && (FORMAT_CHAR.test(ch) || IGNORABLE.test(ch)) && !(VARIATION_SELECTOR.test(ch) && SELECTOR_BASE.test(previous))) {
      removed += 1;
      continue;
    }
    emit(ch, from, at);
  }
  return removed;
}

/** `scanCharacters` as a string. */
function cleanCharacters(text: string, keepLines: boolean): Cleaned {
  let out = '';
  const removed = scanCharacters(text, keepLines, (piece) => {
    out += piece;
  });
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
/** `[ref]: https://...` link definitions, on a line of their own, also inside blockquotes (`> [ref]: ...`). */
const LINK_DEFINITION = /^(?:[ \t]{0,3}>[ \t]?){0,10}[ \t]{0,3}\[(?!(?:link|image) removed\]|[A-Za-z ]{1,10} masked\])[^\]\n]{1,200}\]:[ \t]*\S[^\n]{0,2000}$/gm;
/** `<https://...>` and `<mailto:...>` autolinks. */
const AUTOLINK = /<[a-z][a-z0-9+.-]{1,31}:[^\s<>]{0,2000}>/gi;
/** An unterminated comment or script-like block runs to the end of the text (fail closed, and linear). */
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const HTML_BLOCK = /<(script|style|iframe|object|embed|svg|math|template|noscript|textarea|title)\b[^<>]{0,2000}>[\s\S]*?(?:<\/\1\s{0,10}>|$)/gi;
const HTML_TAG = /<\/?[a-zA-Z][a-zA-Z0-9-]{0,30}(?:\s[^<>]{0,2000})?\/?>|<![a-zA-Z][^<>]{0,2000}>|<\?[^<>]{0,2000}\?>/g;
const ANGLE_BRACKETS = /[<>＜＞‹›〈〉《》]/g;

/** Trailing punctuation that ends the sentence rather than the URL. */
const URL_TRAILER_CHARS: ReadonlySet<string> = new Set([...'.,;:!?\'"”’']);
const URL_PATTERNS: readonly RegExp[] = [
  /[a-z][a-z0-9+.-]{0,31}:\/\/[^\s<>"'`]{0,2000}/gi,
  /\b(?:javascript|vbscript|data|mailto|xmpp|tel|file|blob|sms|intent):[^\s<>"'`]{1,2000}/gi,
  // `www.` anywhere, not only at a word start: some renderers (marked) autolink `xwww.host` too.
  /www\d{0,3}\.[^\s<>"'`]{1,2000}/gi,
  // Protocol-relative (`//evil.example?nw=1`, `//203.0.113.7/p.png`): a link destination, and linkified by some renderers.
  /(?<![\p{L}\p{N}_/])\/\/(?=[\p{L}\p{N}])[^\s<>"'`]{1,2000}/giu,
  // A host with a path or a query (`evil.example/claim?token=abc`, `evil.example?nw=1`); a bare host (`Amazon.in`) stays.
  /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,10}[a-z]{2,24}(?::\d{2,5})?(?:\/|[?#](?=[\w%=&+-]))[^\s<>"'`]{0,2000}/gi,
];

// ---------------------------------------------------------------------------------------------
// Entity references. CommonMark renderers decode `&#48;`, `&#x30;` and HTML5 named references
// in text, so what the user sees is the decoded character: answers are decoded once, and any
// reference left (or formed later) is neutralised by turning its `&` into `＆` (U+FF06).

/** A character reference as CommonMark reads one: decimal, hexadecimal or named, with its `;`. */
export const ENTITY_REFERENCE = /&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{0,31}));/g;
const ENTITY_AMPERSAND = /&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)/g;
/** What replaces the `&` of a reference that must not be decoded by the renderer. */
export const NEUTRAL_AMPERSAND = '＆';

/**
 * The named references decoded: markup and number punctuation, spaces, invisible characters,
 * digits in other forms (superscripts, fractions) and currency signs. Any other name is not
 * decoded: `safeAnswer` neutralises it and the grounding check drops it.
 */
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', NonBreakingSpace: '\u00a0',
  ensp: '\u2002', emsp: '\u2003', emsp13: '\u2004', emsp14: '\u2005', numsp: '\u2007', puncsp: '\u2008', thinsp: '\u2009', ThinSpace: '\u2009', hairsp: '\u200a', VeryThinSpace: '\u200a', MediumSpace: '\u205f',
  zwnj: '\u200c', zwj: '\u200d', lrm: '\u200e', rlm: '\u200f', shy: '\u00ad', ZeroWidthSpace: '\u200b', NegativeVeryThinSpace: '\u200b', NegativeThinSpace: '\u200b', NegativeMediumSpace: '\u200b', NegativeThickSpace: '\u200b',
  NoBreak: '\u2060', af: '\u2061', ApplyFunction: '\u2061', it: '\u2062', InvisibleTimes: '\u2062', ic: '\u2063', InvisibleComma: '\u2063', NewLine: '\n', Tab: '\t',
  comma: ',', period: '.', percnt: '%', permil: '‰', colon: ':', semi: ';', sol: '/', bsol: '\\', excl: '!', quest: '?', num: '#', commat: '@', dollar: '$',
  lsqb: '[', lbrack: '[', rsqb: ']', rbrack: ']', lpar: '(', rpar: ')', lcub: '{', lbrace: '{', rcub: '}', rbrace: '}', lowbar: '_', UnderBar: '_', ast: '*', midast: '*', grave: '`', DiacriticalGrave: '`', Hat: '^', verbar: '|', vert: '|', VerticalLine: '|',
  plus: '+', equals: '=', minus: '\u2212', hyphen: '\u2010', dash: '\u2010', ndash: '\u2013', mdash: '\u2014', horbar: '\u2015', times: '×', divide: '÷', middot: '·', centerdot: '·', bull: '•', hellip: '…',
  sup1: '¹', sup2: '²', sup3: '³', frac12: '½', half: '½', frac14: '¼', frac34: '¾', frac13: '⅓', frac23: '⅔', frac15: '⅕', frac16: '⅙', frac18: '⅛', frac38: '⅜', frac58: '⅝', frac78: '⅞',
  cent: '¢', pound: '£', yen: '¥', euro: '€', curren: '¤', deg: '°', plusmn: '±', micro: 'µ', sect: '§', para: '¶', copy: '©', reg: '®', trade: '™',
  laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', sbquo: '‚', bdquo: '„', prime: '′', Prime: '″',
};

/**
 * The text a character reference (`&#48;`, `&#x30;`, `&comma;`) stands for, as a renderer
 * decodes it: U+FFFD for code point 0, surrogates and values past U+10FFFF; null for a name
 * outside the table above. Never throws.
 */
export function entityText(reference: string): string | null {
  const m = /^&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{0,31}));$/.exec(reference);
  if (!m) return null;
  if (m[3] !== undefined) return Object.prototype.hasOwnProperty.call(NAMED_ENTITIES, m[3]) ? (NAMED_ENTITIES[m[3]] ?? null) : null;
  const cp = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2] ?? '', 16);
  if (!Number.isFinite(cp) || cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(cp);
}

/** Decodes each reference once (cleaning what it decodes to); an unknown name keeps its text with `＆`. */
function decodeEntities(text: string): Cleaned {
  return replaceAll(text, ENTITY_REFERENCE, (reference) => {
    const decoded = entityText(reference);
    if (decoded === null) return NEUTRAL_AMPERSAND + reference.slice(1);
    return cleanCharacters(decoded, true).text;
  });
}

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

/** What ends a matched URL but belongs to the sentence: trailing punctuation, and `)` that close no `(` of the URL. */
function urlTrailer(url: string): string {
  let opens = 0;
  let closes = 0;
  for (const ch of url) {
    if (ch === '(') opens += 1;
    else if (ch === ')') closes += 1;
  }
  let end = url.length;
  for (;;) {
    const ch = url[end - 1] ?? '';
    if (end > 0 && (URL_TRAILER_CHARS.has(ch) || (ch === ')' && closes > opens))) {
      if (ch === ')') closes -= 1;
      end -= 1;
    } else return url.slice(end);
  }
}

/** URLs (with a scheme, `www.`, `//`, or a host and a path or query) replaced by `[link removed]`; trailing punctuation kept. */
function removeUrls(text: string): Cleaned {
  let removed = 0;
  let out = text;
  for (const re of URL_PATTERNS) {
    const step = replaceAll(out, re, (url) => LINK_REMOVED + urlTrailer(url));
    out = step.text;
    removed += step.removed;
  }
  return { text: out, removed };
}

/**
 * Where `safeAnswer` removes HTML in `text`: comments, script-like blocks with their content,
 * and tags, as `[start, end)` UTF-16 spans in text order, overlapping spans merged (the
 * grounding check reads text without them, as the user sees it). Linear; never throws.
 */
export function htmlSpans(text: string): Array<{ readonly start: number; readonly end: number }> {
  return matchSpans(text, [HTML_COMMENT, HTML_BLOCK, HTML_TAG]);
}

/**
 * Where any of `patterns` matches in `text`, as sorted spans with overlapping or touching
 * ones merged. Each pattern is run with its own flags (a global copy); empty matches are
 * skipped. Linear in the matches; never throws.
 */
export function matchSpans(text: string, patterns: readonly RegExp[]): Array<{ readonly start: number; readonly end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  for (const pattern of patterns) {
    const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (m[0] === '') {
        re.lastIndex += 1;
        continue;
      }
      spans.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Array<{ start: number; end: number }> = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
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
/** A label that announces a date of birth, and what may sit between it and the date (`my birthday is the`, `DOB:`). */
const DOB_LABEL = String.raw`\b(?:DOB|D\.O\.B\.?|date[\s_-]{0,3}of[\s_-]{0,3}birth\w{0,30}|birth[\s_-]{0,3}(?:date|day)s?|born(?:\s{1,3}on)?)(?:["'\s:=\-]|\b(?:is|was|on|the|of)\b){0,8}`;
const DOB = new RegExp(
  `(${DOB_LABEL})` +
    String.raw`(\d{1,2}[-/. ]\d{1,2}[-/. ]\d{2,4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{8}|\d{1,2}(?:st|nd|rd|th)?[\s-]{1,3}(?:of[\s-]{1,3})?${MONTH_WORD},?[\s-]{1,3}\d{4}|${MONTH_WORD}\s{1,3}\d{1,2}(?:st|nd|rd|th)?,?\s{1,3}\d{4})(?!\d)`,
  'gi',
);
/** E-mail addresses, also in the shapes GFM autolinks (`_` in the domain, long labels). */
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9_-]{1,255}(?:\.[A-Za-z0-9_-]{1,255}){1,10}/g;
/** A UPI id: `name@bank` with no dot after the `@`. */
const UPI_ID = /[A-Za-z0-9._-]{2,64}@[A-Za-z]{2,32}(?![\w.@-])/g;
const PAN = /\b[A-Za-z]{5}\d{4}[A-Za-z]\b/g;
/** A PAN written with separators (`ABCDE 1234 F`, `ABCDE-1234-F`): only after a PAN label, so that `SPENT 2000 A` stays. */
const PAN_LABELLED = /(\b(?:PAN|permanent\s{1,3}account\s{1,3}number)(?:\s{0,3}(?:no\.?|number|card))?[\s:#=.-]{0,6})([A-Za-z]{5}[\s.-]{0,3}\d{4}[\s.-]{0,3}[A-Za-z])(?![A-Za-z0-9])/gi;
const CARD_GROUPS = /(?<![\d])\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{4}(?![\d])/g;
const AADHAAR_GROUPS = /(?<![\d])\d{4}[ -]\d{4}[ -]\d{4}(?![\d])/g;
/**
 * Six or more digits (single spaces or dashes between them allowed) after an account or card
 * label (`account number 1234-5678-901`, `a/c no 12345678`, `card ending 411111`); an ISO date
 * after the label (`account 2026-11-20`) stays.
 */
const ACCOUNT_LABELLED = /(\b(?:account|acct|a\/c|card)(?:\s{0,3}(?:no\.?|number|num|#))?(?:\s{1,3}ending(?:\s{1,3}(?:in|with))?)?[\s:#=.-]{0,4})(?!\d{4}-\d{1,2}-\d{1,2}(?!\d))(\d(?:[ -]?\d){5,40})(?!\d)/gi;
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
    [PAN_LABELLED, (_m, label) => `${label}[PAN masked]`],
    [PAN, '[PAN masked]'],
    [CARD_GROUPS, (m) => lastFour(m)],
    [AADHAAR_GROUPS, (m) => `XXXX XXXX ${m.replace(/\D/g, '').slice(-4)}`],
    [PHONE, (m) => lastFour(m)],
    [ACCOUNT_LABELLED, (_m, label, digits) => `${label}${lastFour(digits)}`],
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
 *   `birth date`, `birthday`, `born`, `born on`, with `is`/`was`/`on`/`the`/`of`, `:`, `=`,
 *   `-` or quotes between (`my birthday is 12/03/1990`): dd-mm-yyyy, dd/mm/yyyy, dd.mm.yyyy,
 *   dd mm yyyy, yyyy-mm-dd, yyyymmdd, `12 Mar 1990`, `12th of March 1990`, `March 12, 1990`.
 *   The date becomes `[DOB masked]`, the label stays;
 * - e-mail addresses -> `[email masked]`; UPI ids (`name@okaxis`) -> `[UPI ID masked]`;
 * - PAN (`ABCDE1234F`) -> `[PAN masked]`; after a PAN label also with spaces, dots or dashes
 *   inside (`PAN: ABCDE-1234-F`);
 * - card numbers in four groups of four -> `XX` + last four; Aadhaar-like `1234 5678 9012`
 *   -> `XXXX XXXX 9012` (spaces and dashes, mixed or not); Indian mobiles written
 *   `98765 43210` / `+91-98765-43210` -> `XX` + last four;
 * - six or more digits, single spaces or dashes allowed between them, after `account`,
 *   `acct`, `a/c` or `card` (with `no`/`number`/`#`/`ending in`) -> `XX` + last four;
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

// ---------------------------------------------------------------------------------------------
// Neutralising what is left. After the removals above, no character that could still open a
// link, an image, an HTML element or an autolink in any CommonMark/GFM renderer survives as
// that character.

/** Our own markers: the only brackets an answer keeps, and only where they cannot be a link label. */
const MARKER_OR_BRACKET = /\[(?:link removed|image removed|PAN masked|DOB masked|email masked|UPI ID masked)\]|[[\]]/g;
/**
 * A `<` that can open something: a tag, closing tag, comment, declaration or processing
 * instruction (`<` then a letter, `/`, `!` or `?`), or an autolink (`<` up to a `>` with no
 * space or `<` between, which covers `<scheme:...>` and `<local@domain>`). A `<` before a space,
 * a digit or `=` with no such `>` (`< 30%`, `<30%`, `<= ₹5,000`) opens nothing and stays.
 */
const OPENING_ANGLE = /<(?=[A-Za-z/!?]|[^\s<>]*>)/g;
/** What replaces an opening `<`. */
export const NEUTRAL_ANGLE = '‹';

/**
 * Brackets that could form a link or image: every `[` -> `(` and `]` -> `)`, except our own
 * markers (`[link removed]`, `[PAN masked]`, ...), which keep their brackets unless a `!`
 * precedes them or the next non-blank character is `(`, `[` or `:` (an image, an inline or
 * full reference link, or a definition); then they too get parentheses. With no other bracket
 * left, no definition can exist (it needs `]:`), so a kept marker is plain text. Each bracket
 * or marker changed counts one.
 */
function neutraliseBrackets(text: string): Cleaned {
  let removed = 0;
  const out = text.replace(MARKER_OR_BRACKET, (match: string, offset: number) => {
    if (match.length > 1) {
      let next = offset + match.length;
      while (next < text.length && /[ \t\n]/.test(text[next] ?? '')) next += 1;
      const linkable = text[offset - 1] === '!' || /^[([:]/.test(text[next] ?? '');
      if (!linkable) return match;
      removed += 1;
      return `(${match.slice(1, -1)})`;
    }
    removed += 1;
    return match === '[' ? '(' : ')';
  });
  return { text: out, removed };
}

function neutraliseMarkup(text: string): Cleaned {
  let removed = 0;
  const apply = (step: Cleaned): string => {
    removed += step.removed;
    return step.text;
  };
  let out = apply(replaceAll(text, OPENING_ANGLE, NEUTRAL_ANGLE));
  out = apply(neutraliseBrackets(out));
  out = apply(replaceAll(out, ENTITY_AMPERSAND, NEUTRAL_AMPERSAND));
  return { text: out, removed };
}

/**
 * What the user is shown of a model answer: text that no CommonMark or GFM renderer can turn
 * into a link, an image or an HTML element, whatever the model wrote. In order, each pass:
 * 1. removes control characters, terminal escapes, format and other default-ignorable
 *    characters (as `untrustedText`, but line breaks and tabs stay, and a variation selector
 *    after an emoji stays);
 * 2. decodes entity references once (`&#60;` -> `<`, `&lt;` -> `<`, `&#48;` -> `0`), so the
 *    steps below see what a renderer would show; a named reference outside a short table
 *    keeps its text with `＆` (U+FF06) for `&`, so it is never decoded;
 * 3. removes HTML comments, `<script>`/`<style>`/`<iframe>`-like blocks with their content,
 *    and every other tag (the text between tags stays); markdown images, inline or by
 *    reference, entirely; link definitions (`[x]: url`, also inside blockquotes); links,
 *    keeping their label; autolinks and bare URLs -> `[link removed]`: any `scheme://...`,
 *    `javascript:`/`data:`/`mailto:`/`xmpp:`/... URLs, `www.` hosts, protocol-relative
 *    `//host...`, and a host followed by a path or a query (`evil.example?nw=1`); a bare
 *    host (`Amazon.in`) stays;
 * 4. masks sensitive identifiers (`maskSensitive`);
 * 5. neutralises what could still form markup: every `<` followed by a letter, `/`, `!` or `?`,
 *    or by a run without spaces up to a `>` (an autolink), becomes `‹` (U+2039); every `[`
 *    becomes `(` and every `]` becomes `)`, except our own markers (`[link removed]`,
 *    `[PAN masked]`, ...) where no `!` precedes them and no `(`, `[` or `:` follows them;
 *    every `&` that starts an entity reference becomes `＆`.
 * Keeps everything else: bold, italics, lists, headings, tables, code, blockquotes, `>`, `<`
 * used as a comparison (`< 30%`, `<30%`), ₹ amounts and ordinary punctuation. `removed` counts
 * what was removed, decoded, replaced, neutralised or masked (each character, reference, tag,
 * image, link, bracket or identifier counts one), so a caller can drop text that carried
 * markup. Runs of spaces left behind collapse. Idempotent. Never throws.
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
  out = apply(decodeEntities(out));
  out = apply(replaceAll(out, AUTOLINK, LINK_REMOVED));
  out = apply(removeHtml(out));
  out = apply(replaceAll(out, INLINE_IMAGE, ''));
  out = apply(replaceAll(out, REFERENCE_IMAGE, ''));
  out = apply(replaceAll(out, LINK_DEFINITION, ''));
  out = apply(replaceAll(out, INLINE_LINK, (_m, label) => label));
  out = apply(replaceAll(out, REFERENCE_LINK, (_m, label) => label));
  out = apply(removeUrls(out));
  out = apply(maskCounted(out));
  out = apply(neutraliseMarkup(out));
  out = out
    .replace(/([^\s])[ \t]{2,}/g, '$1 ')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { text: out, removed };
}
