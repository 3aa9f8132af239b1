import { z } from 'zod';

/** Firestore documents: one schema each; adapters validate what they read. */

export const SyncRun = z.object({
  runId: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'partial', 'failed']),
  requestedAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** Per Fi tool: outcome and counts. Filled by the sync (issue 3). */
  sources: z
    .record(
      z.string(),
      z.object({ status: z.enum(['ok', 'empty', 'failed', 'skipped']), count: z.number().int().optional(), reason: z.string().optional() }),
    )
    .default({}),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type SyncRun = z.infer<typeof SyncRun>;

export const AuditEntry = z.object({
  at: z.string(),
  action: z.string(),
  /** What caused it: a request id or a CloudEvent id. */
  cause: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
