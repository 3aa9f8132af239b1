/** A chat message as stored under `users/{uid}/conversations/{id}/messages/{messageId}`. */
export interface StoredChatMessage {
  readonly id: string;
  readonly role: 'user' | 'assistant';
  /** What the user typed, or the verified answer the user was shown. */
  readonly text: string;
  readonly at: string;
  /** Assistant messages: which provider wrote it, the tools it used and the grounding outcome. */
  readonly provider?: 'gemini' | 'local' | 'none';
  readonly model?: string;
  readonly tools?: ReadonlyArray<{ readonly name: string; readonly ok: boolean; readonly asOf: string | null }>;
  readonly grounding?: { readonly figures: number; readonly ungrounded: number; readonly retried: boolean };
  readonly usage?: { readonly inputTokens: number; readonly outputTokens: number };
}

/** `users/{uid}/conversations/{id}`. */
export interface Conversation {
  readonly id: string;
  /** The first question, capped: the user's own words. */
  readonly title: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly messageCount: number;
}

export interface ConversationRepo {
  get(uid: string, id: string): Promise<Conversation | null>;
  /** Newest first. */
  list(uid: string, limit: number): Promise<Conversation[]>;
  /** Oldest first: the last `limit` messages. */
  messages(uid: string, id: string, limit: number): Promise<StoredChatMessage[]>;
  /**
   * Creates the conversation if needed and appends messages, in one atomic batch (a turn's
   * question and answer are stored together or not at all).
   */
  append(uid: string, conversation: Conversation, messages: readonly StoredChatMessage[]): Promise<void>;
  /** Deletes the conversation and its messages; false when there was none. */
  delete(uid: string, id: string): Promise<boolean>;
  /** Deletes every conversation of the user (their answers quote data whose consent was revoked). */
  deleteAll(uid: string): Promise<void>;
}
