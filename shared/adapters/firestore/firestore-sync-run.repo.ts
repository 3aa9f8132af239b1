import type { Firestore } from '@google-cloud/firestore';
import { SyncRun } from '../../contracts/documents.js';
import type { SyncRunRepo } from '../../ports/sync-runs.js';

/** `users/{uid}/syncRuns/{runId}`; documents are validated on read. */
export class FirestoreSyncRunRepo implements SyncRunRepo {
  constructor(private readonly db: Firestore) {}

  private ref(uid: string, runId: string) {
    return this.db.collection('users').doc(uid).collection('syncRuns').doc(runId);
  }

  async get(uid: string, runId: string): Promise<SyncRun | null> {
    const snap = await this.ref(uid, runId).get();
    return snap.exists ? SyncRun.parse(snap.data()) : null;
  }

  async save(uid: string, run: SyncRun): Promise<void> {
    await this.ref(uid, run.runId).set(SyncRun.parse(run));
  }
}
