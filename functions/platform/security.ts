import type { Request, Response } from '@google-cloud/functions-framework';
import { readCookie, SESSION_COOKIE } from './session.js';

/**
 * The API's shell, applied by `router()` to every route of every HTTP function: security
 * headers, CORS for an allowlist of origins (with credentials), a CSRF check on
 * state-changing requests, a body size limit and the client address for per-IP limits.
 * Every function here is synchronous and touches no store.
 */
export interface ShellPolicy {
  /** Browser origins allowed to call with credentials and to send state-changing requests. */
  readonly corsOrigins: readonly string[];
  readonly maxBodyBytes: number;
  /** Proxies in front of us that append to X-Forwarded-For (0: use the socket peer). */
  readonly trustedProxyHops: number;
}

/** What a router without configuration enforces: same-origin only, 32 KiB bodies, socket peer. */
export const STRICT_POLICY: ShellPolicy = { corsOrigins: [], maxBodyBytes: 32_768, trustedProxyHops: 0 };

/** A refusal the router turns into a JSON error response. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/**
 * Sent on every response. The API serves JSON only, so the CSP allows nothing and no
 * framing; HSTS is ignored by browsers over plain http (RFC 6797 §8.1), so it is harmless
 * on the local stack and always sent. Nothing the API answers may be cached: every response
 * is either personal data or a status that must be fresh.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'Cache-Control': 'no-store',
};

export function setSecurityHeaders(res: Response): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

/** Methods that change state: CSRF-checked, and their bodies must be JSON. */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Headers a browser may send cross-origin (preflight answer) and read back. */
const ALLOWED_REQUEST_HEADERS = 'Content-Type, X-Request-Id';
const EXPOSED_HEADERS = 'Retry-After, X-Request-Id';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * The origins this very request was addressed to (`Host`, and `X-Forwarded-Host` set by
 * Firebase Hosting or a load balancer). A browser cannot forge either, so an `Origin` equal to
 * one of them is same-origin.
 */
function ownOrigins(req: Request): string[] {
  const proto = req.protocol === 'https' ? 'https' : 'http';
  const hosts = [req.header('host'), req.header('x-forwarded-host')?.split(',')[0]?.trim()].filter((h): h is string => !!h);
  return hosts.map((h) => `${proto}://${h.toLowerCase()}`);
}

/** Whether `origin` may call with credentials: allowlisted, or the API's own origin. */
export function isAllowedOrigin(req: Request, origin: string, policy: ShellPolicy): boolean {
  const o = origin.toLowerCase();
  if (o === 'null') return false;
  return policy.corsOrigins.includes(o) || ownOrigins(req).includes(o);
}

/**
 * CORS response headers: only an allowlisted `Origin` is echoed, with credentials; anything
 * else gets no CORS headers, so the browser keeps the answer from the calling page.
 */
