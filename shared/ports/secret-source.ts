/**
 * Reads deployment secrets (e.g. the OAuth client secret) by name. Names are Secret Manager
 * secret ids: letters, digits, `-` and `_`, e.g. `oauth-client-secret`.
 *
 * Implementations never put a secret's value in an error, a log line or a cache key.
 */
export interface SecretSource {
  /**
   * The secret's value, exactly as stored (no trimming).
   * Idempotent; implementations may cache a successful read for the instance's lifetime.
   * @throws AppError `DEPENDENCY.UNAVAILABLE` naming the secret (never its value): retryable
   *   when the store is briefly unreachable, not retryable when the secret is missing,
   *   disabled or not readable by this service; `VALIDATION.INVALID_INPUT` for a malformed name.
   */
  get(name: string): Promise<string>;
}
