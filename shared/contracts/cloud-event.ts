import { z } from 'zod';

/** The CloudEvent type Eventarc uses for a Pub/Sub message. */
export const PUBSUB_MESSAGE_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';

/**
 * The data of a Pub/Sub CloudEvent as Eventarc delivers it: the push envelope
 * `{message: {data (base64), attributes, messageId, publishTime}, subscription}`.
 */
export const PubSubEnvelope = z.object({
  message: z.object({
    data: z.string().regex(/^[A-Za-z0-9+/=_-]*$/, 'expected base64').optional(),
    attributes: z.record(z.string(), z.string()).optional(),
    messageId: z.string().optional(),
    publishTime: z.string().optional(),
  }),
  subscription: z.string().optional(),
});
export type PubSubEnvelope = z.infer<typeof PubSubEnvelope>;

/** The context attributes of a CloudEvent we rely on. */
export const CloudEventContext = z.object({
  id: z.string().min(1, 'required'),
  type: z.string().min(1, 'required'),
  source: z.string().min(1, 'required'),
  time: z.string().optional(),
});
