import { createPubSub } from '../shared/adapters/pubsub/client.js';
import { EventTriggers } from './routes.js';

/**
 * Creates every topic and one push subscription per event function on the Pub/Sub
 * emulator, pushing to the local Eventarc bridge. Safe to run again: existing topics are
 * kept and existing subscriptions get the current endpoint.
 */
export async function provisionPubSub(options: {
  projectId: string;
  emulatorHost: string;
  functionsUrl: string;
  topics: readonly string[];
}): Promise<Array<{ topic: string; subscription?: string; endpoint?: string }>> {
  const pubsub = await createPubSub({ projectId: options.projectId, emulatorHost: options.emulatorHost });
  const out: Array<{ topic: string; subscription?: string; endpoint?: string }> = [];
  try {
    for (const name of options.topics) {
      const topic = pubsub.topic(name);
      const [exists] = await topic.exists();
      if (!exists) await topic.create();
      const triggers = EventTriggers.filter((t) => t.topic === name);
      if (!triggers.length) out.push({ topic: name });
      for (const trigger of triggers) {
        const subName = `${trigger.fn}-push`;
        const endpoint = `${options.functionsUrl}/_eventarc/${trigger.fn}`;
        const sub = topic.subscription(subName);
        const [subExists] = await sub.exists();
        if (subExists) await sub.modifyPushConfig({ pushEndpoint: endpoint });
        else {
          await topic.createSubscription(subName, {
            pushConfig: { pushEndpoint: endpoint },
            ackDeadlineSeconds: 60,
            retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 30 } },
          });
        }
        out.push({ topic: name, subscription: subName, endpoint });
      }
    }
  } finally {
    await pubsub.close();
  }
  return out;
}
