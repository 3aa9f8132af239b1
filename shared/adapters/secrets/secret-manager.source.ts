import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { AppError } from '../../domain/errors.js';
import type { SecretSource } from '../../ports/secret-source.js';
import { secretEnvName } from './env-secret.source.js';
import { bytes, classifyRpcError, clientOptions, crc32c, int64, type GoogleApiTarget } from './google-api.js';

export interface SecretManagerSourceOptions extends GoogleApiTarget {
  readonly projectId: string;
  /** Version to read per secret name (e.g. `{ 'oauth-client-secret': '3' }`); default `latest`. */
  readonly versions?: Readonly<Record<string, string>>;
  /** Per-attempt deadline of one call. Default 10 s. */
  readonly callTimeoutMs?: number;
  /** Attempts per call on UNAVAILABLE / DEADLINE_EXCEEDED. Default 3. */
  readonly maxAttempts?: number;
}

/**
 * `SecretSource` over the Secret Manager API: reads
 * `projects/<projectId>/secrets/<name>/versions/<version|latest>` once per instance and keeps
 * the value in memory; a failed read is not cached, so the next call tries again. The
 * payload's CRC32C is checked. For secrets that are NOT mounted into the function's
 * environment (mounted ones are read by `EnvSecretSource`); needs
 * roles/secretmanager.secretAccessor on the secret.
 */
export class SecretManagerSource implements SecretSource {
  private clientPromise: Promise<SecretManagerServiceClient> | undefined;
  private readonly cache = new Map<string, Promise<string>>();

  constructor(private readonly options: SecretManagerSourceOptions) {}

  /**
   * Idempotent; at most one successful API read per secret per instance.
   * @throws AppError `DEPENDENCY.UNAVAILABLE` naming the secret: retryable for transient
   *   failures, not retryable when it is missing, disabled, or access is denied.
   */
  get(name: string): Promise<string> {
    try {
      secretEnvName(name); // validates the name
    } catch (e) {
      return Promise.reject(e as Error);
    }
    let value = this.cache.get(name);
    if (!value) {
      value = this.read(name).catch((e: unknown) => {
        this.cache.delete(name);
        throw e;
      });
      this.cache.set(name, value);
    }
    return value;
  }

  private async read(name: string): Promise<string> {
    const version = this.options.versions?.[name] ?? 'latest';
    const resource = `projects/${this.options.projectId}/secrets/${name}/versions/${version}`;
    const label = `secret "${name}" (version ${version})`;
    const client = await this.client();
    let response;
    try {
      [response] = await client.accessSecretVersion(
        { name: resource },
        { timeout: this.options.callTimeoutMs ?? 10_000, maxRetries: Math.max(1, this.options.maxAttempts ?? 3) },
      );
    } catch (e) {
      const { kind, status } = classifyRpcError(e);
      const why =
        kind === 'transient' ? 'Secret Manager is unavailable'
        : kind === 'denied' ? "access was denied: grant this function's service account roles/secretmanager.secretAccessor on it"
        : kind === 'missing' ? `it does not exist in project ${this.options.projectId}`
        : 'the read was rejected (is the version disabled or destroyed?)';
      throw new AppError('DEPENDENCY.UNAVAILABLE', `${label} could not be read: ${why} (${status})`, { retryable: kind === 'transient', cause: e });
    }
    const data = bytes(response.payload?.data);
    const expected = int64(response.payload?.dataCrc32c);
    if (expected !== undefined && expected !== crc32c(data)) {
      throw new AppError('DEPENDENCY.UNAVAILABLE', `${label} failed its integrity check (CRC32C); retry`, { retryable: true });
    }
    return data.toString('utf8');
  }

  private client(): Promise<SecretManagerServiceClient> {
    this.clientPromise ??= import('@google-cloud/secret-manager')
      .then(({ SecretManagerServiceClient }) => new SecretManagerServiceClient(clientOptions(this.options)))
      .catch((e: unknown) => {
        this.clientPromise = undefined;
        throw new AppError('DEPENDENCY.UNAVAILABLE', 'the Secret Manager client could not be created', { retryable: true, cause: e });
      });
    return this.clientPromise;
  }
}
