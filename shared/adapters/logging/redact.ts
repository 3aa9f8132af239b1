/**
 * Redaction for log lines: tokens, cookies, session ids, credentials and personal
 * identifiers never reach a log. Two rules, both applied to every line:
 * 1. by key: any field whose name looks sensitive is replaced whatever its value;
 * 2. by pattern: string values (messages included) are scrubbed of things that look like
 *    bearer tokens, JWTs, cookies, Fi MCP session ids, PANs and long digit runs.
 */
export const REDACTED = '[REDACTED]';

const SENSITIVE_KEY =
  /(pass(word)?|secret|token|cookie|authori[sz]ation|session[_-]?id|^session$|sessionid|api[_-]?key|otp|passcode|private[_-]?key|credential|verifier|^code$|mcp-session-id|set-cookie|date_?of_?birth|dob|^pan$|account_?number|accountnumber)/i;

/** Sensitive names as they appear inside free text: `"password":"x"`, `token=x`, `otp: x`. */
const KEY_IN_TEXT =
  /((["']?)(?:[A-Za-z_-]*(?:password|passwd|secret|token|cookie|authorization|sessionId|session_id|api[_-]?key|otp|passcode|credential|verifier|date_?of_?birth|dob)[A-Za-z_-]*)\2\s*[:=]\s*)(["']?)[^"'&\s,;}\]]+\3/gi;

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [KEY_IN_TEXT, `$1$3${REDACTED}$3`],
  [/mcp-session-[0-9a-f-]{8,}/gi, `mcp-session-${REDACTED}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/((?:__session|__Host-[A-Za-z0-9_-]+|session|sid)=)[^;\s,&"]+/gi, `$1${REDACTED}`],
  [/([?&](?:sessionId|token|code|state|nonce|otp|access_token|id_token)=)[^&\s"#]+/gi, `$1${REDACTED}`],
  [/\b[A-Z]{5}[0-9]{4}[A-Z]\b/g, REDACTED], // PAN
  [/\b\d{9,18}\b/g, REDACTED], // account and phone-like digit runs
];

const MAX_DEPTH = 6;
const MAX_STRING = 4_000;

export function redactString(value: string): string {
  let out = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** Returns a redacted deep copy; never mutates its input, survives cycles. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return { name: value.name, message: redactString(value.message) };
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SENSITIVE_KEY.test(k) ? REDACTED : redact(v, depth + 1, seen);
  }
  return out;
}

/** True when a field name is treated as sensitive (exported for tests and docs). */
export const isSensitiveKey = (key: string): boolean => SENSITIVE_KEY.test(key);
