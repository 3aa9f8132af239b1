import type { z } from 'zod';
import { CloudEventContext, PubSubEnvelope, PUBSUB_MESSAGE_PUBLISHED } from '../../shared/contracts/cloud-event.js';
import { fieldProblems, parseWith } from '../../shared/contracts/validation.js';
import { AppError } from '../../shared/domain/errors.js';

/** What the handlers need from a CloudEvent: its identity and the validated payload. */
export interface DecodedEvent<T> {
  readonly id: string;
  readonly source: string;
  /** When the message was published (CloudEvent `time`, else the message's publishTime). */
  readonly publishedAt: Date | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  readonly payload: T;
}

/** The shape the functions framework hands to a `cloudEvent` handler (binary or structured). */
export interface IncomingCloudEvent {
  readonly id?: unknown;
  readonly type?: unknown;
  readonly source?: unknown;
  readonly time?: unknown;
  readonly data?: unknown;
}

const parseTime = (value: string | undefined): Date | undefined => {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

/**
 * Decodes a Pub/Sub CloudEvent as Eventarc delivers it (binary mode; data is the push
 * envelope with a base64 message) and validates the JSON payload with `schema`.
 * @throws AppError `EVENT.MALFORMED` naming the offending field: a permanent error,
 *   since redelivering the same bytes cannot succeed.
 */
export function decodePubSubEvent<S extends z.ZodType>(event: IncomingCloudEvent, schema: S): DecodedEvent<z.infer<S>> {
  const ctx = parseWith(CloudEventContext, event, 'CloudEvent', 'EVENT.MALFORMED');
  if (ctx.type !== PUBSUB_MESSAGE_PUBLISHED) {
    throw new AppError('EVENT.MALFORMED', `CloudEvent type ${ctx.type.slice(0, 80)} is not a Pub/Sub message`, {
      problems: [{ field: 'type', message: `expected ${PUBSUB_MESSAGE_PUBLISHED}` }],
    });
  }
  let data: unknown = event.data;
  if (typeof data === 'string' || Buffer.isBuffer(data)) {
    try {
      data = JSON.parse(data.toString());
    } catch {
      throw new AppError('EVENT.MALFORMED', 'CloudEvent data is not JSON', { problems: [{ field: 'data', message: 'expected JSON' }] });
    }
  }
  const envelope = parseWith(PubSubEnvelope, data, 'Pub/Sub envelope', 'EVENT.MALFORMED');
  const raw = envelope.message.data ? Buffer.from(envelope.message.data, 'base64').toString('utf8') : '';
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError('EVENT.MALFORMED', 'message.data is not base64-encoded JSON', {
      problems: [{ field: 'message.data', message: 'expected base64-encoded JSON' }],
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = fieldProblems(parsed.error, 'message.data');
    throw new AppError('EVENT.MALFORMED', `message payload is invalid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, {
      problems,
    });
  }
  return {
    id: ctx.id,
    source: ctx.source,
    publishedAt: parseTime(ctx.time) ?? parseTime(envelope.message.publishTime),
    attributes: envelope.message.attributes ?? {},
    payload: parsed.data,
  };
}
