import { FieldValue, type Firestore } from '@google-cloud/firestore';
import type { AiUsageDay, AiUsageEntry, AiUsageLedger } from '../../ports/ai-usage.js';

/**
 * `users/{uid}/aiUsage/{YYYY-MM-DD}`: daily totals incremented atomically, a `reserved` counter
 * for work under way (checked and incremented in one transaction), plus one entry per call
 * under `calls`.
 */
export class FirestoreAiUsageLedger implements AiUsageLedger {
  constructor(private readonly db: Firestore) {}

  private ref(uid: string, day: string) {
    return this.db.collection('users').doc(uid).collection('aiUsage').doc(day);
  }

  private static read(day: string, d: Partial<AiUsageDay> | undefined): AiUsageDay {
    return { day, inputTokens: d?.inputTokens ?? 0, outputTokens: d?.outputTokens ?? 0, calls: d?.calls ?? 0, costUsd: d?.costUsd ?? 0, reserved: Math.max(0, d?.reserved ?? 0) };
  }

  async day(uid: string, day: string): Promise<AiUsageDay> {
    const snap = await this.ref(uid, day).get();
    return FirestoreAiUsageLedger.read(day, snap.data() as Partial<AiUsageDay> | undefined);
  }

  async reserve(uid: string, day: string, tokens: number, limit: number): Promise<boolean> {
    const ref = this.ref(uid, day);
    // Turns of one user race on one document: more attempts than the default 5, so a burst of
    // concurrent turns gets answers (granted or refused) rather than contention errors.
    return this.db.runTransaction(
      async (tx) => {
        const d = FirestoreAiUsageLedger.read(day, (await tx.get(ref)).data() as Partial<AiUsageDay> | undefined);
        if (d.inputTokens + d.outputTokens + d.reserved >= limit) return false;
        tx.set(ref, { day, reserved: FieldValue.increment(Math.max(0, tokens)) }, { merge: true });
        return true;
      },
      { maxAttempts: 20 },
    );
  }

  async record(uid: string, day: string, entry: AiUsageEntry, release = 0): Promise<AiUsageDay> {
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
        ...(release > 0 ? { reserved: FieldValue.increment(-release) } : {}),
      },
      { merge: true },
    );
    batch.create(ref.collection('calls').doc(), { ...entry });
    await batch.commit();
    return this.day(uid, day);
  }

  async release(uid: string, day: string, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    await this.ref(uid, day).set({ day, reserved: FieldValue.increment(-tokens) }, { merge: true });
  }
}
