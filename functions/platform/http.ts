import { randomUUID } from 'node:crypto';
import type { Request, Response } from '@google-cloud/functions-framework';
import { AppError, isAppError, type ErrorCode, type FieldProblem } from '../../shared/domain/errors.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Deps, GetDeps } from '../deps.js';
import { requireJsonContentType } from './body.js';
import { enforceRateLimit, limitOf, type RateLimitContext, type RouteLimit } from './rate-limit.js';
import { applyCors, checkBodySize, checkCsrf, hasBody, preflight, setSecurityHeaders, STRICT_POLICY, UNSAFE_METHODS, type Refusal, type ShellPolicy } from './security.js';
import { reportStartupFailure } from './startup.js';

/** The one place where error codes become HTTP statuses. */
const STATUS: Record<ErrorCode, number> = {
  'VALIDATION.INVALID_INPUT': 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  'EVENT.MALFORMED': 400,
  'EVENT.TOO_OLD': 400,
  'EVENT.IN_PROGRESS': 409,
  'DEPENDENCY.UNAVAILABLE': 503,
  'CONSENT.REQUIRED': 403,
  'FI.NOT_CONNECTED': 409,
  'FI.LOGIN_REQUIRED': 409,
  'AUTH.REQUIRED': 401,
  'AUTH.STATE_MISMATCH': 400,
  'AUTH.CODE_REJECTED': 400,
  'AUTH.ID_TOKEN_INVALID': 401,
  'AUTH.NONCE_MISMATCH': 401,
  'AUTH.EMAIL_UNVERIFIED': 403,
  'AUTH.REDIRECT_NOT_ALLOWED': 400,
  'AUTH.PROVIDER_ERROR': 400,
  // The model is down or misbehaving: a clear 503 (chat and insights degrade before this).
  'AI.UNAVAILABLE': 503,
  'AI.BLOCKED': 503,
  'AI.BAD_OUTPUT': 503,
  'AI.BUDGET_EXHAUSTED': 429,
  INTERNAL: 500,
};

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly problems?: readonly FieldProblem[]; readonly requestId: string };
}

const SAFE_SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Problems name fields, never values; but an unknown field's name is the client's own text
 * (`{"<script>": 1}`), so a name that is not a plain identifier is replaced, in the problem
 * and in the message that repeats it.
 */
export function safeProblems(message: string, problems: readonly FieldProblem[]): { message: string; problems: FieldProblem[] } {
  let text = message;
  const out = problems.map((p) => {
    if (!p.field || p.field.split('.').every((s) => SAFE_SEGMENT.test(s))) return p;
    const field = p.field
      .split('.')
      .map((s) => (SAFE_SEGMENT.test(s) ? s : '(invalid name)'))
      .join('.');
    text = text.split(p.field).join(field);
    return { ...p, field };
  });
  return { message: text, problems: out };
}

