import { FieldValue, type Firestore } from '@google-cloud/firestore';
import type { AiUsageDay, AiUsageEntry, AiUsageLedger } from '../../ports/ai-usage.js';

/** `users/{uid}/aiUsage/{YYYY-MM-DD}`: daily totals incremented atomically, plus one entry per call. */
export class FirestoreAiUsageLedger implements AiUsageLedger {
  constructor(private readonly db: Firestore) {}

  private ref(uid: string, day: string) {
    return this.db.collection('users').doc(uid).collection('aiUsage').doc(day);
  }

  async day(uid: string, day: string): Promise<AiUsageDay> {
    const snap = await this.ref(uid, day).get();
    const d = snap.data() as Partial<AiUsageDay> | undefined;
    return { day, inputTokens: d?.inputTokens ?? 0, outputTokens: d?.outputTokens ?? 0, calls: d?.calls ?? 0, costUsd: d?.costUsd ?? 0 };
  }

  async record(uid: string, day: string, entry: AiUsageEntry): Promise<AiUsageDay> {
    const ref = this.ref(uid, day);
    const batch = this.db.batch();
    batch.set(
      ref,
      {
        day,
        inputTokens: FieldValue.increment(entry.inputTokens),
        outputTokens: FieldValue.increment(entry.outputTokens),
        calls: FieldValue.increment(1),
        costUsd: FieldValue.increment(entry.costUsd),
      },
      { merge: true },
    );
    batch.create(ref.collection('calls').doc(), { ...entry });
    await batch.commit();
    return this.day(uid, day);
  }
}
