import { createHash } from 'node:crypto';
import type { DevLoginBody } from '../contracts/auth.js';
import type { Clock } from '../ports/clock.js';
import type { SessionPolicy, SessionStore, UserRepo } from '../ports/sessions.js';

export interface DevLoginDeps {
  readonly users: UserRepo;
  readonly sessions: SessionStore;
  readonly clock: Clock;
  readonly policy: SessionPolicy;
}

/** A dev user's id follows from the email, so signing in again finds the same user. */
export const devUid = (email: string): string => `dev-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 24)}`;

/**
 * Local-only sign-in by email (no password): creates the user if new and a fresh session
 * (a new token at every sign-in). The caller must refuse it outside local mode.
 */
export async function devLogin(deps: DevLoginDeps, body: DevLoginBody): Promise<{ uid: string; email: string; token: string; expiresAt: Date }> {
  const email = body.email.trim().toLowerCase();
  const uid = devUid(email);
  const now = deps.clock.now();
  await deps.users.ensure(uid, { email, createdAt: now.toISOString() });
  const { token, expiresAt } = await deps.sessions.create(uid, now, deps.policy);
  return { uid, email, token, expiresAt };
}
