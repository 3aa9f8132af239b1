import { createHash, randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import type { PreAuthRecord, PreAuthStore } from '../../ports/identity.js';

const Doc = z.object({ state: z.string(), nonce: z.string(), codeVerifier: z.string(), redirectPath: z.string(), expiresAt: z.string() });
const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const TOKEN_RE = /^pre\.[A-Za-z0-9_-]{43}$/;

/**
 * `preAuth/{sha256(token)}`: pending sign-ins. The token rides in the `__session` cookie
 * (the only cookie Firebase Hosting forwards) with a `pre.` prefix; `take` reads and
 * deletes in one transaction, so a callback can be completed once.
 */
export class FirestorePreAuthStore implements PreAuthStore {
  constructor(private readonly db: Firestore) {}

  async create(record: PreAuthRecord): Promise<string> {
    const token = `pre.${randomBytes(32).toString('base64url')}`;
    const { Timestamp } = await import('@google-cloud/firestore');
    await this.db.collection('preAuth').doc(hash(token)).create({ ...record, purgeAt: Timestamp.fromDate(new Date(record.expiresAt)) });
    return token;
  }

  async take(token: string, now: Date): Promise<PreAuthRecord | null> {
    if (!TOKEN_RE.test(token)) return null;
    const ref = this.db.collection('preAuth').doc(hash(token));
    const record = await this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) return null;
      tx.delete(ref);
      const parsed = Doc.safeParse(snap.data());
      return parsed.success ? parsed.data : null;
    });
    return record && Date.parse(record.expiresAt) > now.getTime() ? record : null;
  }
}

export const isPreAuthToken = (value: string | undefined): boolean => !!value && TOKEN_RE.test(value);
