import { Topics, type TopicName } from '../shared/contracts/events.js';

/**
 * How the local stack exposes the registered functions, mirroring production:
 * Firebase Hosting rewrites these path prefixes to HTTP functions, and Eventarc turns a
 * Pub/Sub message on a topic into a CloudEvent for one event function. Keep in step with
 * functions/index.ts and terraform/functions.tf (a unit test checks both).
 */
export const HttpRoutes: ReadonlyArray<{ readonly prefix: string; readonly fn: string }> = [
  { prefix: '/health', fn: 'api' },
  // Before /api/: the first matching prefix wins, as with Hosting's rewrites.
  { prefix: '/api/chat', fn: 'chat' },
  { prefix: '/api/', fn: 'api' },
  { prefix: '/auth/', fn: 'auth' },
];

export const EventTriggers: ReadonlyArray<{ readonly fn: string; readonly topic: TopicName }> = [
  { fn: 'fiSync', topic: Topics.syncRequested },
  { fn: 'netWorthRollup', topic: Topics.netWorthRollup },
  { fn: 'insightsGenerate', topic: Topics.insightsRequested },
];
