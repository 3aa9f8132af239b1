import { z } from 'zod';
import { OriginText, RateLimitBudgetText, RATE_LIMIT_CLASSES, type RateLimitBudget, type RateLimitClass } from '../contracts/security.js';

/**
 * The application's configuration, a pure function of the environment.
 *
 * Rules: `APP_ENV` is always explicit (there is no default, so a deployment can never
 * fall into local mode by omission); emulator hosts are refused in production; local
 * and test modes must point at emulators, so they can never touch real Google Cloud data
 * (nor real Gemini: there it is reachable only through a loopback fake, GEMINI_BASE_URL).
 * Values are never logged whole: log named, non-secret fields only.
 */

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:8085');

const port = z.coerce
  .number({ error: 'expected a port number' })
  .int('expected an integer port')
  .min(0, 'expected a port between 0 and 65535')
  .max(65535, 'expected a port between 0 and 65535');

/** Error text that says "required" only when the key is absent, and what is expected otherwise. */
const expected = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `required: ${what}` : `invalid: expected ${what}`;

const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Loopback hosts: the only places a plain-http Gemini endpoint may be (a local fake). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const isLoopbackUrl = (u: string): boolean => {
  try {
    return LOOPBACK_HOSTS.has(new URL(u).hostname);
  } catch {
    return false;
  }
};

/**
 * The default Gemini model: the current stable (GA) Flash. Gemini 2.5 Flash was retired on
 * Vertex AI on 2026-10-16; `@google/genai` 3.3's own documentation uses gemini-3.8-flash.
 */
export const DEFAULT_GEMINI_MODEL = 'gemini-3.8-flash';