/** Maps any error to a response: known codes keep their message; anything else is a bare 500. */
export function sendError(res: Response, e: unknown, requestId: string, log: Logger): void {
  if (isAppError(e)) {
    const status = STATUS[e.code] ?? 500;
    if (status >= 500) log.error('request failed', { errorCode: e.code, error: e.message });
    else log.info('request rejected', { errorCode: e.code, status });
    const safe = safeProblems(e.message, e.problems);
    const body: ErrorBody = {
      error: { code: e.code, message: status >= 500 && e.code === 'INTERNAL' ? 'Internal error' : safe.message, requestId, ...(safe.problems.length ? { problems: safe.problems } : {}) },
    };
    res.status(status).json(body);
    return;
  }
  log.error('request failed with an unexpected error', { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  const body: ErrorBody = { error: { code: 'INTERNAL', message: 'Internal error', requestId } };
  res.status(500).json(body);
}

/**
 * A request id: the trace id Google's front end sets, else a caller's well-formed
 * `x-request-id`, else a new one. Echoed back in `x-request-id`.
 */
export function requestIdOf(req: Request): string {
  const trace = req.header('x-cloud-trace-context')?.split('/')[0];
  if (trace && /^[0-9a-f]{16,64}$/i.test(trace)) return trace;
  const given = req.header('x-request-id');
  if (given && /^[A-Za-z0-9_-]{8,64}$/.test(given)) return given;
  return randomUUID();
}

export type Route = (req: Request, res: Response, ctx: { requestId: string; log: Logger; params: Record<string, string> }) => Promise<void>;

export interface RouteTable {
  readonly [methodAndPath: string]: Route;
}

/** One route as the router serves it; tests build their tables from these. */
export interface RouteInfo {
  readonly method: string;
  readonly pattern: string;
  readonly limit: RouteLimit;
}

/** An HTTP function built by {@link router}, with its route list for inspection. */
export type HttpFunction = ((req: Request, res: Response) => Promise<void>) & { readonly routes: readonly RouteInfo[] };

/**
 * Where the router gets its configuration: the dependencies (the full shell: allowlist,
 * body limit, shared rate limits), or, for small routers and tests, only a logger (then
 * the strict defaults apply: same-origin only, 32 KiB bodies, no rate limits).
 */
export type ShellSource = GetDeps | (() => Promise<Logger>);

interface Shell {
  readonly log: Logger;
  readonly policy: ShellPolicy;
  readonly rate?: RateLimitContext;
}

async function shellOf(source: ShellSource): Promise<Shell> {
  const got = source();
  if (typeof (got as Promise<Logger>).then === 'function') return { log: await (got as Promise<Logger>), policy: STRICT_POLICY };
  const deps = got as Deps;
  const { corsOrigins, maxBodyBytes, trustedProxyHops, rateLimits } = deps.config.http;
  return {
    log: await deps.logger(),
    policy: { corsOrigins, maxBodyBytes, trustedProxyHops },
    rate: { limiter: () => deps.rateLimiter(), budgets: rateLimits, trustedProxyHops, clock: deps.clock },
  };
}

const refuse = (res: Response, r: Refusal, requestId: string): void => {
  res.status(r.status).json({ error: { code: r.code, message: r.message, requestId } });
};

/**
 * Matches `METHOD /path/:param` patterns; answers 404 for unknown paths and 405 (with
 * `Allow`) for a known path with the wrong method. Every response gets the security
 * headers; then, in order: CORS (and preflights), the body size limit (413), the CSRF check
 * (403), JSON-only bodies on state-changing requests (400), the route's rate limit (429),
 * and the handler. Error answers never echo the path or the input.
 */
export function router(routes: RouteTable, source: ShellSource): HttpFunction {
  const compiled = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(' ') as [string, string];
    const names: string[] = [];
    const re = new RegExp(
      `^${pattern.replace(/\/:([A-Za-z]+)/g, (_m, name: string) => {
        names.push(name);
        return '/([^/]+)';
      })}/?$`,
    );
    return { method, pattern, re, names, handler, limit: limitOf(handler) };
  });
  const handle = async (req: Request, res: Response): Promise<void> => {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    setSecurityHeaders(res);
    let shell: Shell;
    let log: Logger;
    try {
      shell = await shellOf(source);
      log = shell.log.child({ requestId });
    } catch (e) {
      reportStartupFailure('HTTP function', e);
      res.status(503).json({ error: { code: 'SERVICE.MISCONFIGURED', message: 'The service is not configured correctly; try again later.', requestId } });
      return;
    }
    try {
      const { policy } = shell;
      applyCors(req, res, policy);
      const path = req.path;
      const matches = compiled.filter((r) => r.re.test(path));
      const methods = [...new Set(matches.map((m) => m.method))];
      if (req.method === 'OPTIONS' && matches.length) {
        res.setHeader('Allow', [...methods, 'OPTIONS'].join(', '));
        if (req.header('origin') === undefined) {
          res.status(204).end();
          return;
        }
        const refusal = preflight(req, res, methods, policy);
        if (refusal) refuse(res, refusal, requestId);
        return;
      }
      const route = matches.find((r) => r.method === req.method || (req.method === 'HEAD' && r.method === 'GET'));
      if (!route) {
        if (matches.length) {
          res.setHeader('Allow', methods.join(', '));
          res.status(405).json({ error: { code: 'METHOD_NOT_ALLOWED', message: 'This method is not allowed on this path', requestId } });
        } else {
          res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such route', requestId } });
        }
        return;
      }
      const refusal = checkBodySize(req, policy) ?? checkCsrf(req, policy);
      if (refusal) {
        log.info('request refused by the shell', { errorCode: refusal.code, status: refusal.status });
        refuse(res, refusal, requestId);
        return;
      }
      if (UNSAFE_METHODS.has(req.method) && hasBody(req)) requireJsonContentType(req);
      const params = paramsOf(route, path);
      if (shell.rate && !(await enforceRateLimit(req, res, route.limit, shell.rate, requestId, log))) return;
      await route.handler(req, res, { requestId, log, params });
    } catch (e) {
      if (!res.headersSent) sendError(res, e, requestId, log);
    }
  };
  return Object.assign(handle, { routes: compiled.map(({ method, pattern, limit }): RouteInfo => ({ method, pattern, limit })) });
}

/**
 * Path parameters are opaque ids (ours are UUIDs and base64url). Whatever no store could hold
 * as one key is refused here, before any handler builds a document path from it: slashes
 * (a decoded `%2F` would address another collection), dot segments, reserved `__name__`
 * forms, control characters, and anything over 128 characters.
 */
const MAX_PARAM_LENGTH = 128;
const isOpaqueId = (v: string): boolean =>
  v.length > 0 &&
  v.length <= MAX_PARAM_LENGTH &&
  v !== '.' &&
  v !== '..' &&
  !/^__.*__$/.test(v) &&
  ![...v].some((c) => c === '/' || c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** Decoded path parameters; a malformed escape or an impossible id is the client's error (400), not ours. */
function paramsOf(route: { re: RegExp; names: string[] }, path: string): Record<string, string> {
  const m = route.re.exec(path)!;
  const params: Record<string, string> = {};
  route.names.forEach((n, i) => {
    let value: string;
    try {
      value = decodeURIComponent(m[i + 1] ?? '');
    } catch {
      throw new AppError('VALIDATION.INVALID_INPUT', `path parameter ${n} is not valid percent-encoding`, { problems: [{ field: n, message: 'malformed percent-encoding' }] });
    }
    if (!isOpaqueId(value)) {
      throw new AppError('VALIDATION.INVALID_INPUT', `path parameter ${n} is not a valid id`, {
        problems: [{ field: n, message: `expected an id of 1 to ${MAX_PARAM_LENGTH} characters without slashes or control characters` }],
      });
    }
    params[n] = value;
  });
  return params;
}
