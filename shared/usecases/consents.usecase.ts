import { randomUUID } from 'node:crypto';
import { CONSENT_SCOPES, SCOPE_TOOLS, toolsForScopes, type Consent, type ConsentScope, type GrantConsentBody } from '../contracts/consents.js';
import type { FiTool } from '../contracts/fi.js';
import { AppError } from '../domain/errors.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { ConsentRepo } from '../ports/consents.js';

/** Scopes covered right now by active, unexpired consents. */
export function grantedScopes(consents: readonly Consent[], now: Date): Set<ConsentScope> {
  const scopes = new Set<ConsentScope>();
  for (const c of consents) {
    if (c.status === 'active' && Date.parse(c.expiresAt) > now.getTime()) for (const s of c.scopes) scopes.add(s);
  }
  return scopes;
}

/** The Fi tools a user's consents allow us to fetch and keep at `now`. */
export const grantedTools = (consents: readonly Consent[], now: Date): FiTool[] => toolsForScopes(grantedScopes(consents, now));

/**
 * Whether data derived from `sources` (Fi tool names, e.g. an analytics section's `sources`)
 * may be used now: every one of them must be under an active consent.
 */
export const allSourcesGranted = (sources: readonly string[], granted: readonly FiTool[]): boolean => sources.every((s) => (granted as readonly string[]).includes(s));

export interface ConsentDeps {
  readonly consents: ConsentRepo;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export async function grantConsent(deps: ConsentDeps, uid: string, body: GrantConsentBody, cause: string): Promise<Consent> {
  const now = deps.clock.now();
  const consent: Consent = {
    id: randomUUID(),
    scopes: [...new Set(body.scopes)].sort((a, b) => CONSENT_SCOPES.indexOf(a) - CONSENT_SCOPES.indexOf(b)),
    purpose: body.purpose,
    status: 'active',
    grantedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + body.dataLifeDays * 86_400_000).toISOString(),
  };
  await deps.consents.create(uid, consent);
  await deps.audit.append(uid, { at: consent.grantedAt, action: 'consent.granted', cause, details: { consentId: consent.id, scopes: consent.scopes.join(',') } });
  return consent;
}

export interface RevokeDeps extends ConsentDeps {
  /** Deletes what was stored from these tools, and everything derived from it. */
  readonly erase: (uid: string, tools: readonly FiTool[]) => Promise<void>;
}

/**
 * Revokes a consent and erases the data of every scope no other active consent still
 * covers. Another user's consent id, or an unknown one, is NOT_FOUND.
 * @returns the revoked consent and the tools whose data was erased.
 */
export async function revokeConsent(deps: RevokeDeps, uid: string, id: string, cause: string): Promise<{ consent: Consent; erased: FiTool[] }> {
  const now = deps.clock.now();
  const consent = await deps.consents.revoke(uid, id, now.toISOString());
  if (!consent) throw new AppError('NOT_FOUND', 'No active consent with this id');
  const stillGranted = grantedScopes(await deps.consents.list(uid), now);
  const erased = consent.scopes.filter((s) => !stillGranted.has(s)).flatMap((s) => SCOPE_TOOLS[s]);
  if (erased.length) await deps.erase(uid, erased);
  await deps.audit.append(uid, { at: now.toISOString(), action: 'consent.revoked', cause, details: { consentId: id, erased: erased.join(',') } });
  return { consent, erased };
}
