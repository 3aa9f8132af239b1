import type { Firestore } from '@google-cloud/firestore';
import { Connection } from '../../contracts/documents.js';
import type { ConnectionRepo } from '../../ports/connections.js';

export class FirestoreConnectionRepo implements ConnectionRepo {
  constructor(private readonly db: Firestore) {}

  private ref(uid: string, id: string) {
    return this.db.collection('users').doc(uid).collection('connections').doc(id);
  }

  async get(uid: string, id: 'fi'): Promise<Connection | null> {
    const snap = await this.ref(uid, id).get();
    return snap.exists ? Connection.parse(snap.data()) : null;
  }

  async save(uid: string, connection: Connection): Promise<void> {
    await this.ref(uid, connection.id).set(Connection.parse(connection));
  }

  async delete(uid: string, id: string): Promise<boolean> {
    const ref = this.ref(uid, id);
    return this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) return false;
      tx.delete(ref);
      return true;
    });
  }
}