const EnvSchema = z
  .object({
    APP_ENV: z.enum(['local', 'test', 'production'], { error: expected('one of local, test, production') }),
    GCP_PROJECT_ID: z
      .string({ error: expected('the Google Cloud project id') })
      .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'not a valid Google Cloud project id'),
    GCP_REGION: z.preprocess(blankToUndefined, z.string().min(1).default('asia-south1')),
    PORT: z.preprocess(blankToUndefined, port.default(8080)),
    LOG_LEVEL: z.preprocess(
      blankToUndefined,
      z.enum(['debug', 'info', 'warn', 'error'], { error: 'one of debug, info, warn, error' }).default('info'),
    ),
    LOG_FORMAT: z.preprocess(
      blankToUndefined,
      z.enum(['json', 'pretty'], { error: 'one of json, pretty' }).optional(),
    ),
    FIRESTORE_EMULATOR_HOST: z.preprocess(blankToUndefined, hostPort.optional()),
    PUBSUB_EMULATOR_HOST: z.preprocess(blankToUndefined, hostPort.optional()),
    FI_MCP_URL: z.preprocess(
      blankToUndefined,
      z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
    ),
    FRONTEND_URL: z.preprocess(
      blankToUndefined,
      z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
    ),
    LOCAL_KEY_DIR: z.preprocess(blankToUndefined, z.string().min(1).default('.local/keys')),
    KMS_KEY_NAME: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/, 'expected projects/*/locations/*/keyRings/*/cryptoKeys/*')
        .optional(),
    ),
    OIDC_ISSUER: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).default('https://accounts.google.com')),
    OIDC_CLIENT_ID: z.preprocess(blankToUndefined, z.string().min(1).max(300).optional()),
    OIDC_AUTHORIZATION_ENDPOINT: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).default('https://accounts.google.com/o/oauth2/v2/auth')),
    OIDC_TOKEN_ENDPOINT: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).default('https://oauth2.googleapis.com/token')),
    OIDC_CERTS_URL: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).default('https://www.googleapis.com/oauth2/v1/certs')),
    OIDC_REDIRECT_URI: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional()),
    AUTH_REDIRECT_PATHS: z.preprocess(
      blankToUndefined,
      z
        .string()
        .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
        .pipe(z.array(z.string().regex(/^\/[A-Za-z0-9\-._~/]*$/, 'expected paths like /app')).max(50))
        .default(['/']),
    ),
    SESSION_IDLE_MINUTES: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1_440).default(30)),
    SESSION_ABSOLUTE_HOURS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(720).default(12)),
    EVENT_MAX_AGE_SECONDS: z.preprocess(
      blankToUndefined,
      z.coerce.number().int().min(60, 'at least 60 seconds').default(86_400),
    ),
    CORS_ORIGINS: z.preprocess(
      blankToUndefined,
      z
        .string()
        .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
        .pipe(z.array(OriginText).max(20, 'at most 20 origins'))
        .optional(),
    ),
    MAX_BODY_BYTES: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: 'expected a number of bytes' }).int().min(1_024, 'at least 1024 bytes').max(10_485_760, 'at most 10 MiB').default(32_768),
    ),
    TRUSTED_PROXY_HOPS: z.preprocess(blankToUndefined, z.coerce.number({ error: 'expected 0 to 5' }).int().min(0).max(5).optional()),
    RATE_LIMIT_DEFAULT: z.preprocess(blankToUndefined, RateLimitBudgetText.optional()),
    RATE_LIMIT_SIGNIN: z.preprocess(blankToUndefined, RateLimitBudgetText.optional()),
    RATE_LIMIT_SYNC: z.preprocess(blankToUndefined, RateLimitBudgetText.optional()),
    RATE_LIMIT_CHAT: z.preprocess(blankToUndefined, RateLimitBudgetText.optional()),
    LLM_PROVIDER: z.preprocess(blankToUndefined, z.enum(['gemini', 'local'], { error: 'one of gemini, local' }).optional()),
    GEMINI_MODEL: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9.@-]{0,99}$/, 'expected a model id such as gemini-3.8-flash (lower case, digits, ".", "-", "@")')
        .default(DEFAULT_GEMINI_MODEL),
    ),
    GEMINI_LOCATION: z.preprocess(
      blankToUndefined,
      z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'expected a Google Cloud location such as asia-south1').default('asia-south1'),
    ),
    GEMINI_BASE_URL: z.preprocess(
      blankToUndefined,
      z
        .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
        .refine((u) => u.startsWith('https:') || isLoopbackUrl(u), 'plain http is allowed only on loopback (127.0.0.1, localhost, [::1]); use https')
        .optional(),
    ),
    GEMINI_TIMEOUT_MS: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: 'expected milliseconds' }).int('expected whole milliseconds').min(1_000, 'at least 1000 ms').max(300_000, 'at most 300000 ms').default(30_000),
    ),
    GEMINI_MAX_RETRIES: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: 'expected 0 to 5' }).int('expected 0 to 5').min(0, 'expected 0 to 5').max(5, 'expected 0 to 5').default(2),
    ),
    AI_DAILY_TOKEN_BUDGET: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: 'expected a number of tokens' }).int('expected a whole number of tokens').min(1_000, 'at least 1000 tokens').max(100_000_000, 'at most 100000000 tokens').default(200_000),
    ),
    AI_INPUT_USD_PER_MTOK: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: 'expected US dollars per million tokens' }).min(0, 'must not be negative').max(1_000, 'at most 1000').default(0.75),
    ),
    AI_OUTPUT_USD_PER_MTOK: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: 'expected US dollars per million tokens' }).min(0, 'must not be negative').max(1_000, 'at most 1000').default(3.75),
    ),
  })
  .superRefine((env, ctx) => {
    const emulators = ['FIRESTORE_EMULATOR_HOST', 'PUBSUB_EMULATOR_HOST'] as const;
    for (const key of emulators) {
      if (env.APP_ENV === 'production' && env[key]) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'must not be set when APP_ENV=production' });
      }
      if (env.APP_ENV !== 'production' && !env[key]) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `required when APP_ENV=${env.APP_ENV}: local and test modes run only against emulators`,
        });
      }
    }
    if (env.APP_ENV !== 'production' && !env.GCP_PROJECT_ID.startsWith('demo-')) {
      ctx.addIssue({
        code: 'custom',
        path: ['GCP_PROJECT_ID'],
        message: `must start with "demo-" when APP_ENV=${env.APP_ENV}, so emulators never reach a real project`,
      });
    }
    // Secrets at rest are wrapped by Cloud KMS in production and by the local keyring
    // otherwise; local and test modes never reach a real KMS key.
    if (env.APP_ENV === 'production') {
      for (const key of ['OIDC_CLIENT_ID', 'OIDC_REDIRECT_URI', 'FRONTEND_URL'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when APP_ENV=production (Google sign-in)' });
      }
      for (const key of ['OIDC_ISSUER', 'OIDC_AUTHORIZATION_ENDPOINT', 'OIDC_TOKEN_ENDPOINT', 'OIDC_CERTS_URL', 'OIDC_REDIRECT_URI'] as const) {
        if (env[key]?.startsWith('http:')) ctx.addIssue({ code: 'custom', path: [key], message: 'must be https when APP_ENV=production' });
      }
    }
    if (env.APP_ENV === 'production' && !env.KMS_KEY_NAME) {
      ctx.addIssue({
        code: 'custom',
        path: ['KMS_KEY_NAME'],
        message: 'required when APP_ENV=production: the Cloud KMS key (projects/*/locations/*/keyRings/*/cryptoKeys/*) that wraps data keys',
      });
    }
    if (env.APP_ENV !== 'production' && env.KMS_KEY_NAME) {
      ctx.addIssue({
        code: 'custom',
        path: ['KMS_KEY_NAME'],
        message: `must not be set when APP_ENV=${env.APP_ENV}: local and test modes wrap keys with the local keyring (LOCAL_KEY_DIR)`,
      });
    }
    if (env.APP_ENV === 'production' && env.FRONTEND_URL?.startsWith('http:')) {
      ctx.addIssue({ code: 'custom', path: ['FRONTEND_URL'], message: 'must be https when APP_ENV=production' });
    }
    if (env.APP_ENV === 'production' && env.CORS_ORIGINS?.some((o) => o.startsWith('http:'))) {
      ctx.addIssue({ code: 'custom', path: ['CORS_ORIGINS'], message: 'every origin must be https when APP_ENV=production' });
    }
    // Gemini: production talks to Vertex AI (https only, never a loopback fake). Local and test
    // modes run on demo- projects, so they reach Gemini only through a loopback fake.
    if (env.APP_ENV === 'production' && env.GEMINI_BASE_URL?.startsWith('http:')) {
      ctx.addIssue({ code: 'custom', path: ['GEMINI_BASE_URL'], message: 'must be https when APP_ENV=production' });
    }
    if (env.APP_ENV !== 'production' && env.GEMINI_BASE_URL && !isLoopbackUrl(env.GEMINI_BASE_URL)) {
      ctx.addIssue({ code: 'custom', path: ['GEMINI_BASE_URL'], message: `must be a loopback URL when APP_ENV=${env.APP_ENV}: local and test modes never reach a real Gemini endpoint` });
    }
    if (env.APP_ENV !== 'production' && env.LLM_PROVIDER === 'gemini' && !env.GEMINI_BASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['GEMINI_BASE_URL'],
        message: `required when APP_ENV=${env.APP_ENV} and LLM_PROVIDER=gemini: local and test modes reach Gemini only through a local fake (e.g. http://127.0.0.1:PORT)`,
      });
    }
  });

