import { randomUUID } from 'node:crypto';
import type { Request, Response } from '@google-cloud/functions-framework';
import { isAppError, type ErrorCode, type FieldProblem } from '../../shared/domain/errors.js';
import type { Logger } from '../../shared/ports/logger.js';
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
  INTERNAL: 500,
};

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly problems?: readonly FieldProblem[]; readonly requestId: string };
}

/** Maps any error to a response: known codes keep their message; anything else is a bare 500. */
export function sendError(res: Response, e: unknown, requestId: string, log: Logger): void {
  if (isAppError(e)) {
    const status = STATUS[e.code] ?? 500;
    if (status >= 500) log.error('request failed', { errorCode: e.code, error: e.message });
    else log.info('request rejected', { errorCode: e.code, status });
    const body: ErrorBody = {
      error: { code: e.code, message: status >= 500 && e.code === 'INTERNAL' ? 'Internal error' : e.message, requestId, ...(e.problems.length ? { problems: e.problems } : {}) },
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

/**
 * Matches `METHOD /path/:param` patterns; answers 404 for unknown paths and 405 (with
 * `Allow`) for a known path with the wrong method.
 */
export function router(routes: RouteTable, baseLog: () => Promise<Logger>) {
  const compiled = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(' ') as [string, string];
    const names: string[] = [];
    const re = new RegExp(
      `^${pattern.replace(/\/:([A-Za-z]+)/g, (_m, name: string) => {
        names.push(name);
        return '/([^/]+)';
      })}/?$`,
    );
    return { method, re, names, handler };
  });
  return async (req: Request, res: Response): Promise<void> => {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    let log: Logger;
    try {
      log = (await baseLog()).child({ requestId });
    } catch (e) {
      reportStartupFailure('HTTP function', e);
      res.status(503).json({ error: { code: 'SERVICE.MISCONFIGURED', message: 'The service is not configured correctly; try again later.', requestId } });
      return;
    }
    try {
      const path = req.path;
      const matches = compiled.filter((r) => r.re.test(path));
      const route = matches.find((r) => r.method === req.method || (req.method === 'HEAD' && r.method === 'GET'));
      if (!route) {
        if (matches.length) {
          res.setHeader('Allow', matches.map((m) => m.method).join(', '));
          res.status(405).json({ error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed on ${path}`, requestId } });
        } else {
          res.status(404).json({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${path.slice(0, 200)}`, requestId } });
        }
        return;
      }
      const m = route.re.exec(path)!;
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1] ?? '')));
      await route.handler(req, res, { requestId, log, params });
    } catch (e) {
      if (!res.headersSent) sendError(res, e, requestId, log);
    }
  };
}
