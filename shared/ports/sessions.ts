/** Who is asking: resolved from the session cookie, never from client input. */
export interface Principal {
  readonly uid: string;
  /** The public id of the session (random, not derived from the token). */
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
  /** The user's live sessions, newest first. */
  list(uid: string, now: Date, policy: SessionPolicy): Promise<SessionInfo[]>;
  /** Ends one of the user's sessions by its public id; false if the user has none such. */
  revokeById(uid: string, publicId: string): Promise<boolean>;
  /** Ends every session of a user (sign-out everywhere, account deletion). Returns how many. */
  revokeAll(uid: string): Promise<number>;
}

/** A session as its owner may see it: never the token or its hash. */
export interface SessionInfo {
  readonly id: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly current: boolean;
}

/** `users/{uid}`. */
export interface UserRepo {
  /** Creates the user if absent; returns whether it was created. */
  ensure(uid: string, profile: { email: string; createdAt: string }): Promise<boolean>;
  /** Creates or updates a user signed in with an identity provider, keyed by (issuer, subject). */
  upsertFederated(uid: string, profile: { issuer: string; subject: string; email: string; name?: string; at: string }): Promise<{ created: boolean }>;
  /** User ids in id order, after `after` (exclusive), at most `limit`: for jobs over every user. */
  listIds(after: string | null, limit: number): Promise<string[]>;
}
