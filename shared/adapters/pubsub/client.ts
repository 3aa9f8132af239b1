import type { PubSub } from '@google-cloud/pubsub';

export interface PubSubOptions {
  readonly projectId: string;
  /** host:port of the Pub/Sub emulator; undefined in production. */
  readonly emulatorHost: string | undefined;
}

/** Builds a Pub/Sub client on first use (the SDK is heavy; see the cold-start figures). */
export async function createPubSub(options: PubSubOptions): Promise<PubSub> {
  const { PubSub } = await import('@google-cloud/pubsub');
  return new PubSub({
    projectId: options.projectId,
    ...(options.emulatorHost ? { apiEndpoint: options.emulatorHost, emulatorMode: true } : {}),
  });
}
