import type { Firestore } from '@google-cloud/firestore';
import type { UserRepo } from '../../ports/sessions.js';
import { GrpcCode, grpcCode } from './client.js';

export class FirestoreUserRepo implements UserRepo {
  constructor(private readonly db: Firestore) {}

  async ensure(uid: string, profile: { email: string; createdAt: string }): Promise<boolean> {
    try {
      await this.db.collection('users').doc(uid).create(profile);
      return true;
    } catch (e) {
      if (grpcCode(e) === GrpcCode.ALREADY_EXISTS) return false;
      throw e;
    }
  }
}
