import { z } from 'zod';

/** `POST /auth/dev/login` (local mode only). */
export const DevLoginBody = z.strictObject({
  email: z.email({ error: 'expected an email address' }).max(254),
});
export type DevLoginBody = z.infer<typeof DevLoginBody>;

/** `sessions/{sha256(token)}`: only the hash of the token is ever stored. */
export const SessionDoc = z.object({
  uid: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  /** Absolute end of the session. */
  expiresAt: z.string(),
});
export type SessionDoc = z.infer<typeof SessionDoc>;

/** `users/{uid}`. */
export const UserDoc = z.object({
  email: z.string(),
  displayName: z.string().optional(),
  createdAt: z.string(),
});
export type UserDoc = z.infer<typeof UserDoc>;
