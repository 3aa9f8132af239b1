import { describe, expect, it } from 'vitest';
import { decodePubSubEvent } from '../../functions/platform/cloud-event.js';
import { SyncRequestedV1, Topics } from '../../shared/contracts/events.js';
import { AppError } from '../../shared/domain/errors.js';
import { pushToCloudEvent } from '../../dev/eventarc-bridge.js';

const valid = { uid: 'user-000001', runId: 'run-000001', requestedAt: '2026-11-24T01:00:00.000Z' };
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64');

/** A CloudEvent as the functions framework hands it over after a binary-mode delivery. */
const anEvent = (data: unknown, over: Record<string, unknown> = {}) => ({
  id: 'evt-1',
  type: 'google.cloud.pubsub.topic.v1.messagePublished',
  source: '//pubsub.googleapis.com/projects/demo-x/topics/fi-sync-requested-v1',
  specversion: '1.0',
  time: '2026-11-24T01:00:01.000Z',
  data: { message: { data: b64(data), messageId: '1', publishTime: '2026-11-24T01:00:01.000Z' }, subscription: 'projects/demo-x/subscriptions/s' },
  ...over,
});

const problemOf = (event: unknown): { code: string; fields: string[] } => {
  try {
    decodePubSubEvent(event as never, SyncRequestedV1);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return { code: (e as AppError).code, fields: (e as AppError).problems.map((p) => p.field) };
  }
  throw new Error('expected a decode error');
};

describe('decodePubSubEvent', () => {
  it('decodes and validates the payload of an Eventarc Pub/Sub CloudEvent', () => {
    const d = decodePubSubEvent(anEvent(valid), SyncRequestedV1);
    expect(d).toMatchObject({ id: 'evt-1', payload: valid });
    expect(d.publishedAt?.toISOString()).toBe('2026-11-24T01:00:01.000Z');
  });

  it('accepts the data as a JSON string too (structured bodies)', () => {
    const e = anEvent(valid);
    expect(decodePubSubEvent({ ...e, data: JSON.stringify(e.data) }, SyncRequestedV1).payload).toEqual(valid);
  });

  it.each([
    ['a payload missing a field', anEvent({ uid: 'user-000001', runId: 'run-000001' }), ['message.data.requestedAt']],
    ['a payload of the wrong type', anEvent({ ...valid, runId: 7 }), ['message.data.runId']],
    ['a hostile uid', anEvent({ ...valid, uid: '../users/other' }), ['message.data.uid']],
    ['non-JSON data', anEvent('not json'), ['message.data']],
    ['an envelope without a message', anEvent(valid, { data: { subscription: 's' } }), ['message']],
    ['another event type', anEvent(valid, { type: 'google.cloud.storage.object.v1.finalized' }), ['type']],
    ['no event id', anEvent(valid, { id: undefined }), ['id']],
  ])('rejects %s as EVENT.MALFORMED naming the field', (_l, event, fields) => {
    const p = problemOf(event);
    expect(p.code).toBe('EVENT.MALFORMED');
    expect(p.fields).toEqual(expect.arrayContaining(fields));
  });
});

describe('pushToCloudEvent (the local Eventarc bridge)', () => {
  const push = { message: { data: b64(valid), attributes: { schema: Topics.syncRequested }, messageId: '17', publishTime: '2026-11-24T01:00:01.000Z' }, subscription: 'projects/demo-x/subscriptions/fiSync-push' };

  it('builds the binary-mode CloudEvent Eventarc sends for a Pub/Sub message', () => {
    const ce = pushToCloudEvent(push, 'demo-x', Topics.syncRequested);
    expect(ce.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'ce-id': '17',
      'ce-source': '//pubsub.googleapis.com/projects/demo-x/topics/fi-sync-requested-v1',
      'ce-specversion': '1.0',
      'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
      'ce-time': '2026-11-24T01:00:01.000Z',
    });
    expect(JSON.parse(ce.body)).toEqual({
      message: { data: push.message.data, attributes: { schema: Topics.syncRequested }, messageId: '17', message_id: '17', publishTime: push.message.publishTime, publish_time: push.message.publishTime },
      subscription: 'projects/demo-x/subscriptions/fiSync-push',
    });
  });

  it('keeps ids unique across emulator restarts with an instance prefix (the emulator numbers from 1)', () => {
    const a = pushToCloudEvent(push, 'demo-x', Topics.syncRequested, 'aaaa1111');
    const b = pushToCloudEvent(push, 'demo-x', Topics.syncRequested, 'bbbb2222');
    expect(a.headers['ce-id']).toBe('aaaa1111-17');
    expect(b.headers['ce-id']).not.toBe(a.headers['ce-id']);
  });

  it('round-trips through the decoder', () => {
    const ce = pushToCloudEvent(push, 'demo-x', Topics.syncRequested);
    const event = { id: ce.headers['ce-id'], type: ce.headers['ce-type'], source: ce.headers['ce-source'], time: ce.headers['ce-time'], data: JSON.parse(ce.body) as unknown };
    expect(decodePubSubEvent(event, SyncRequestedV1).payload).toEqual(valid);
  });
});
