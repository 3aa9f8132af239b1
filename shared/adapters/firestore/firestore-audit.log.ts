import type { Firestore } from '@google-cloud/firestore';
import { AuditEntry } from '../../contracts/documents.js';
import type { AuditLog } from '../../ports/audit-log.js';

/** `users/{uid}/audit/{auto-id}`: random ids, so appends never hot-spot one range. */
export class FirestoreAuditLog implements AuditLog {
  constructor(private readonly db: Firestore) {}

  private col(uid: string) {
    return this.db.collection('users').doc(uid).collection('audit');
  }

  async append(uid: string, entry: AuditEntry): Promise<void> {
    await this.col(uid).add(AuditEntry.parse(entry));
  }

  async list(uid: string, limit: number): Promise<AuditEntry[]> {
    const snap = await this.col(uid).orderBy('at', 'desc').limit(limit).get();
    return snap.docs.map((d) => AuditEntry.parse(d.data()));
  }
}
