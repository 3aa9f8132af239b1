import type { AuditEntry } from '../contracts/documents.js';

/** Append-only `users/{uid}/audit/{id}`: what happened to a user's data, and when. */
export interface AuditLog {
  append(uid: string, entry: AuditEntry): Promise<void>;
  list(uid: string, limit: number): Promise<AuditEntry[]>;
}
