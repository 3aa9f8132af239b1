/**
 * Hostile input for the abuse tests: strings to put in path parameters, query strings and
 * JSON fields, and whole bodies (malformed JSON, wrong types, prototype-pollution keys,
 * deep nesting). Each entry has a name for the failure message.
 */
export interface HostileString {
  readonly name: string;
  readonly value: string;
  /** A distinctive string that must never come back verbatim in an error answer. */
  readonly mustNotEcho: boolean;
}

const s = (name: string, value: string, mustNotEcho = true): HostileString => ({ name, value, mustNotEcho });

export const HOSTILE_STRINGS: readonly HostileString[] = [
  // SQL / NoSQL injection
  s('sql tautology', "' OR '1'='1"),
  s('sql stacked', '1; DROP TABLE users;--'),
  s('sql comment', "admin'--"),
  s('nosql operator', '{"$gt":""}'),
  s('nosql ne', '{"$ne":null}'),
  s('nosql where', "'; return true; var x='"),
  s('firestore path', 'users/other-user/consents/x'),
  // Path traversal
  s('traversal', '../../etc/passwd'),
  s('traversal encoded', '..%2F..%2Fetc%2Fpasswd'),
  s('traversal windows', '..\\..\\windows\\win.ini'),
  s('dot segments', '..'),
  s('double encoded', '%252e%252e%252f'),
  // Prototype pollution keys as values
  s('__proto__', '__proto__', false),
  s('constructor', 'constructor', false),
  // An identifier-like unknown key is named back as the unknown field; that is its name, not a value.
  s('proto path', '__proto__.polluted', false),
  // Size and encoding
  s('long 10k', 'A'.repeat(10_000), false),
  s('long 300 unicode', 'ह'.repeat(300), false),
  s('rtl override', 'abc\u202Efdp.exe'),
  s('zero width', 'a\u200Bb\u200C\u200D\uFEFFc'),
  s('lone surrogate', 'x\uD800y', false),
  s('emoji', '💣'.repeat(64)),
  s('fullwidth', 'ｆｉ／．．／'),
  s('null byte', 'abc\u0000def'),
  s('control chars', '\u0001\u0007\u001b[31mred'),
  s('newline', 'line1\nline2'),
  // XSS and templates
  s('script tag', '<script>alert(1)</script>'),
  s('img onerror', '"><img src=x onerror=alert(1)>'),
  s('javascript url', 'javascript:alert(document.cookie)'),
  s('template', '${7*7}{{7*7}}<%= 7*7 %>'),
  s('format string', '%s%s%s%n%x'),
  // Header injection
  s('crlf', 'x\r\nSet-Cookie: pwned=1'),
  s('crlf encoded', '%0d%0aSet-Cookie:%20pwned=1'),
  // Numbers and number-ish strings
  s('1e309', '1e309', false),
  s('-0', '-0', false),
  s('NaN', 'NaN', false),
  s('Infinity', 'Infinity', false),
  s('negative', '-1', false),
  s('beyond safe int', '9007199254740993', false),
  s('hex', '0x7fffffff', false),
  s('empty', '', false),
  s('spaces', '   ', false),
  s('json array text', '[1,2,3]', false),
];

/** Raw request bodies that are not valid JSON (the framework answers 400 before our code). */
export const MALFORMED_JSON: ReadonlyArray<readonly [string, string]> = [
  ['unterminated object', '{"email": "a@b.co"'],
  ['bare word', 'hello'],
  ['single quotes', "{'email': 'a@b.co'}"],
  ['trailing comma', '{"a": 1,}'],
  ['NaN literal', '{"dataLifeDays": NaN}'],
  ['null byte', '{"a":"\u0000"'],
  ['only a brace', '{'],
  ['comment', '{/* x */ "a": 1}'],
];

/** Valid JSON of the wrong shape for any of our bodies. */
export const WRONG_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['array', '[]'],
  ['string', '"a@b.co"'],
  ['number', '42'],
  ['null', 'null'],
  ['true', 'true'],
  ['huge number', '{"dataLifeDays": 1e309, "email": 1e309, "scopes": 1e309}'],
  ['negative zero', '{"dataLifeDays": -0}'],
  ['object where string', '{"email": {"$gt": ""}, "purpose": {}, "redirectPath": {}}'],
  ['array where string', '{"email": ["a@b.co"], "purpose": [], "redirectPath": []}'],
  ['number where array', '{"scopes": 7, "purpose": 7}'],
];

/** Bodies with fields no schema knows, including prototype-pollution keys. */
export const UNKNOWN_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['unknown field', '{"admin": true}'],
  ['__proto__', '{"__proto__": {"polluted": "yes"}}'],
  ['constructor.prototype', '{"constructor": {"prototype": {"polluted": "yes"}}}'],
  ['hostile key', '{"<script>alert(1)</script>": 1}'],
  ['uid override', '{"uid": "someone-else", "userId": "someone-else"}'],
];

/** Nested deeply enough to hurt a recursive walker, small enough for the body limit. */
export const DEEP_JSON: ReadonlyArray<readonly [string, string]> = [
  ['deep array', `${'['.repeat(5_000)}${']'.repeat(5_000)}`],
  ['deep object', `${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}`],
];

/** Text patterns that betray internals: stack frames, file paths, library names. */
export const LEAK_PATTERNS: readonly RegExp[] = [/\n\s+at /, /node_modules/, /\/work\//, /at JSON\.parse/, /SyntaxError/, /TypeError/, /ReferenceError/, /\.ts:\d+/];
