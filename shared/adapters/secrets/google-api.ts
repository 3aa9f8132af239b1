import type { AuthClient } from 'google-auth-library';

/**
 * Helpers shared by the adapters over Google's generated API clients (`@google-cloud/kms`,
 * `@google-cloud/secret-manager`): where to connect, how to read their wrapper types, CRC32C
 * integrity checks, and how to classify their errors.
 */

/**
 * Where a Google API client connects. Empty in production (the client's default endpoint
 * over TLS, Application Default Credentials). Tests point it at a local REST peer:
 * `{ apiEndpoint: '127.0.0.1', port, protocol: 'http', authClient }`.
 */
export interface GoogleApiTarget {
  /** Host name only, no scheme (the client calls it `apiEndpoint`). */
  readonly apiEndpoint?: string;
  readonly port?: number;
  /** `http` only for a loopback test peer. Default `https`. */
  readonly protocol?: 'http' | 'https';
  /** Credentials to use instead of Application Default Credentials (e.g. a static token). */
  readonly authClient?: AuthClient;
}

/** The subset of the generated clients' constructor options used here (a type alias, so it fits their index signature). */
export type GoogleClientOptions = {
  readonly fallback: boolean;
  readonly apiEndpoint?: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly authClient?: AuthClient;
};

/**
 * Client constructor options for a target. The REST transport (`fallback: true`) is used
 * everywhere, production included, so that what the tests prove against a REST peer is the
 * transport that runs; KMS and Secret Manager serve every method used here over REST.
 */
export function clientOptions(target: GoogleApiTarget): GoogleClientOptions {
  return {
    fallback: true,
    ...(target.apiEndpoint ? { apiEndpoint: target.apiEndpoint } : {}),
    ...(target.port ? { port: target.port } : {}),
    ...(target.protocol ? { protocol: target.protocol } : {}),
    ...(target.authClient ? { authClient: target.authClient } : {}),
  };
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** CRC32C (Castagnoli), the checksum Cloud KMS and Secret Manager use for integrity fields. Pure. */
export function crc32c(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC32C_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Reads an int64 as the clients return it: a number, a decimal string, a Long-like object,
 * or an `Int64Value` wrapper `{ value }`. Undefined when absent.
 */
export function int64(v: unknown): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v === '' ? undefined : Number(v);
  if (typeof v === 'object') {
    if ('value' in v) return int64((v as { value: unknown }).value);
    const s = String(v);
    return /^\d+$/.test(s) ? Number(s) : undefined;
  }
  return undefined;
}

/** Reads a `bytes` field as the clients return it (Buffer, Uint8Array, or base64 text). */
export function bytes(v: unknown): Buffer {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === 'string') return Buffer.from(v, 'base64');
  return Buffer.alloc(0);
}

/** Canonical gRPC status codes (REST errors are mapped onto them by the client). */
export const RpcCode = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

const NAMES = new Map<number, string>(Object.entries(RpcCode).map(([k, v]) => [v, k]));

/**
 * How a failed call should be treated:
 * - `transient`: unavailable, deadline, quota, internal, aborted, any HTTP 5xx or 429, or a
 *   failure with no status at all (the network): worth retrying later.
 * - `denied`: the caller lacks permission or credentials: a deployment problem.
 * - `missing`: the resource does not exist.
 * - `rejected`: the request itself is wrong or the resource is in the wrong state
 *   (invalid argument, failed precondition, ...): retrying the same request cannot help.
 */
export type RpcFailure = { readonly kind: 'transient' | 'denied' | 'missing' | 'rejected'; readonly status: string };

/** Classifies an error thrown by a Google API client call. Pure. */
export function classifyRpcError(e: unknown): RpcFailure {
  const err = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; httpStatusCode?: unknown };
  const code = typeof err.code === 'number' ? err.code : undefined;
  const http = typeof err.httpStatusCode === 'number' ? err.httpStatusCode : undefined;
  const status = code !== undefined ? (NAMES.get(code) ?? `code ${code}`) : http !== undefined ? `HTTP ${http}` : 'no status';
  switch (code) {
    case RpcCode.PERMISSION_DENIED:
    case RpcCode.UNAUTHENTICATED:
      return { kind: 'denied', status };
    case RpcCode.NOT_FOUND:
      return { kind: 'missing', status };
    case RpcCode.INVALID_ARGUMENT:
    case RpcCode.FAILED_PRECONDITION:
      return { kind: 'rejected', status };
    case RpcCode.UNKNOWN:
    case RpcCode.DEADLINE_EXCEEDED:
    case RpcCode.RESOURCE_EXHAUSTED:
    case RpcCode.ABORTED:
    case RpcCode.INTERNAL:
    case RpcCode.UNAVAILABLE:
    case undefined:
      if (code === undefined && http !== undefined && http < 500 && http !== 429) return { kind: 'rejected', status };
      return { kind: 'transient', status };
    default:
      return { kind: http !== undefined && (http >= 500 || http === 429) ? 'transient' : 'rejected', status };
  }
}
