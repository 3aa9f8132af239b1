import { AppError } from '../../domain/errors.js';
import type { SecretSource } from '../../ports/secret-source.js';

/**
 * Secret names are Secret Manager ids; this checks one and maps it to its environment
 * variable: upper case, `-` to `_` (`oauth-client-secret` -> `OAUTH_CLIENT_SECRET`). Pure.
 * @throws AppError `VALIDATION.INVALID_INPUT` for a name that is not a valid secret id.
 */
export function secretEnvName(name: string): string {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
    throw new AppError('VALIDATION.INVALID_INPUT', 'a secret name must be 1-255 letters, digits, "-" or "_"', {
      problems: [{ field: 'name', message: 'expected a Secret Manager secret id' }],
    });
  }
  return name.toUpperCase().replace(/-/g, '_');
}

/**
 * `SecretSource` over environment variables.
 *
 * Locally, secrets come from the environment (`.env`, never committed). In production, Cloud
 * Functions resolves a secret bound by reference (Terraform `secret_environment_variables`,
 * e.g. `OAUTH_CLIENT_SECRET`) from Secret Manager when the instance starts and exposes it as
 * an environment variable: reading it here is the intended way to consume it, costs no API
 * call, and needs no Secret Manager client. Note that such a value is fixed for the
 * instance's life: a pinned version changes only on redeploy.
 */
export class EnvSecretSource implements SecretSource {
  constructor(private readonly env: Readonly<Record<string, string | undefined>> = process.env) {}

  /** Whether the environment holds a non-empty value for `name`. */
  has(name: string): boolean {
    const value = this.env[secretEnvName(name)];
    return value !== undefined && value !== '';
  }

  /**
   * @throws AppError `DEPENDENCY.UNAVAILABLE` (not retryable) naming the secret and its
   *   variable when it is unset or empty.
   */
  get(name: string): Promise<string> {
    const variable = secretEnvName(name);
    const value = this.env[variable];
    if (value === undefined || value === '') {
      return Promise.reject(new AppError('DEPENDENCY.UNAVAILABLE', `secret "${name}" is not configured: set the environment variable ${variable}`, { retryable: false }));
    }
    return Promise.resolve(value);
  }
}

/**
 * Production `SecretSource`: a secret mounted as an environment variable wins; any other is
 * read from `fallback` (Secret Manager), so only secrets that are not mounted cost an API call.
 */
export class EnvFirstSecretSource implements SecretSource {
  constructor(
    private readonly env: EnvSecretSource,
    private readonly fallback: SecretSource,
  ) {}

  /** @throws whatever the chosen source throws. */
  get(name: string): Promise<string> {
    try {
      return this.env.has(name) ? this.env.get(name) : this.fallback.get(name);
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }
}
