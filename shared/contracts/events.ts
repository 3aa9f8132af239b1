import { z } from 'zod';

/**
 * Pub/Sub topics are versioned constants; a breaking payload change gets a new topic.
 * Every payload has one schema here, and both the publisher (EventBus adapter) and the
 * subscriber (event functions) validate with it.
 */
export const Topics = {
  syncRequested: 'fi-sync-requested-v1',
  syncCompleted: 'fi-sync-completed-v1',
  netWorthRollup: 'networth-rollup-v1',
  insightsRequested: 'insights-requested-v1',
} as const;
export type TopicName = (typeof Topics)[keyof typeof Topics];

const uid = z.string().regex(/^[A-Za-z0-9_-]{6,128}$/, 'expected a user id');
const runId = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'expected a run id');
const isoTime = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 timestamp' });

export const SyncRequestedV1 = z.object({
  uid,
  runId,
  requestedAt: isoTime,
});
export type SyncRequestedV1 = z.infer<typeof SyncRequestedV1>;

export const SyncCompletedV1 = z.object({
  uid,
  runId,
  status: z.enum(['succeeded', 'partial', 'failed']),
  completedAt: isoTime,
});
export type SyncCompletedV1 = z.infer<typeof SyncCompletedV1>;

/**
 * From Cloud Scheduler (`{}`: every user, for the month just ended), from that fan-out
 * (`{uid, month}`: one user's month) or after a sync (`{uid, runId}`: one user, every month).
 */
export const NetWorthRollupV1 = z.object({
  uid: uid.optional(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM').optional(),
  runId: runId.optional(),
});
export type NetWorthRollupV1 = z.infer<typeof NetWorthRollupV1>;

export const InsightsRequestedV1 = z.object({
  uid: uid.optional(),
  jobId: runId.optional(),
  reason: z.enum(['sync-completed', 'weekly', 'user']),
});
export type InsightsRequestedV1 = z.infer<typeof InsightsRequestedV1>;

export const TopicSchemas = {
  [Topics.syncRequested]: SyncRequestedV1,
  [Topics.syncCompleted]: SyncCompletedV1,
  [Topics.netWorthRollup]: NetWorthRollupV1,
  [Topics.insightsRequested]: InsightsRequestedV1,
} as const satisfies Record<TopicName, z.ZodType>;

export type TopicPayload<T extends TopicName> = z.infer<(typeof TopicSchemas)[T]>;
