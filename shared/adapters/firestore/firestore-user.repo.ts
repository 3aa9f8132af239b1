import { FieldPath, type Firestore } from '@google-cloud/firestore';
import type { UserRepo } from '../../ports/sessions.js';
import { GrpcCode, grpcCode } from './client.js';

export class FirestoreUserRepo implements UserRepo {
  constructor(private readonly db: Firestore) {}

  async ensure(uid: string, profile: { email: string; createdAt: string }): Promise<boolean> {
    try {
      await this.db.collection('users').doc(uid).create(profile);
      return true;
    } catch (e) {
      if (grpcCode(e) === GrpcCode.ALREADY_EXISTS) return false;
      throw e;
    }
  }

  async upsertFederated(uid: string, p: { issuer: string; subject: string; email: string; name?: string; at: string }): Promise<{ created: boolean }> {
    const ref = this.db.collection('users').doc(uid);
    return this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const profile = { issuer: p.issuer, subject: p.subject, email: p.email, ...(p.name ? { displayName: p.name } : {}), lastSignInAt: p.at };
      if (snap.exists) tx.update(ref, profile);
      else tx.create(ref, { ...profile, createdAt: p.at });
      return { created: !snap.exists };
    });
  }

  async listIds(after: string | null, limit: number): Promise<string[]> {
    let q = this.db.collection('users').orderBy(FieldPath.documentId()).select().limit(limit);
    if (after) q = q.startAfter(after);
    return (await q.get()).docs.map((d) => d.id);
  }
}
