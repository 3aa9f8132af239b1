import { isAppError } from '../domain/errors.js';

/** The purpose bound (with the uid) into the sealed Fi MCP session id. */
export const FI_SESSION_PURPOSE = 'fi-mcp-session';

/**
 * For `secrets.open(...).catch(...)`: a stored session that can no longer be opened (its key
 * was destroyed, or the record was tampered with) counts as absent (undefined), so the user
 * links again instead of being stuck; transient failures are rethrown.
 */
export function rethrowUnlessPermanent(e: unknown): undefined {
  // Only "does not open" (INTERNAL) means the record is lost; a key service refusing us
  // (permissions, a missing key) is an operator problem, not the user's: rethrow it.
  if (isAppError(e) && e.code === 'INTERNAL' && !e.retryable) return undefined;
  throw e;
}