export type AppEnv = 'local' | 'test' | 'production';

export interface Config {
  readonly appEnv: AppEnv;
  /** True in `local` and `test` modes: emulators only, dev-only features allowed. */
  readonly isLocal: boolean;
  readonly projectId: string;
  readonly region: string;
  readonly port: number;
  readonly log: { readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly format: 'json' | 'pretty' };
  readonly firestoreEmulatorHost: string | undefined;
  readonly pubsubEmulatorHost: string | undefined;
  readonly fiMcpUrl: string | undefined;
  readonly frontendUrl: string | undefined;
  readonly eventMaxAgeMs: number;
  readonly session: { readonly idleMinutes: number; readonly absoluteHours: number };
  /** Local mode: where the generated key-encryption keyring lives (never committed). */
  readonly localKeyDir: string;
  /** OpenID Connect sign-in (Google in production; the local OIDC server in the local stack). */
  readonly oidc: {
    readonly issuer: string;
    readonly clientId: string | undefined;
    readonly authorizationEndpoint: string;
    readonly tokenEndpoint: string;
    readonly certsUrl: string;
    readonly redirectUri: string | undefined;
    readonly allowedRedirectPaths: readonly string[];
  };
  /** Production: the Cloud KMS CryptoKey that wraps data keys (required there, refused elsewhere). */
  readonly kmsKeyName: string | undefined;
  /** The HTTP shell: see functions/platform/security.ts. */
  readonly http: {
    /** Browser origins allowed to call with credentials (CORS) and to send state-changing requests (CSRF). */
    readonly corsOrigins: readonly string[];
    readonly maxBodyBytes: number;
    /** Proxies in front of the function that append to X-Forwarded-For (0: use the socket peer). */
    readonly trustedProxyHops: number;
    readonly rateLimits: Readonly<Record<RateLimitClass, RateLimitBudget>>;
  };
  /** The language model behind insights and chat, and what its use may cost. */
  readonly ai: AiConfig;
}

