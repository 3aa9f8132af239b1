/**
 * Envelope encryption, as the core sees it. Every secret record (a Fi MCP session id, an
 * OAuth refresh token) is encrypted with its own random data key; a `KeyWrapper` encrypts
 * ("wraps") that data key under a key-encryption key it holds and never hands out: Cloud KMS
 * in production, a local keyring file in dev. The associated data string binds each wrap to
 * its owner and purpose, so a wrapped key copied to another record does not open.
 */
export interface WrappedKey {
  /** The wrapped data key, base64. Opaque: only the wrapper that made it can read it. */
  readonly wrappedKey: string;
  /** The key-encryption key version that wrapped it (a KMS CryptoKeyVersion name, `local-vN`). */
  readonly keyVersion: string;
}

export interface KeyWrapper {
  /**
   * Encrypts a data key under the current key-encryption key, bound to `aad`.
   * Not deterministic (a fresh IV or KMS nonce each call).
   * @throws AppError `DEPENDENCY.UNAVAILABLE` (retryable) if the key service cannot be reached.
   */
  wrap(plaintextDataKey: Uint8Array, aad: string): Promise<WrappedKey>;
  /**
   * Decrypts a wrapped data key. Versions other than the current one stay readable until
   * they are destroyed.
   * @throws AppError `INTERNAL` (not retryable) if the key version is unknown or the wrap does
   *   not authenticate (tampered, or a different `aad`); `DEPENDENCY.UNAVAILABLE` (retryable)
   *   if the key service cannot be reached.
   */
  unwrap(wrappedKey: string, keyVersion: string, aad: string): Promise<Uint8Array>;
  /** The version `wrap` uses now; records under another version are due for a rewrap. */
  currentVersion(): Promise<string>;
}

/** Who a secret belongs to and what it is for; both go into the associated data. */
export interface SecretBinding {
  readonly uid: string;
  /** e.g. `fi-mcp-session`, `oauth-refresh-token`. */
  readonly purpose: string;
}

/**
 * One sealed secret, as stored (e.g. a field of `users/{uid}/connections/{id}`). Holds no
 * plaintext; every binary field is base64.
 */
export interface EncryptedSecret {
  readonly v: 1;
  readonly alg: 'AES-256-GCM';
  readonly keyVersion: string;
  readonly wrappedKey: string;
  /** 96-bit GCM nonce. */
  readonly iv: string;
  /** 128-bit GCM authentication tag. */
  readonly tag: string;
  readonly ciphertext: string;
}

/**
 * Seals and opens secrets for use cases, which may not import adapters
 * (`shared/adapters/crypto/envelope.ts` implements it over a `KeyWrapper`).
 */
export interface SecretBox {
  /** @throws AppError `VALIDATION.INVALID_INPUT` for a bad binding; whatever `KeyWrapper.wrap` throws. */
  seal(plaintext: string, binding: SecretBinding): Promise<EncryptedSecret>;
  /** @throws AppError `INTERNAL` if the record does not open under `binding`; whatever `KeyWrapper.unwrap` throws. */
  open(sealed: EncryptedSecret, binding: SecretBinding): Promise<string>;
  /** Moves a record to the current key version; returns it unchanged if it is already there. Idempotent. */
  rewrap(sealed: EncryptedSecret, binding: SecretBinding): Promise<EncryptedSecret>;
}
