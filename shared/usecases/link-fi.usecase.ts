import type { Connection } from '../contracts/documents.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { ConnectionRepo } from '../ports/connections.js';
import type { FiSource } from '../ports/fi-source.js';
import type { SecretBox } from '../ports/key-wrapper.js';
import { AppError } from '../domain/errors.js';
import { FI_SESSION_PURPOSE, rethrowUnlessPermanent } from './fi-session.js';

export interface LinkFiDeps {
  readonly connections: ConnectionRepo;
  readonly fi: FiSource;
  readonly secrets: SecretBox;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/**
 * Starts (or checks) the Fi link. Reuses the stored MCP session when there is one (a new
 * session would mean a new login at Fi); opens a new one when there is none or Fi forgot
 * it. The session id is sealed before it is stored and never returned.
 * @returns the connection: `login_required` with the URL the user must open, or `connected`.
 */
export async function linkFi(deps: LinkFiDeps, uid: string, cause: string): Promise<Connection> {
  const binding = { uid, purpose: FI_SESSION_PURPOSE };
  const now = deps.clock.now().toISOString();
  const existing = await deps.connections.get(uid, 'fi');
  let sessionId = existing ? await deps.secrets.open(existing.session, binding).catch(rethrowUnlessPermanent) : undefined;
  let sealed = existing?.session;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (!sessionId) {
      sessionId = (await deps.fi.openSession()).sessionId;
      sealed = await deps.secrets.seal(sessionId, binding);
    }
    const state = await deps.fi.connectionState(sessionId);
    if (state.status === 'session-expired') {
      sessionId = undefined;
      continue;
    }
    if (state.status === 'unavailable') throw new AppError('DEPENDENCY.UNAVAILABLE', `Fi is unavailable: ${state.reason}`, { retryable: state.retryable });
    if (state.status === 'denied') throw new AppError('FI.NOT_CONNECTED', `Fi refused this account: ${state.reason}`);
    const connection: Connection = {
      id: 'fi',
      provider: 'fi-mcp',
      status: state.status === 'connected' ? 'connected' : 'login_required',
      ...(state.status === 'login_required' ? { loginUrl: state.loginUrl } : {}),
      session: sealed!,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      ...(existing?.lastSyncAt ? { lastSyncAt: existing.lastSyncAt } : {}),
    };
    await deps.connections.save(uid, connection);
    if (!existing || existing.status !== connection.status) {
      await deps.audit.append(uid, { at: now, action: `connection.fi.${connection.status}`, cause, details: {} });
    }
    return connection;
  }
  throw new AppError('DEPENDENCY.UNAVAILABLE', 'Fi did not keep a new session', { retryable: true });
}

