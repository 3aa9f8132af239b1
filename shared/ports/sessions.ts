/** Who is asking: resolved from the session cookie, never from client input. */
export interface Principal {
  readonly uid: string;
  /** The id of the session (the hash of its token); never the token itself. */
  readonly sessionId: string;
}

export interface SessionPolicy {
  readonly idleMs: number;
  readonly absoluteMs: number;
}

/**
 * Server-side sessions. Tokens are at least 128 random bits; only their SHA-256 is stored
 * (`sessions/{hash}`), so a leaked database does not leak live sessions.
 */
export interface SessionStore {
  /** Creates a session for `uid`; returns the token to put in the cookie (shown once). */
  create(uid: string, now: Date, policy: SessionPolicy): Promise<{ token: string; expiresAt: Date }>;
  /** The principal for a token, or null if unknown, expired (idle or absolute) or revoked. Touches lastSeenAt. */
  resolve(token: string, now: Date, policy: SessionPolicy): Promise<Principal | null>;
  revoke(token: string): Promise<void>;
}

/** `users/{uid}`. */
export interface UserRepo {
  /** Creates the user if absent; returns whether it was created. */
  ensure(uid: string, profile: { email: string; createdAt: string }): Promise<boolean>;
}
