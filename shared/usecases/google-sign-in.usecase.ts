import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/errors.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { IdentityProvider, PreAuthStore } from '../ports/identity.js';
import type { SessionPolicy, SessionStore, UserRepo } from '../ports/sessions.js';

/** A pending sign-in lives this long: the user has ten minutes at the provider. */
export const PRE_AUTH_TTL_MS = 10 * 60_000;

const random = (bytes = 32) => randomBytes(bytes).toString('base64url');
const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

const sameString = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Users are keyed by (issuer, subject): never by email, which can change or be reassigned. */
export const federatedUid = (issuer: string, subject: string): string =>
  `u-${createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 28)}`;

/**
 * Checks a post-login path against the allowlist: a relative path starting with one `/`,
 * equal to an allowed path or below one, with no scheme, host, backslash or dot segment.
 */
export function allowedRedirectPath(path: string | undefined, allowlist: readonly string[]): string {
  const p = path ?? '/';
  const shapeOk = /^\/(?!\/)[A-Za-z0-9\-._~/]*$/.test(p) && !p.split('/').some((seg) => seg === '..' || seg === '.');
  const listed = allowlist.some((a) => p === a || (a !== '/' && p.startsWith(`${a.replace(/\/$/, '')}/`)));
  if (!shapeOk || !listed) {
    throw new AppError('AUTH.REDIRECT_NOT_ALLOWED', 'redirectPath is not an allowed post-login path', { problems: [{ field: 'redirectPath', message: 'not on the allowlist' }] });
  }
  return p;
}

export interface BeginDeps {
  readonly provider: IdentityProvider;
  readonly preAuth: PreAuthStore;
  readonly clock: Clock;
  readonly allowedRedirectPaths: readonly string[];
}

/**
 * Starts a sign-in: fresh `state`, `nonce` and PKCE verifier, kept server-side under a
 * short-lived pre-auth token (for the `__session` cookie); returns the provider URL.
 */
export async function beginSignIn(deps: BeginDeps, redirectPath: string | undefined): Promise<{ authorizationUrl: string; preAuthToken: string; expiresAt: Date }> {
  const path = allowedRedirectPath(redirectPath, deps.allowedRedirectPaths);
  const state = random();
  const nonce = random();
  const codeVerifier = random(48);
  const expiresAt = new Date(deps.clock.now().getTime() + PRE_AUTH_TTL_MS);
  const preAuthToken = await deps.preAuth.create({ state, nonce, codeVerifier, redirectPath: path, expiresAt: expiresAt.toISOString() });
  return { authorizationUrl: deps.provider.authorizationUrl({ state, nonce, codeChallenge: s256(codeVerifier) }), preAuthToken, expiresAt };
}

export interface CompleteDeps {
  readonly provider: IdentityProvider;
  readonly preAuth: PreAuthStore;
  readonly users: UserRepo;
  readonly sessions: SessionStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly policy: SessionPolicy;
}

/**
 * Completes a sign-in at the callback: the pre-auth record (single use) must exist and its
 * `state` match; the code is redeemed with the PKCE verifier; the ID token (verified by the
 * provider adapter) must carry our `nonce` and a verified email. Upserts the user by
 * (issuer, subject) and creates a new session.
 * @throws AppError AUTH.* naming what failed; nothing is created on failure.
 */
export async function completeSignIn(
  deps: CompleteDeps,
  input: { preAuthToken: string | undefined; state: string | undefined; code: string | undefined; providerError: string | undefined },
): Promise<{ uid: string; token: string; expiresAt: Date; redirectPath: string; created: boolean }> {
  const now = deps.clock.now();
  const pending = input.preAuthToken ? await deps.preAuth.take(input.preAuthToken, now) : null;
  if (!pending || !input.state || !sameString(pending.state, input.state)) {
    throw new AppError('AUTH.STATE_MISMATCH', 'This sign-in is unknown, expired or was already used: start again');
  }
  if (input.providerError) throw new AppError('AUTH.PROVIDER_ERROR', 'The identity provider did not sign you in');
  if (!input.code) throw new AppError('AUTH.CODE_REJECTED', 'The callback carries no code');
  const id = await deps.provider.redeem(input.code, pending.codeVerifier);
  if (!id.nonce || !sameString(id.nonce, pending.nonce)) throw new AppError('AUTH.NONCE_MISMATCH', 'The ID token does not belong to this sign-in');
  if (!id.email || !id.emailVerified) throw new AppError('AUTH.EMAIL_UNVERIFIED', 'Your email address is not verified with the identity provider');
  const uid = federatedUid(id.issuer, id.subject);
  const { created } = await deps.users.upsertFederated(uid, { issuer: id.issuer, subject: id.subject, email: id.email.toLowerCase(), ...(id.name ? { name: id.name } : {}), at: now.toISOString() });
  const session = await deps.sessions.create(uid, now, deps.policy);
  await deps.audit.append(uid, { at: now.toISOString(), action: created ? 'user.created' : 'user.signed_in', cause: 'oidc', details: { issuer: id.issuer } });
  return { uid, token: session.token, expiresAt: session.expiresAt, redirectPath: pending.redirectPath, created };
}
