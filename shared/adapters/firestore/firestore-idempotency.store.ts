import { createHash } from 'node:crypto';
import type { Firestore, Timestamp } from '@google-cloud/firestore';
import type { ClaimOutcome, ClaimRequest, IdempotencyStore } from '../../ports/idempotency.js';
import type { Clock } from '../../ports/clock.js';

interface ProcessedEventDoc {
  key: string;
  owner: string;
  status: 'processing' | 'done';
  claimedAt: Timestamp;
  /** Until when the record is binding; the TTL policy deletes it some time after. */
  expiresAt: Timestamp;
}

/** Document ids are hashes: keys may hold any characters, and hashes spread writes evenly. */
const docId = (key: string): string => createHash('sha256').update(key).digest('hex');

/**
 * `processedEvents/{sha256(key)}`, claimed in one Firestore transaction so that concurrent
 * deliveries cannot both win (no get-then-set outside a transaction).
 */
export class FirestoreIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: Firestore,
    private readonly clock: Clock,
    private readonly collection = 'processedEvents',
  ) {}

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    const { Timestamp } = await import('@google-cloud/firestore');
    const refs = request.keys.map((k) => this.db.collection(this.collection).doc(docId(k)));
    return this.db.runTransaction(async (tx) => {
      const now = this.clock.now();
      const snaps = await tx.getAll(...refs);
      let outcome: ClaimOutcome = 'claimed';
      for (const snap of snaps) {
        const doc = snap.data() as ProcessedEventDoc | undefined;
        // Expired records count as absent: TTL deletion can lag by a day or more.
        if (!doc || doc.expiresAt.toMillis() <= now.getTime()) continue;
        if (doc.status === 'done') return 'duplicate';
        // A live claim: a redelivery of the claiming event must come back later (its first
        // attempt may still fail and release); another event with the same business key is
        // a duplicate, since the claimant's own delivery is retried until it completes.
        outcome = doc.owner === request.owner ? 'in-progress' : 'duplicate';
      }
      if (outcome !== 'claimed') return outcome;
      const expiresAt = Timestamp.fromMillis(now.getTime() + request.leaseMs);
      request.keys.forEach((key, i) => {
        const doc: ProcessedEventDoc = {
          key: key.slice(0, 300),
          owner: request.owner,
          status: 'processing',
          claimedAt: Timestamp.fromDate(now),
          expiresAt,
        };
        tx.set(refs[i]!, doc);
      });
      return 'claimed';
    });
  }

  async complete(request: ClaimRequest): Promise<void> {
    const { Timestamp } = await import('@google-cloud/firestore');
    const expiresAt = Timestamp.fromMillis(this.clock.now().getTime() + request.retainMs);
    const batch = this.db.batch();
    for (const key of request.keys) {
      batch.set(this.db.collection(this.collection).doc(docId(key)), { status: 'done', expiresAt, owner: request.owner }, { merge: true });
    }
    await batch.commit();
  }

  async release(request: ClaimRequest): Promise<void> {
    // Delete only what this owner still holds, so a late release cannot free another's claim.
    await this.db.runTransaction(async (tx) => {
      const refs = request.keys.map((k) => this.db.collection(this.collection).doc(docId(k)));
      const snaps = await tx.getAll(...refs);
      snaps.forEach((snap, i) => {
        const doc = snap.data() as ProcessedEventDoc | undefined;
        if (doc && doc.owner === request.owner && doc.status === 'processing') tx.delete(refs[i]!);
      });
    });
  }
}
