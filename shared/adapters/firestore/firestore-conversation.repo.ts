import { FieldValue, type Firestore } from '@google-cloud/firestore';
import type { Conversation, ConversationRepo, StoredChatMessage } from '../../ports/conversations.js';
import { plain } from './client.js';

/**
 * `users/{uid}/conversations/{id}` with `messages/{messageId}`. Message ids sort in
 * conversation order (the chat use case writes `m<position>-<epoch ms>-<random>`), so
 * messages are read ordered by their `id` field (the document id, repeated): one
 * single-field index, and no reliance on two messages of one turn having different times.
 */
export class FirestoreConversationRepo implements ConversationRepo {
  constructor(private readonly db: Firestore) {}

  private col(uid: string) {
    return this.db.collection('users').doc(uid).collection('conversations');
  }

  async get(uid: string, id: string): Promise<Conversation | null> {
    const snap = await this.col(uid).doc(id).get();
    return snap.exists ? (snap.data() as Conversation) : null;
  }

  async list(uid: string, limit: number): Promise<Conversation[]> {
    const snap = await this.col(uid).orderBy('updatedAt', 'desc').limit(limit).get();
    return snap.docs.map((d) => d.data() as Conversation);
  }

  async messages(uid: string, id: string, limit: number): Promise<StoredChatMessage[]> {
    const snap = await this.col(uid).doc(id).collection('messages').orderBy('id', 'desc').limit(limit).get();
    return snap.docs.map((d) => d.data() as StoredChatMessage).reverse();
  }

  /** `messageCount` is incremented by the messages appended, so two turns racing on one conversation both count. */
  async append(uid: string, conversation: Conversation, messages: readonly StoredChatMessage[]): Promise<void> {
    const ref = this.col(uid).doc(conversation.id);
    const batch = this.db.batch();
    batch.set(ref, { ...plain(conversation), messageCount: FieldValue.increment(messages.length) }, { merge: true });
    for (const m of messages) batch.set(ref.collection('messages').doc(m.id), plain(m));
    await batch.commit();
  }

  async delete(uid: string, id: string): Promise<boolean> {
    const ref = this.col(uid).doc(id);
    if (!(await ref.get()).exists) return false;
    await this.db.recursiveDelete(ref);
    return true;
  }

  async deleteAll(uid: string): Promise<void> {
    await this.db.recursiveDelete(this.col(uid));
  }
}
