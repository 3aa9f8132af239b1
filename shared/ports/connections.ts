import type { Connection } from '../contracts/documents.js';

/** `users/{uid}/connections/{id}`. */
export interface ConnectionRepo {
  get(uid: string, id: 'fi'): Promise<Connection | null>;
  save(uid: string, connection: Connection): Promise<void>;
  /** Returns whether something was deleted. */
  delete(uid: string, id: string): Promise<boolean>;
}
