import { z } from 'zod';

/** `POST /auth/dev/login` (local mode only). */
export const DevLoginBody = z.strictObject({
  email: z.email({ error: 'expected an email address' }).max(254),
});
export type DevLoginBody = z.infer<typeof DevLoginBody>;

/** `sessions/{sha256(token)}`: only the hash of the token is ever stored. */
export const SessionDoc = z.object({
  uid: z.string(),
  /** A random id the owner uses to list and end sessions (never the token or its hash). */
  publicId: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  /** Absolute end of the session. */
  expiresAt: z.string(),
});
export type SessionDoc = z.infer<typeof SessionDoc>;

/** `users/{uid}`. */
export const UserDoc = z.object({
  email: z.string(),
  issuer: z.string().optional(),
  subject: z.string().optional(),
  displayName: z.string().optional(),
  createdAt: z.string(),
});
export type UserDoc = z.infer<typeof UserDoc>;

/** `POST /auth/google/begin`. */
export const BeginSignInBody = z.strictObject({
  redirectPath: z.string().max(200).optional(),
});

/** The callback's query: what the provider sends back (or its error). */
export const CallbackQuery = z.looseObject({
  code: z.string().min(1).max(2_048).optional(),
  state: z.string().min(1).max(200).optional(),
  error: z.string().max(200).optional(),
});
