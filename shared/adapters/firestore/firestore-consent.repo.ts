import type { Firestore } from '@google-cloud/firestore';
import { Consent } from '../../contracts/consents.js';
import type { ConsentRepo } from '../../ports/consents.js';

/** `users/{uid}/consents/{id}`. */
export class FirestoreConsentRepo implements ConsentRepo {
  constructor(private readonly db: Firestore) {}

  private col(uid: string) {
    return this.db.collection('users').doc(uid).collection('consents');
  }

  async create(uid: string, consent: Consent): Promise<void> {
    await this.col(uid).doc(consent.id).create(Consent.parse(consent));
  }

  async list(uid: string): Promise<Consent[]> {
    const snap = await this.col(uid).orderBy('grantedAt', 'desc').limit(100).get();
    return snap.docs.map((d) => Consent.parse(d.data()));
  }

  async get(uid: string, id: string): Promise<Consent | null> {
    const snap = await this.col(uid).doc(id).get();
    return snap.exists ? Consent.parse(snap.data()) : null;
  }

  async revoke(uid: string, id: string, at: string): Promise<Consent | null> {
    const ref = this.col(uid).doc(id);
    return this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) return null;
      const consent = Consent.parse(snap.data());
      if (consent.status !== 'active') return null;
      const revoked: Consent = { ...consent, status: 'revoked', revokedAt: at };
      tx.set(ref, revoked);
      return revoked;
    });
  }
}
