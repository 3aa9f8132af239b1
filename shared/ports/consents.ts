import type { Consent } from '../contracts/consents.js';

/** `users/{uid}/consents/{id}`. */
export interface ConsentRepo {
  create(uid: string, consent: Consent): Promise<void>;
  list(uid: string): Promise<Consent[]>;
  get(uid: string, id: string): Promise<Consent | null>;
  /** Marks a consent revoked; returns the revoked consent, or null if there was none active. */
  revoke(uid: string, id: string, at: string): Promise<Consent | null>;
}
