import type { Request, Response } from '@google-cloud/functions-framework';
import type { Logger } from '../../shared/ports/logger.js';
import type { Principal } from '../../shared/ports/sessions.js';
import type { GetDeps } from '../deps.js';
import type { Route } from './http.js';
import { readCookie, SESSION_COOKIE } from './session.js';

export type UserRoute = (req: Request, res: Response, ctx: { requestId: string; log: Logger; params: Record<string, string>; user: Principal }) => Promise<void>;

/**
 * Requires a live session: the user comes from the `__session` cookie only, so every
 * user-scoped path below is derived from it and never from the client's input. Answers
 * 401 without one. Responses carry personal data: `Cache-Control: no-store`.
 */
export const withUser =
  (getDeps: GetDeps, route: UserRoute): Route =>
  async (req, res, ctx) => {
    const token = readCookie(req, SESSION_COOKIE);
    const deps = getDeps();
    const user = token ? await (await deps.sessions()).resolve(token, deps.clock.now(), deps.sessionPolicy) : null;
    res.setHeader('Cache-Control', 'no-store');
    if (!user) {
      res.status(401).json({ error: { code: 'AUTH.REQUIRED', message: 'Sign in first: no valid session', requestId: ctx.requestId } });
      return;
    }
    await route(req, res, { ...ctx, log: ctx.log.child({ uid: user.uid }), user });
  };
