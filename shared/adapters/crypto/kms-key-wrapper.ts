import type { KeyManagementServiceClient } from '@google-cloud/kms';
import { AppError } from '../../domain/errors.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { KeyWrapper, WrappedKey } from '../../ports/key-wrapper.js';
import { bytes, classifyRpcError, clientOptions, crc32c, int64, type GoogleApiTarget } from '../secrets/google-api.js';

/**
 * `KeyWrapper` over Cloud KMS: the data key is encrypted by a symmetric `ENCRYPT_DECRYPT`
 * CryptoKey (`KMS_KEY_NAME`), with the record's associated data as KMS
 * `additionalAuthenticatedData`, so a wrapped key only opens for the same (uid, purpose).
 *
 * - `wrap` records the CryptoKeyVersion KMS reports it used (the primary at that moment).
 * - `unwrap` calls decrypt on the CryptoKey: KMS finds the version in the ciphertext, so
 *   records wrapped before a rotation keep opening while their version is enabled.
 * - `currentVersion` is the key's primary version, cached for `primaryCacheMs`. It is read
 *   with GetCryptoKey (needs `cloudkms.cryptoKeys.get`, e.g. roles/cloudkms.viewer on the key);
 *   without that permission it is learnt from an encrypt of a throwaway byte, which needs only
 *   the encrypter role. Every `wrap` also refreshes it from the version KMS reports.
 * - Requests and responses carry CRC32C checksums both ways; a mismatch is a retryable error.
 *
 * Errors (AppError): transient KMS failures (unavailable, deadline, quota, 5xx) are
 * `DEPENDENCY.UNAVAILABLE` retryable; missing permission or key is `DEPENDENCY.UNAVAILABLE`
 * not retryable; a wrapped key KMS refuses to decrypt (wrong associated data, tampered,
 * disabled or destroyed version, another key) is `INTERNAL` not retryable.
 * No data key, plaintext or ciphertext ever appears in an error message.
 */
export interface KmsKeyWrapperOptions extends GoogleApiTarget {
  /** `projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`. */
  readonly keyName: string;
  /** How long the primary version is trusted before it is read again. Default 5 minutes. */
  readonly primaryCacheMs?: number;
  /** Per-attempt deadline of one KMS call. Default 10 s. */
  readonly callTimeoutMs?: number;
  /** Attempts per call on UNAVAILABLE / DEADLINE_EXCEEDED (the client's own retry). Default 3. */
  readonly maxAttempts?: number;
  readonly clock?: Clock;
}

export const KMS_KEY_NAME_PATTERN = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/;
const PROBE_AAD = Buffer.from('ffai:kms-primary-probe', 'utf8');

export class KmsKeyWrapper implements KeyWrapper {
  private clientPromise: Promise<KeyManagementServiceClient> | undefined;
  private primary: { readonly version: string; readonly at: number } | undefined;
  private primaryInFlight: Promise<string> | undefined;
  /** Set once GetCryptoKey was refused for lack of permission: use the encrypt probe from then on. */
  private primaryByProbe = false;
  private readonly versionPrefix: string;
  private readonly clock: Clock;

