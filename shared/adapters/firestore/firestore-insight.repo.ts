import type { Firestore } from '@google-cloud/firestore';
import type { InsightJob, InsightRepo, StoredInsight } from '../../ports/insights.js';
import { plain } from './client.js';

/** `users/{uid}/insights/{id}` and `users/{uid}/insightJobs/{jobId}`. */
export class FirestoreInsightRepo implements InsightRepo {
  constructor(private readonly db: Firestore) {}

  private user(uid: string) {
    return this.db.collection('users').doc(uid);
  }

  async saveNew(uid: string, insights: readonly StoredInsight[]): Promise<number> {
    if (!insights.length) return 0;
    const col = this.user(uid).collection('insights');
    const unique = [...new Map(insights.map((i) => [i.id, i])).values()];
    const refs = unique.map((i) => col.doc(i.id));
    // Read and create in one transaction: two generations racing store each insight once, and
    // never overwrite one the user has dismissed, implemented or snoozed in the meantime.
    return this.db.runTransaction(async (tx) => {
      const existing = new Set((await tx.getAll(...refs)).filter((s) => s.exists).map((s) => s.id));
      const fresh = unique.filter((i) => !existing.has(i.id));
      for (const i of fresh) tx.create(col.doc(i.id), plain(i));
      return fresh.length;
    });
  }

  async list(uid: string, query: { category?: StoredInsight['category']; limit: number; now: string }): Promise<StoredInsight[]> {
    // One range filter on a single field (its automatic index); category and status are
    // filtered in memory: at most a few dozen live insights per user, and an equality filter
    // on category next to the range would need a composite index that firestore.indexes.json lacks.
    const snap = await this.user(uid).collection('insights').where('expiresAt', '>', query.now).get();
    return snap.docs
      .map((d) => d.data() as StoredInsight)
      .filter((i) => !query.category || i.category === query.category)
      .filter((i) => i.status === 'active' || (i.status === 'snoozed' && (i.snoozedUntil ?? '') <= query.now))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? -1 : 1))
      .slice(0, query.limit);
  }

  async get(uid: string, id: string): Promise<StoredInsight | null> {
    const snap = await this.user(uid).collection('insights').doc(id).get();
    return snap.exists ? (snap.data() as StoredInsight) : null;
  }

  async update(uid: string, id: string, patch: Partial<Pick<StoredInsight, 'status' | 'snoozedUntil' | 'statusChangedAt'>>): Promise<void> {
    await this.user(uid).collection('insights').doc(id).update(plain(patch));
  }

  async saveJob(uid: string, job: InsightJob): Promise<void> {
    await this.user(uid).collection('insightJobs').doc(job.jobId).set(plain(job));
  }

  async getJob(uid: string, jobId: string): Promise<InsightJob | null> {
    const snap = await this.user(uid).collection('insightJobs').doc(jobId).get();
    return snap.exists ? (snap.data() as InsightJob) : null;
  }

  async deleteAll(uid: string): Promise<void> {
    await this.db.recursiveDelete(this.user(uid).collection('insights'));
  }
}
