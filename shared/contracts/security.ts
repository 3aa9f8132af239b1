import { z } from 'zod';

/**
 * Rate-limit classes a route can declare. `default` covers every route that declares
 * nothing; the others are stricter because each request costs more (an identity-provider
 * round trip, Fi MCP calls, a Gemini call) or is worth guessing at (sign-in).
 */
export const RATE_LIMIT_CLASSES = ['default', 'signin', 'sync', 'chat'] as const;
export type RateLimitClass = (typeof RATE_LIMIT_CLASSES)[number];

/** One class's budget: requests per user (session) and per client IP within a sliding window. */
export interface RateLimitBudget {
  readonly perUser: number;
  readonly perIp: number;
  readonly windowSeconds: number;
}

/**
 * `perUser,perIp,windowSeconds`, e.g. `10,60,3600`: at most 10 requests per signed-in user
 * and 60 per client IP in any hour.
 */
export const RateLimitBudgetText = z
  .string()
  .trim()
  .regex(/^\d{1,7},\d{1,7},\d{1,6}$/, 'expected perUser,perIp,windowSeconds, e.g. 10,60,3600')
  .transform((s): RateLimitBudget => {
    const [perUser, perIp, windowSeconds] = s.split(',').map(Number) as [number, number, number];
    return { perUser, perIp, windowSeconds };
  })
  .refine((b) => b.perUser >= 1 && b.perIp >= 1, 'limits must be at least 1')
  .refine((b) => b.windowSeconds >= 1 && b.windowSeconds <= 86_400, 'window must be 1 to 86400 seconds');

/**
 * A browser origin for the CORS/CSRF allowlist: scheme, host and optional port only
 * (`https://app.example.com`), exactly as browsers send it in `Origin`.
 */
export const OriginText = z
  .string()
  .trim()
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'expected an origin like https://app.example.com (no path, no trailing slash)')
  .transform((s) => s.toLowerCase());