export interface AiConfig {
  /**
   * `gemini` (Vertex AI) or `local` (the deterministic provider, labelled in every response).
   * Default: `gemini` in production; in local/test `gemini` only when GEMINI_BASE_URL points
   * at a local fake, else `local`. Production may choose `local` explicitly (a kill switch).
   */
  readonly provider: 'gemini' | 'local';
  readonly gemini: {
    /** Vertex AI location; asia-south1 (Mumbai) keeps Indian users' data in India. */
    readonly location: string;
    readonly model: string;
    /** Only for a local fake (loopback http) or an alternative https endpoint; undefined = Google's. */
    readonly baseUrl: string | undefined;
    /** Per attempt, streaming included. */
    readonly timeoutMs: number;
    /** Retries after the first attempt, on 429, 408, 5xx and network failures only (never on timeouts). */
    readonly maxRetries: number;
  };
  /** Input + output tokens one user may spend per IST calendar day. */
  readonly dailyTokenBudget: number;
  /** Cost-ledger estimates in US dollars per million tokens (list prices, not invoices). */
  readonly usdPerMillionTokens: { readonly input: number; readonly output: number };
}

/**
 * Default budgets. `default` is looser in local and test modes only because the local
 * bench (`npm run bench:sync`) drives ~1,100 requests from one user and one IP within a
 * minute; the strict classes are the same everywhere.
 */
const RATE_LIMIT_DEFAULTS: Record<'production' | 'local', Record<RateLimitClass, RateLimitBudget>> = {
  production: {
    default: { perUser: 300, perIp: 1_200, windowSeconds: 60 },
    signin: { perUser: 10, perIp: 20, windowSeconds: 300 },
    sync: { perUser: 10, perIp: 60, windowSeconds: 3_600 },
    chat: { perUser: 20, perIp: 120, windowSeconds: 60 },
  },
  local: {
    default: { perUser: 3_000, perIp: 6_000, windowSeconds: 60 },
    signin: { perUser: 10, perIp: 20, windowSeconds: 300 },
    sync: { perUser: 10, perIp: 60, windowSeconds: 3_600 },
    chat: { perUser: 20, perIp: 120, windowSeconds: 60 },
  },
};

/** Local and test modes: the dev PWA's usual origins (Vite's port) are allowed. */
const LOCAL_ORIGINS = ['http://127.0.0.1:5173', 'http://localhost:5173'];

