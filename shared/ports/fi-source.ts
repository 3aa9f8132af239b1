import type { FiTool } from '../contracts/fi.js';

/**
 * Fi Money's MCP server, as the core sees it (see the team's fi-mcp.md). A session id is an
 * opaque bearer credential: whoever holds a logged-in one reads the user's financial data.
 * Callers store it encrypted (`SecretBox`, purpose `fi-mcp-session`), reuse it for every
 * sync (a new session means a new login), and never log it. The login URL embeds it too.
 */
export interface FiSession {
  readonly sessionId: string;
  /** True when `existing` was reused as is; false when a new session was initialised (store it). */
  readonly resumed: boolean;
}

/**
 * What one tool call gave. Per-source outcomes are values, not exceptions, so a sync can
 * record each source and carry on.
 * - `document`: the tool's JSON document, validated for its kind by `parseFiDocument`.
 * - `not-connected`: `{}` (or only `schemaDescription`): the user has not linked this source.
 * - `login_required`: the session has not logged in (or the login was forgotten); show `loginUrl`.
 * - `session-expired`: the server no longer knows the session id: open a new session, then log in.
 * - `denied`: the server refused the logged-in user (e.g. `phone number is not allowed`).
 * - `malformed`: the answer is not a valid document for this tool; `reason` names the field.
 * - `failed`: the call did not complete; `retryable` says whether a later attempt may succeed
 *   (the adapter has already retried transient failures).
 * Reasons never contain the session id.
 */
export type FiToolOutcome =
  | { readonly kind: 'document'; readonly document: Record<string, unknown> }
  | { readonly kind: 'not-connected' }
  | { readonly kind: 'login_required'; readonly loginUrl: string }
  | { readonly kind: 'session-expired' }
  | { readonly kind: 'denied'; readonly reason: string }
  | { readonly kind: 'malformed'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string; readonly retryable: boolean };

/** Whether a session can fetch data now. */
export type FiConnectionState =
  | { readonly status: 'connected' }
  | { readonly status: 'login_required'; readonly loginUrl: string }
  | { readonly status: 'session-expired' }
  | { readonly status: 'denied'; readonly reason: string }
  | { readonly status: 'unavailable'; readonly reason: string; readonly retryable: boolean };

export interface FiSource {
  /**
   * Returns a session to use: `existing` as is, without any request and without a new
   * `initialize` (the server keeps its login), or, when `existing` is absent or not a
   * usable id, a new session from an `initialize` handshake (then `resumed: false`).
   * Idempotent for a given `existing`; each call without one creates a new session.
   * @throws AppError `DEPENDENCY.UNAVAILABLE`: `retryable: true` when the server could not be
   *   reached or answered 5xx/429 after retries; `retryable: false` when it refused the
   *   handshake or negotiated a protocol version this client does not speak.
   */
  openSession(existing?: string): Promise<FiSession>;
  /**
   * Calls one tool on the session, bounded by a per-call timeout and retried with backoff on
   * transient failures only. Read-only on Fi's side, so safe to repeat. Never throws for
   * anything the server or the network does: every such case is an outcome.
   */
  fetchTool(sessionId: string, tool: FiTool): Promise<FiToolOutcome>;
  /**
   * Whether the session is logged in, by calling `fetch_net_worth` (Fi has no status call).
   * Never throws for server or network failures (`unavailable`).
   */
  connectionState(sessionId: string): Promise<FiConnectionState>;
}

/**
 * Maps a tool outcome to the connection state it implies: any answer past the login check
 * (a document, `{}`, even a malformed document) means the session is logged in.
 */
export function connectionStateOf(outcome: FiToolOutcome): FiConnectionState {
  switch (outcome.kind) {
    case 'document':
    case 'not-connected':
    case 'malformed':
      return { status: 'connected' };
    case 'login_required':
      return { status: 'login_required', loginUrl: outcome.loginUrl };
    case 'session-expired':
      return { status: 'session-expired' };
    case 'denied':
      return { status: 'denied', reason: outcome.reason };
    case 'failed':
      return { status: 'unavailable', reason: outcome.reason, retryable: outcome.retryable };
  }
}