  constructor(private readonly options: KmsKeyWrapperOptions) {
    if (!KMS_KEY_NAME_PATTERN.test(options.keyName)) {
      throw new AppError('VALIDATION.INVALID_INPUT', 'KMS key name must look like projects/*/locations/*/keyRings/*/cryptoKeys/*', {
        problems: [{ field: 'keyName', message: 'expected projects/*/locations/*/keyRings/*/cryptoKeys/*' }],
      });
    }
    this.versionPrefix = `${options.keyName}/cryptoKeyVersions/`;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Encrypts `plaintextDataKey` under the key's primary version, bound to `aad`.
   * Not idempotent (each call yields a new ciphertext); safe to retry.
   * @throws AppError `DEPENDENCY.UNAVAILABLE` (retryable or not, see the class comment).
   */
  async wrap(plaintextDataKey: Uint8Array, aad: string): Promise<WrappedKey> {
    const { ciphertext, version } = await this.encrypt(plaintextDataKey, Buffer.from(aad, 'utf8'));
    return { wrappedKey: ciphertext.toString('base64'), keyVersion: version };
  }

  /**
   * Decrypts a wrapped data key. `keyVersion` must be a version of this wrapper's key; KMS
   * itself picks the version from the ciphertext. Pure read: idempotent.
   * @throws AppError `INTERNAL` (not retryable) if KMS refuses the ciphertext or the version
   *   belongs to another key; `DEPENDENCY.UNAVAILABLE` for KMS failures.
   */
  async unwrap(wrappedKey: string, keyVersion: string, aad: string): Promise<Uint8Array> {
    if (!keyVersion.startsWith(this.versionPrefix) || !/^\d+$/.test(keyVersion.slice(this.versionPrefix.length))) {
      throw cannotUnwrap('the record was wrapped by another key than the configured KMS key');
    }
    const ciphertext = Buffer.from(wrappedKey, 'base64');
    const aadBytes = Buffer.from(aad, 'utf8');
    const client = await this.client();
    let response;
    try {
      [response] = await client.decrypt(
        {
          name: this.options.keyName,
          ciphertext,
          additionalAuthenticatedData: aadBytes,
          ciphertextCrc32c: { value: crc32c(ciphertext) },
          additionalAuthenticatedDataCrc32c: { value: crc32c(aadBytes) },
        },
        this.callOptions(),
      );
    } catch (e) {
      const failure = classifyRpcError(e);
      // KMS answers INVALID_ARGUMENT for a ciphertext that does not open (other AAD, tampered)
      // and FAILED_PRECONDITION for a disabled or destroyed version: the record cannot open.
      if (failure.kind === 'rejected') throw cannotUnwrap(`KMS refused to decrypt it (${failure.status})`, e);
      throw kmsError('decrypt', failure.kind, failure.status, e);
    }
    const plaintext = bytes(response.plaintext);
    const expected = int64(response.plaintextCrc32c);
    if (expected === undefined || expected !== crc32c(plaintext)) {
      plaintext.fill(0);
      throw integrityError('decrypt');
    }
    const out = new Uint8Array(plaintext);
    plaintext.fill(0);
    return out;
  }

  /**
   * The key's primary CryptoKeyVersion name, cached for `primaryCacheMs`. Idempotent.
   * @throws AppError `DEPENDENCY.UNAVAILABLE` if KMS cannot be reached or the key has no
   *   enabled primary (not an ENCRYPT_DECRYPT key).
   */
  currentVersion(): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.primary && now - this.primary.at < (this.options.primaryCacheMs ?? 300_000)) return Promise.resolve(this.primary.version);
    this.primaryInFlight ??= this.readPrimary()
      .then((version) => {
        this.notePrimary(version);
        return version;
      })
      .finally(() => {
        this.primaryInFlight = undefined;
      });
    return this.primaryInFlight;
  }

  private async readPrimary(): Promise<string> {
    if (!this.primaryByProbe) {
      const client = await this.client();
      try {
        const [key] = await client.getCryptoKey({ name: this.options.keyName }, this.callOptions());
        const primary = key.primary;
        const enabled = primary?.state === 'ENABLED' || primary?.state === 1;
        if (!primary?.name || !enabled || !primary.name.startsWith(this.versionPrefix)) {
          throw new AppError('DEPENDENCY.UNAVAILABLE', 'the KMS key has no enabled primary version (is it an ENCRYPT_DECRYPT key?)', { retryable: false });
        }
        return primary.name;
      } catch (e) {
        if (e instanceof AppError) throw e;
        const failure = classifyRpcError(e);
        if (failure.kind !== 'denied') throw kmsError('getCryptoKey', failure.kind, failure.status, e);
        this.primaryByProbe = true; // encrypter role only: learn the primary from an encrypt
      }
    }
    return (await this.encrypt(new Uint8Array([0]), PROBE_AAD)).version;
  }

  private async encrypt(plaintext: Uint8Array, aad: Buffer): Promise<{ ciphertext: Buffer; version: string }> {
    const client = await this.client();
    const data = Buffer.from(plaintext);
    let response;
    try {
      [response] = await client.encrypt(
        {
          name: this.options.keyName,
          plaintext: data,
          additionalAuthenticatedData: aad,
          plaintextCrc32c: { value: crc32c(data) },
          additionalAuthenticatedDataCrc32c: { value: crc32c(aad) },
        },
        this.callOptions(),
      );
    } catch (e) {
      const failure = classifyRpcError(e);
      throw kmsError('encrypt', failure.kind, failure.status, e);
    } finally {
      data.fill(0);
    }
    const ciphertext = bytes(response.ciphertext);
    if (
      response.verifiedPlaintextCrc32c !== true ||
      response.verifiedAdditionalAuthenticatedDataCrc32c !== true ||
      int64(response.ciphertextCrc32c) !== crc32c(ciphertext) ||
      ciphertext.length === 0
    ) {
      throw integrityError('encrypt');
    }
    const version = response.name ?? '';
    if (!version.startsWith(this.versionPrefix)) {
      throw new AppError('DEPENDENCY.UNAVAILABLE', 'KMS encrypt answered with a key version of another key', { retryable: false });
    }
    this.notePrimary(version);
    return { ciphertext, version };
  }

  /** KMS just used `version` as primary: trust it as current from now on. */
  private notePrimary(version: string): void {
    this.primary = { version, at: this.clock.now().getTime() };
  }

  private callOptions() {
    return { timeout: this.options.callTimeoutMs ?? 10_000, maxRetries: Math.max(1, this.options.maxAttempts ?? 3) };
  }

  private client(): Promise<KeyManagementServiceClient> {
    this.clientPromise ??= import('@google-cloud/kms')
      .then(({ KeyManagementServiceClient }) => new KeyManagementServiceClient(clientOptions(this.options)))
      .catch((e: unknown) => {
        this.clientPromise = undefined;
        throw new AppError('DEPENDENCY.UNAVAILABLE', 'the Cloud KMS client could not be created', { retryable: true, cause: e });
      });
    return this.clientPromise;
  }
}

const cannotUnwrap = (why: string, cause?: unknown) =>
  new AppError('INTERNAL', `the data key could not be unwrapped: ${why}`, { retryable: false, cause });

const integrityError = (call: string) =>
  new AppError('DEPENDENCY.UNAVAILABLE', `Cloud KMS ${call} failed an integrity check (CRC32C); the request can be retried`, { retryable: true });

function kmsError(call: string, kind: 'transient' | 'denied' | 'missing' | 'rejected', status: string, cause: unknown): AppError {
  switch (kind) {
    case 'transient':
      return new AppError('DEPENDENCY.UNAVAILABLE', `Cloud KMS ${call} is unavailable (${status})`, { retryable: true, cause });
    case 'denied':
      return new AppError('DEPENDENCY.UNAVAILABLE', `Cloud KMS ${call} was denied (${status}): does this function's service account hold the encrypter/decrypter role on the key?`, { retryable: false, cause });
    case 'missing':
      return new AppError('DEPENDENCY.UNAVAILABLE', `Cloud KMS ${call}: the key was not found (${status}); check KMS_KEY_NAME`, { retryable: false, cause });
    case 'rejected':
      return new AppError('DEPENDENCY.UNAVAILABLE', `Cloud KMS ${call} was rejected (${status})`, { retryable: false, cause });
  }
}