/** Thrown by {@link loadConfig}; its message lists every missing or invalid key, never a value. */
export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every key and its meaning.`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once and returns a frozen, typed config.
 * @throws ConfigError listing every problem (all keys at once, not the first one only).
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(environment)';
      return `${key}: ${issue.message}`;
    });
    throw new ConfigError([...new Set(problems)]);
  }
  const e = parsed.data;
  const isLocal = e.APP_ENV !== 'production';
  const budgets = RATE_LIMIT_DEFAULTS[isLocal ? 'local' : 'production'];
  const given: Record<RateLimitClass, RateLimitBudget | undefined> = {
    default: e.RATE_LIMIT_DEFAULT,
    signin: e.RATE_LIMIT_SIGNIN,
    sync: e.RATE_LIMIT_SYNC,
    chat: e.RATE_LIMIT_CHAT,
  };
  const rateLimits = Object.fromEntries(RATE_LIMIT_CLASSES.map((c) => [c, Object.freeze(given[c] ?? budgets[c])])) as Record<RateLimitClass, RateLimitBudget>;
  const frontendOrigin = e.FRONTEND_URL ? new URL(e.FRONTEND_URL).origin : undefined;
  const corsOrigins = [...new Set(e.CORS_ORIGINS ?? [...(frontendOrigin ? [frontendOrigin] : []), ...(isLocal ? LOCAL_ORIGINS : [])])];
  return Object.freeze({
    appEnv: e.APP_ENV,
    isLocal,
    projectId: e.GCP_PROJECT_ID,
    region: e.GCP_REGION,
    port: e.PORT,
    log: Object.freeze({ level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (isLocal ? 'pretty' : 'json') }),
    firestoreEmulatorHost: e.FIRESTORE_EMULATOR_HOST,
    pubsubEmulatorHost: e.PUBSUB_EMULATOR_HOST,
    fiMcpUrl: e.FI_MCP_URL,
    frontendUrl: e.FRONTEND_URL,
    eventMaxAgeMs: e.EVENT_MAX_AGE_SECONDS * 1000,
    localKeyDir: e.LOCAL_KEY_DIR,
    kmsKeyName: e.KMS_KEY_NAME,
    oidc: Object.freeze({
      issuer: e.OIDC_ISSUER.replace(/\/$/, ''),
      clientId: e.OIDC_CLIENT_ID,
      authorizationEndpoint: e.OIDC_AUTHORIZATION_ENDPOINT,
      tokenEndpoint: e.OIDC_TOKEN_ENDPOINT,
      certsUrl: e.OIDC_CERTS_URL,
      redirectUri: e.OIDC_REDIRECT_URI,
      allowedRedirectPaths: Object.freeze(e.AUTH_REDIRECT_PATHS),
    }),
    session: Object.freeze({ idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS }),
    http: Object.freeze({
      corsOrigins: Object.freeze(corsOrigins),
      maxBodyBytes: e.MAX_BODY_BYTES,
      trustedProxyHops: e.TRUSTED_PROXY_HOPS ?? (isLocal ? 0 : 1),
      rateLimits: Object.freeze(rateLimits),
    }),
    ai: Object.freeze({
      provider: e.LLM_PROVIDER ?? (isLocal && !e.GEMINI_BASE_URL ? 'local' : 'gemini'),
      gemini: Object.freeze({
        location: e.GEMINI_LOCATION,
        model: e.GEMINI_MODEL,
        baseUrl: e.GEMINI_BASE_URL,
        timeoutMs: e.GEMINI_TIMEOUT_MS,
        maxRetries: e.GEMINI_MAX_RETRIES,
      }),
      dailyTokenBudget: e.AI_DAILY_TOKEN_BUDGET,
      usdPerMillionTokens: Object.freeze({ input: e.AI_INPUT_USD_PER_MTOK, output: e.AI_OUTPUT_USD_PER_MTOK }),
    }),
  });
}
