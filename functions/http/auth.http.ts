import type { Request, Response } from '@google-cloud/functions-framework';
import { BeginSignInBody, CallbackQuery, DevLoginBody } from '../../shared/contracts/auth.js';
import { parseWith } from '../../shared/contracts/validation.js';
import { AppError, isAppError } from '../../shared/domain/errors.js';
import { devLogin } from '../../shared/usecases/dev-login.usecase.js';
import { beginSignIn, completeSignIn, PRE_AUTH_TTL_MS } from '../../shared/usecases/google-sign-in.usecase.js';
import type { GetDeps } from '../deps.js';
import { withUser } from '../platform/auth.js';
import { emptyBody, jsonBody } from '../platform/body.js';
import { router } from '../platform/http.js';
import { limited } from '../platform/rate-limit.js';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from '../platform/session.js';

/**
 * Where the browser goes after the callback: the PWA (`FRONTEND_URL`, else this origin) at
 * the allowed path, with `signin_error=<code>` when sign-in failed.
 */
function landing(req: Request, frontendUrl: string | undefined, path: string, error?: string): string {
  const base = frontendUrl ?? `${req.protocol}://${req.header('host') ?? 'localhost'}`;
  const url = new URL(path, base);
  if (error) url.searchParams.set('signin_error', error);
  return url.toString();
}

/**
 * The `auth` HTTP function (`/auth/**`): Google sign-in (authorization code + PKCE, state,
 * nonce), sessions (see and end them), logout, and the local-only dev sign-in.
 */
export function auth(getDeps: GetDeps): (req: Request, res: Response) => Promise<void> {
  return router(
    {
      /** Local-only sign-in; outside local mode (emulators) it does not exist: 404. */
      'POST /auth/dev/login': limited('signin', async (req, res, ctx) => {
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
      }),
      'POST /auth/google/begin': limited('signin', async (req, res) => {
        const deps = getDeps();
        const body = jsonBody(req, BeginSignInBody);
        const out = await beginSignIn(
          { provider: await deps.identity(), preAuth: await deps.preAuth(), clock: deps.clock, allowedRedirectPaths: deps.config.oidc.allowedRedirectPaths },
          body.redirectPath,
        );
        // The pending sign-in rides in `__session` too: the only cookie Hosting forwards.
        setSessionCookie(req, res, out.preAuthToken, out.expiresAt, deps.clock.now());
        res.setHeader('Cache-Control', 'no-store');
        res.status(200).json({ authorizationUrl: out.authorizationUrl, expiresInSeconds: PRE_AUTH_TTL_MS / 1000 });
      }),
      'GET /auth/google/callback': limited('signin', async (req, res, ctx) => {
        const deps = getDeps();
        res.setHeader('Cache-Control', 'no-store');
        const q = parseWith(CallbackQuery, Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])), 'callback query');
        try {
          const out = await completeSignIn(
            {
              provider: await deps.identity(),
              preAuth: await deps.preAuth(),
              users: await deps.users(),
              sessions: await deps.sessions(),
              audit: await deps.audit(),
              clock: deps.clock,
              policy: deps.sessionPolicy,
            },
            { preAuthToken: readCookie(req, SESSION_COOKIE), state: q.state, code: q.code, providerError: q.error },
          );
          setSessionCookie(req, res, out.token, out.expiresAt, deps.clock.now());
          ctx.log.info('signed in', { uid: out.uid, created: out.created });
          res.redirect(303, landing(req, deps.config.frontendUrl, out.redirectPath));
        } catch (e) {
          if (!isAppError(e) || !e.code.startsWith('AUTH.')) throw e;
          ctx.log.warn('sign-in refused', { errorCode: e.code });
          clearSessionCookie(req, res);
          res.redirect(303, landing(req, deps.config.frontendUrl, '/', e.code));
        }
      }),
      'GET /auth/sessions': withUser(getDeps, async (_req, res, ctx) => {
        const deps = getDeps();
        const list = await (await deps.sessions()).list(ctx.user.uid, deps.clock.now(), deps.sessionPolicy);
        res.json({ sessions: list.map((s) => ({ ...s, current: s.id === ctx.user.sessionId })) });
      }),
      'DELETE /auth/sessions/:id': withUser(getDeps, async (_req, res, ctx) => {
        if (!(await (await getDeps().sessions()).revokeById(ctx.user.uid, ctx.params.id!))) throw new AppError('NOT_FOUND', 'No session with this id');
        res.status(204).end();
      }),
      'GET /auth/session': withUser(getDeps, async (_req, res, ctx) => {
        res.json({ uid: ctx.user.uid });
      }),
      'POST /auth/logout': async (req, res) => {
        emptyBody(req);
        const token = readCookie(req, SESSION_COOKIE);
        // A pending sign-in token is not a session: nothing to revoke server-side.
        if (token && !token.startsWith('pre.')) await (await getDeps().sessions()).revoke(token);
        clearSessionCookie(req, res);
        res.status(204).end();
      },
    },
    getDeps,
  );
}