export function applyCors(req: Request, res: Response, policy: ShellPolicy): void {
  res.setHeader('Vary', 'Origin');
  const origin = req.header('origin');
  if (!origin || !isAllowedOrigin(req, origin, policy)) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

/**
 * Answers a CORS preflight for a known path: 204 with the allowed methods for an allowlisted
 * origin asking for one of them; 403 otherwise (the browser then never sends the request).
 */
export function preflight(req: Request, res: Response, methods: readonly string[], policy: ShellPolicy): Refusal | undefined {
  const origin = req.header('origin');
  const wanted = (req.header('access-control-request-method') ?? '').toUpperCase();
  if (!origin || !isAllowedOrigin(req, origin, policy)) return { status: 403, code: 'CORS.ORIGIN_REJECTED', message: 'This origin may not call the API' };
  if (!methods.includes(wanted)) return { status: 403, code: 'CORS.METHOD_REJECTED', message: 'This method is not allowed on this path' };
  res.setHeader('Access-Control-Allow-Methods', methods.join(', '));
  res.setHeader('Access-Control-Allow-Headers', ALLOWED_REQUEST_HEADERS);
  res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
  res.status(204).end();
  return undefined;
}

/**
 * The body size limit. The functions framework has already buffered the body (its own cap
 * is 1024 MB; Google's front end caps requests at 32 MB) by the time we run, so this bounds
 * what our handlers, validators and stores see, from the declared length and the raw bytes.
 */
export function checkBodySize(req: Request, policy: ShellPolicy): Refusal | undefined {
  const declared = Number(req.header('content-length') ?? '0');
  const raw = (req as Request & { rawBody?: Buffer }).rawBody;
  const actual = raw ? raw.length : 0;
  if ((Number.isFinite(declared) && declared > policy.maxBodyBytes) || actual > policy.maxBodyBytes) {
    return { status: 413, code: 'REQUEST.TOO_LARGE', message: `Request body exceeds the limit of ${policy.maxBodyBytes} bytes` };
  }
  return undefined;
}

/** True if the request carries a body (declared length above zero, or chunked). */
export function hasBody(req: Request): boolean {
  const declared = Number(req.header('content-length') ?? '0');
  return (Number.isFinite(declared) && declared > 0) || req.header('transfer-encoding') !== undefined;
}

const isJson = (req: Request): boolean => (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

/**
 * CSRF defence for state-changing requests (POST, PUT, PATCH, DELETE):
 * 1. `Origin` present (every current browser sends it on a cross-origin request and on any
 *    POST): it must be allowlisted or the API's own origin.
 * 2. No `Origin` but `Sec-Fetch-Site` (sent by all current browsers): it must be
 *    `same-origin` or `none` (user-initiated); `same-site` and `cross-site` are refused.
 * 3. Neither header: not a current browser (server-to-server, curl, tests). Allowed, except a
 *    POST carrying the session cookie without `Content-Type: application/json`: that is the
 *    one shape an old browser could send cross-site as a simple form post, and a JSON
 *    content type can only be sent cross-origin after a CORS preflight, which we refuse.
 * Beyond this, the session cookie is SameSite=Lax (browsers do not attach it to cross-site
 * POSTs) and bodies must be JSON (body.ts). `POST /auth/logout` is covered like any route.
 */
export function checkCsrf(req: Request, policy: ShellPolicy): Refusal | undefined {
  if (!UNSAFE_METHODS.has(req.method)) return undefined;
  const origin = req.header('origin');
  if (origin !== undefined) {
    return isAllowedOrigin(req, origin, policy) ? undefined : { status: 403, code: 'CSRF.ORIGIN_REJECTED', message: 'Cross-site request refused: this origin may not change state here' };
  }
  const site = req.header('sec-fetch-site')?.toLowerCase();
  if (site !== undefined) {
    return site === 'same-origin' || site === 'none' ? undefined : { status: 403, code: 'CSRF.ORIGIN_REJECTED', message: 'Cross-site request refused: send it from the app' };
  }
  if (req.method === 'POST' && readCookie(req, SESSION_COOKIE) && !isJson(req)) {
    return { status: 403, code: 'CSRF.JSON_REQUIRED', message: 'A signed-in POST without an Origin header must have Content-Type: application/json' };
  }
  return undefined;
}

const IP_RE = /^[0-9A-Fa-f:.]{2,45}$/;

/**
 * The client address for per-IP limits. Behind `hops` trusted proxies (Google's front end,
 * Firebase Hosting) each appends the address it saw to X-Forwarded-For, so the client is the
 * entry `hops` places from the right; entries further left are whatever the client sent and
 * are never used. With 0 hops, or a shorter header, the socket peer (or leftmost trusted
 * entry) is used. (The framework's `trust proxy` makes `req.ip` the leftmost entry, which a
 * client can forge, so it is not used.)
 */
export function clientIp(req: Request, hops: number): string {
  const peer = req.socket?.remoteAddress ?? 'unknown';
  if (hops <= 0) return peer;
  const chain = (req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (chain.length === 0) return peer;
  const candidate = chain[Math.max(0, chain.length - hops)]!;
  return IP_RE.test(candidate) ? candidate.toLowerCase() : peer;
}
