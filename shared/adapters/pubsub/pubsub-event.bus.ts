import type { PubSub, Topic } from '@google-cloud/pubsub';
import { TopicSchemas, type TopicName, type TopicPayload } from '../../contracts/events.js';
import { parseWith } from '../../contracts/validation.js';
import { unavailable } from '../../domain/errors.js';
import type { EventBus, PublishOptions } from '../../ports/event-bus.js';

/**
 * EventBus over Cloud Pub/Sub (or its emulator). Payloads are validated with the topic's
 * schema before they leave the process, so a subscriber never sees a shape we did not mean.
 */
export class PubSubEventBus implements EventBus {
  private readonly topics = new Map<string, Topic>();

  constructor(private readonly pubsub: PubSub) {}

  async publish<T extends TopicName>(topic: T, payload: TopicPayload<T>, options: PublishOptions = {}): Promise<string> {
    const data = parseWith(TopicSchemas[topic], payload, `payload for ${topic}`);
    let handle = this.topics.get(topic);
    if (!handle) {
      handle = this.pubsub.topic(topic);
      this.topics.set(topic, handle);
    }
    try {
      return await handle.publishMessage({
        data: Buffer.from(JSON.stringify(data)),
        attributes: { ...options.attributes, schema: topic },
      });
    } catch (e) {
      throw unavailable(`Pub/Sub topic ${topic}`, e);
    }
  }
}
