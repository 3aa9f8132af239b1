import { PUBSUB_MESSAGE_PUBLISHED } from '../shared/contracts/cloud-event.js';

/** A Pub/Sub push request body, as the emulator (and Pub/Sub itself) sends it. */
export interface PushBody {
  readonly message: {
    readonly data?: string;
    readonly attributes?: Record<string, string>;
    readonly messageId?: string;
    readonly message_id?: string;
    readonly publishTime?: string;
    readonly publish_time?: string;
  };
  readonly subscription: string;
}

export interface BinaryCloudEvent {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Turns a Pub/Sub push into the binary-mode CloudEvent that Eventarc delivers in
 * production: `ce-*` headers (id = message id, source = the topic, type =
 * messagePublished, time = publish time) and the push envelope as the JSON body, with the
 * message fields in both spellings Eventarc uses.
 */
export function pushToCloudEvent(push: PushBody, projectId: string, topic: string, instanceId = ''): BinaryCloudEvent {
  const rawId = push.message.messageId ?? push.message.message_id;
  // The emulator numbers messages from 1 at every start, while our dedupe records persist
  // with the Firestore data: an instance prefix keeps ids unique, as Pub/Sub's are.
  const messageId = rawId && instanceId ? `${instanceId}-${rawId}` : rawId;
  const publishTime = push.message.publishTime ?? push.message.publish_time ?? new Date().toISOString();
  if (!messageId) throw new Error('push message has no messageId');
  const message = {
    ...(push.message.data !== undefined ? { data: push.message.data } : {}),
    ...(push.message.attributes ? { attributes: push.message.attributes } : {}),
    messageId,
    message_id: messageId,
    publishTime,
    publish_time: publishTime,
  };
  return {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'ce-id': messageId,
      'ce-source': `//pubsub.googleapis.com/projects/${projectId}/topics/${topic}`,
      'ce-specversion': '1.0',
      'ce-type': PUBSUB_MESSAGE_PUBLISHED,
      'ce-time': publishTime,
    },
    body: JSON.stringify({ message, subscription: push.subscription }),
  };
}
