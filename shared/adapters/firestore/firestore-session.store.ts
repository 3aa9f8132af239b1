import { createHash, randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { SessionDoc } from '../../contracts/auth.js';
import type { Principal, SessionPolicy, SessionStore } from '../../ports/sessions.js';

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
/** lastSeenAt is written at most this often, so busy sessions do not hammer one document. */
const TOUCH_EVERY_MS = 60_000;

/** `sessions/{sha256(token)}`: 256-bit random tokens, stored only as their hash. */
export class FirestoreSessionStore implements SessionStore {
  constructor(private readonly db: Firestore) {}

  private ref(token: string) {
    return this.db.collection('sessions').doc(hash(token));
  }

  async create(uid: string, now: Date, policy: SessionPolicy): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + policy.absoluteMs);
    const doc: SessionDoc = { uid, createdAt: now.toISOString(), lastSeenAt: now.toISOString(), expiresAt: expiresAt.toISOString() };
    await this.ref(token).create(doc);
    return { token, expiresAt };
  }

  async resolve(token: string, now: Date, policy: SessionPolicy): Promise<Principal | null> {
    if (!TOKEN_RE.test(token)) return null;
    const ref = this.ref(token);
    const snap = await ref.get();
    if (!snap.exists) return null;
    const parsed = SessionDoc.safeParse(snap.data());
    if (!parsed.success) return null;
    const s = parsed.data;
    const t = now.getTime();
    if (t >= Date.parse(s.expiresAt) || t >= Date.parse(s.lastSeenAt) + policy.idleMs) {
      await ref.delete().catch(() => {});
      return null;
    }
    if (t - Date.parse(s.lastSeenAt) > TOUCH_EVERY_MS) await ref.update({ lastSeenAt: now.toISOString() });
    return { uid: s.uid, sessionId: ref.id };
  }

  async revoke(token: string): Promise<void> {
    if (TOKEN_RE.test(token)) await this.ref(token).delete();
  }
}
