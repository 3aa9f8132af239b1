import type { Request, Response } from '@google-cloud/functions-framework';
import { DevLoginBody } from '../../shared/contracts/auth.js';
import { devLogin } from '../../shared/usecases/dev-login.usecase.js';
import type { GetDeps } from '../deps.js';
import { withUser } from '../platform/auth.js';
import { jsonBody } from '../platform/body.js';
import { router } from '../platform/http.js';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from '../platform/session.js';

/** The `auth` HTTP function (`/auth/**`). Google sign-in arrives with the auth issue. */
export function auth(getDeps: GetDeps): (req: Request, res: Response) => Promise<void> {
  return router(
    {
      /** Local-only sign-in; outside local mode (emulators) it does not exist: 404. */
      'POST /auth/dev/login': async (req, res, ctx) => {
        const deps = getDeps();
        if (!deps.config.isLocal || !deps.config.firestoreEmulatorHost) {
          res.status(404).json({ error: { code: 'NOT_FOUND', message: `No route for POST ${req.path}`, requestId: ctx.requestId } });
          return;
        }
        const body = jsonBody(req, DevLoginBody);
        const out = await devLogin({ users: await deps.users(), sessions: await deps.sessions(), clock: deps.clock, policy: deps.sessionPolicy }, body);
        setSessionCookie(req, res, out.token, out.expiresAt, deps.clock.now());
        res.setHeader('Cache-Control', 'no-store');
        ctx.log.info('dev sign-in', { uid: out.uid });
        res.status(200).json({ uid: out.uid, email: out.email, expiresAt: out.expiresAt.toISOString() });
      },
      'GET /auth/session': withUser(getDeps, async (_req, res, ctx) => {
        res.json({ uid: ctx.user.uid });
      }),
      'POST /auth/logout': async (req, res) => {
        const token = readCookie(req, SESSION_COOKIE);
        if (token) await (await getDeps().sessions()).revoke(token);
        clearSessionCookie(req, res);
        res.status(204).end();
      },
    },
    () => getDeps().logger(),
  );
}
