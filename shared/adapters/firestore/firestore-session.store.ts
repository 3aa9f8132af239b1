import { createHash, randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { SessionDoc } from '../../contracts/auth.js';
import type { Principal, SessionInfo, SessionPolicy, SessionStore } from '../../ports/sessions.js';

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
/** lastSeenAt is written at most this often, so busy sessions do not hammer one document. */
const TOUCH_EVERY_MS = 60_000;

const live = (s: SessionDoc, t: number, policy: SessionPolicy): boolean =>
  t < Date.parse(s.expiresAt) && t < Date.parse(s.lastSeenAt) + policy.idleMs && t < Date.parse(s.createdAt) + policy.absoluteMs;

/** `sessions/{sha256(token)}`: 256-bit random tokens, stored only as their hash. */
export class FirestoreSessionStore implements SessionStore {
  constructor(private readonly db: Firestore) {}

  private ref(token: string) {
    return this.db.collection('sessions').doc(hash(token));
  }

  async create(uid: string, now: Date, policy: SessionPolicy): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + policy.absoluteMs);
    const doc: SessionDoc = { uid, publicId: randomBytes(12).toString('base64url'), createdAt: now.toISOString(), lastSeenAt: now.toISOString(), expiresAt: expiresAt.toISOString() };
    const { Timestamp } = await import('@google-cloud/firestore');
    // purgeAt (a Timestamp) drives the TTL policy; expiry itself is checked on every read.
    await this.ref(token).create({ ...doc, purgeAt: Timestamp.fromDate(expiresAt) });
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
    if (!live(s, t, policy)) {
      await ref.delete().catch(() => {});
      return null;
    }
    if (t - Date.parse(s.lastSeenAt) > TOUCH_EVERY_MS) await ref.update({ lastSeenAt: now.toISOString() });
    return { uid: s.uid, sessionId: s.publicId };
  }

  async list(uid: string, now: Date, policy: SessionPolicy): Promise<SessionInfo[]> {
    const snap = await this.db.collection('sessions').where('uid', '==', uid).limit(100).get();
    return snap.docs
      .map((d) => SessionDoc.safeParse(d.data()))
      .flatMap((p) => (p.success && live(p.data, now.getTime(), policy) ? [p.data] : []))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((s) => ({ id: s.publicId, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt, current: false }));
  }

  async revokeById(uid: string, publicId: string): Promise<boolean> {
    const snap = await this.db.collection('sessions').where('uid', '==', uid).where('publicId', '==', publicId).limit(1).get();
    if (snap.empty) return false;
    await snap.docs[0]!.ref.delete();
    return true;
  }

  async revokeAll(uid: string): Promise<number> {
    const snap = await this.db.collection('sessions').where('uid', '==', uid).select().get();
    for (let i = 0; i < snap.docs.length; i += 400) {
      const batch = this.db.batch();
      snap.docs.slice(i, i + 400).forEach((d) => batch.delete(d.ref));
      await batch.commit();
    }
    return snap.size;
  }

  async revoke(token: string): Promise<void> {
    if (TOKEN_RE.test(token)) await this.ref(token).delete();
  }
}
