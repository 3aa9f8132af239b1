/**
 * Sign-in with an OpenID Connect provider (Google in production, a local OIDC server in
 * the local stack and the tests): authorization code flow with PKCE (S256), `state` and
 * `nonce`.
 */
export interface AuthorizationRequest {
  readonly state: string;
  readonly nonce: string;
  /** base64url(SHA-256(code verifier)). */
  readonly codeChallenge: string;
}

/** Claims of an ID token whose signature, `iss`, `aud` and `exp` the provider adapter verified. */
export interface VerifiedIdToken {
  readonly issuer: string;
  readonly subject: string;
  readonly email?: string;
  readonly emailVerified: boolean;
  readonly nonce?: string;
  readonly name?: string;
}

export interface IdentityProvider {
  /** The provider's authorization URL for this request (response_type=code, S256). */
  authorizationUrl(request: AuthorizationRequest): string;
  /**
   * Exchanges the code with the PKCE verifier and verifies the returned ID token's
   * signature, issuer, audience and expiry.
   * @throws AppError `AUTH.CODE_REJECTED` when the provider refuses the code (replayed,
   *   expired, wrong verifier), `AUTH.ID_TOKEN_INVALID` when the token fails verification,
   *   `DEPENDENCY.UNAVAILABLE` (retryable) when the provider cannot be reached.
   */
  redeem(code: string, codeVerifier: string): Promise<VerifiedIdToken>;
}

/** What a pending sign-in remembers between `begin` and `callback`: single use, short-lived. */
export interface PreAuthRecord {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly redirectPath: string;
  readonly expiresAt: string;
}

export interface PreAuthStore {
  /** Stores the record under a new random token (only its hash is kept); returns the token. */
  create(record: PreAuthRecord): Promise<string>;
  /** Returns and deletes the record in one step (a replayed callback finds nothing). Null if unknown or expired. */
  take(token: string, now: Date): Promise<PreAuthRecord | null>;
}
