import type { Firestore } from '@google-cloud/firestore';

export interface FirestoreOptions {
  readonly projectId: string;
  /** host:port of the Firestore emulator; undefined in production. */
  readonly emulatorHost: string | undefined;
}

/**
 * Builds a Firestore client, loading the SDK on first use so cold starts of functions
 * that never touch Firestore do not pay for it. Against the emulator the connection is
 * plain text and the SDK authenticates as the emulator's owner; no credential is read.
 */
export async function createFirestore(options: FirestoreOptions): Promise<Firestore> {
  const { Firestore } = await import('@google-cloud/firestore');
  return new Firestore({
    projectId: options.projectId,
    ignoreUndefinedProperties: true,
    ...(options.emulatorHost ? { host: options.emulatorHost, ssl: false } : {}),
  });
}

/** gRPC status codes the SDK surfaces as `error.code`. */
export const GrpcCode = {
  ALREADY_EXISTS: 6,
  NOT_FOUND: 5,
  ABORTED: 10,
  DEADLINE_EXCEEDED: 4,
  UNAVAILABLE: 14,
  RESOURCE_EXHAUSTED: 8,
} as const;

export const grpcCode = (e: unknown): number | undefined =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'number'
    ? (e as { code: number }).code
    : undefined;

/** Transient gRPC failures worth a retry (by the SDK first, then by Pub/Sub redelivery). */
export const isTransientGrpc = (e: unknown): boolean => {
  const code = grpcCode(e);
  return (
    code === GrpcCode.UNAVAILABLE ||
    code === GrpcCode.DEADLINE_EXCEEDED ||
    code === GrpcCode.ABORTED ||
    code === GrpcCode.RESOURCE_EXHAUSTED
  );
};

/** Strips undefined (Firestore refuses it) through a JSON round trip; for plain data only. */
export const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
