import type { Request, Response } from '@google-cloud/functions-framework';
import type { Principal } from '../../shared/ports/sessions.js';

/**
 * The session rides in `__session`: the only cookie Firebase Hosting forwards to functions.
 */
export const SESSION_COOKIE = '__session';

/** Reads one cookie from the Cookie header without trusting its shape. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.header('cookie');
  if (!header || header.length > 8_192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const isLoopback = (req: Request): boolean => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(req.header('host') ?? '');

/** HttpOnly, SameSite=Lax, Path=/, and Secure everywhere but plain-http localhost. */
export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: Date, now: Date): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  const secure = isLoopback(req) ? '' : '; Secure';
  res.append('Set-Cookie', `${SESSION_COOKIE}=${token}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Lax${secure}`);
}

export function clearSessionCookie(req: Request, res: Response): void {
  const secure = isLoopback(req) ? '' : '; Secure';
  res.append('Set-Cookie', `${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax${secure}`);
}

export type { Principal };
