import { z } from 'zod';

/** Firestore documents: one schema each; adapters validate what they read. */

export const SyncRun = z.object({
  runId: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'partial', 'failed']),
  requestedAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: z.number().int().optional(),
  /** Financial documents the run wrote (an unchanged re-sync writes only views, snapshot and state). */
  documentsWritten: z.number().int().optional(),
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

/** `users/{uid}/connections/{id}`: the Fi MCP link. The session id is sealed, never plain. */
export const Connection = z.object({
  id: z.literal('fi'),
  provider: z.literal('fi-mcp'),
  status: z.enum(['login_required', 'connected', 'error']),
  /** Where the user logs in (Fi's login page for this session); present while login is required. */
  loginUrl: z.string().optional(),
  session: z.object({
    v: z.literal(1),
    alg: z.literal('AES-256-GCM'),
    keyVersion: z.string(),
    wrappedKey: z.string(),
    iv: z.string(),
    tag: z.string(),
    ciphertext: z.string(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastSyncAt: z.string().optional(),
  lastError: z.string().optional(),
});
export type Connection = z.infer<typeof Connection>;

/** What the API shows of a connection: never the sealed session. */
export const publicConnection = (c: Connection) => ({
  id: c.id,
  provider: c.provider,
  status: c.status,
  ...(c.loginUrl && c.status === 'login_required' ? { loginUrl: c.loginUrl } : {}),
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
  ...(c.lastSyncAt ? { lastSyncAt: c.lastSyncAt } : {}),
});
