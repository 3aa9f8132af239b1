import { createHash } from 'node:crypto';
import type { Request, Response } from '@google-cloud/functions-framework';
import type { RateLimitBudget, RateLimitClass } from '../../shared/contracts/security.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { RateLimitCheck, RateLimiter } from '../../shared/ports/rate-limiter.js';
import { clientIp } from './security.js';
import { readCookie, SESSION_COOKIE } from './session.js';

/** A route's rate-limit class; `none` only for probes that must answer when the store is down. */
export type RouteLimit = RateLimitClass | 'none';

const LIMIT = Symbol('rateLimitClass');

/**
 * Declares a route's rate-limit class (routes that declare nothing are `default`):
 * `'POST /api/financial/sync': limited('sync', withUser(getDeps, ...))`. Returns the same
 * handler, marked. (Generic over the handler so this module need not import the router's types.)
 */
export function limited<R extends (...args: never[]) => Promise<void>>(cls: RouteLimit, route: R): R {
  const wrapped = ((...args: Parameters<R>) => route(...args)) as R;
  Object.defineProperty(wrapped, LIMIT, { value: cls, enumerable: false });
  return wrapped;
}

export const limitOf = (route: object): RouteLimit => (route as { [LIMIT]?: RouteLimit })[LIMIT] ?? 'default';

/** How long the shared counter may take before the request goes ahead unlimited (fail open). */
export const LIMITER_DEADLINE_MS = 1_500;

export interface RateLimitContext {
  readonly limiter: () => Promise<RateLimiter>;
  readonly budgets: Readonly<Record<RateLimitClass, RateLimitBudget>>;
  readonly trustedProxyHops: number;
  readonly clock: Clock;
}

/**
 * The checks for one request of class `cls`: always the client IP; and the user when the
 * request carries a session cookie. The user is keyed by the SHA-256 of the session token
 * (the session's document id), which costs no session lookup here; a user with several
 * sessions has a budget per session, and new sessions are themselves limited (`signin`).
 */
export function checksFor(req: Request, cls: RateLimitClass, ctx: Pick<RateLimitContext, 'budgets' | 'trustedProxyHops'>): RateLimitCheck[] {
  const budget = ctx.budgets[cls];
  const windowMs = budget.windowSeconds * 1000;
  const checks: RateLimitCheck[] = [{ key: `${cls}:ip:${clientIp(req, ctx.trustedProxyHops)}`, limit: budget.perIp, windowMs }];
  const token = readCookie(req, SESSION_COOKIE);
  if (token) checks.push({ key: `${cls}:user:${createHash('sha256').update(token).digest('hex')}`, limit: budget.perUser, windowMs });
  return checks;
}

/**
 * Charges the request to its budgets. Answers 429 with `Retry-After` (whole seconds) and
 * returns false when a budget is spent. If the shared store fails or is slow, the request
 * goes ahead (logged): every limited route needs the same store for its own work, so
 * failing closed would add nothing but a second outage signal.
 */
export async function enforceRateLimit(req: Request, res: Response, cls: RouteLimit, ctx: RateLimitContext, requestId: string, log: Logger): Promise<boolean> {
  if (cls === 'none') return true;
  const checks = checksFor(req, cls, ctx);
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), LIMITER_DEADLINE_MS)));
    const decision = await Promise.race([ctx.limiter().then((l) => l.consume(checks)), deadline]);
    if (decision === 'timeout') {
      log.warn('rate limiter too slow: request allowed', { limitClass: cls });
      return true;
    }
    if (decision.allowed) return true;
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    res.setHeader('Retry-After', String(seconds));
    log.info('rate limited', { limitClass: cls, reason: decision.reason, retryAfterSeconds: seconds });
    res.status(429).json({ error: { code: 'RATE_LIMITED', message: `Too many requests; retry after ${seconds} s`, retryAfterSeconds: seconds, requestId } });
    return false;
  } catch (e) {
    log.warn('rate limiter unavailable: request allowed', { limitClass: cls, error: e instanceof Error ? e.name : 'unknown' });
    return true;
  } finally {
    clearTimeout(timer);
  }
}
