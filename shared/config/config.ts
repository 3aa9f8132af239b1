import { z } from 'zod';

/**
 * The application's configuration, a pure function of the environment.
 *
 * Rules: `APP_ENV` is always explicit (there is no default, so a deployment can never
 * fall into local mode by omission); emulator hosts are refused in production; local
 * and test modes must point at emulators, so they can never touch real Google Cloud data.
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
    SESSION_IDLE_MINUTES: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1_440).default(30)),
    SESSION_ABSOLUTE_HOURS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(720).default(12)),
    EVENT_MAX_AGE_SECONDS: z.preprocess(
      blankToUndefined,
      z.coerce.number().int().min(60, 'at least 60 seconds').default(86_400),
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
    if (env.APP_ENV === 'production' && env.FRONTEND_URL?.startsWith('http:')) {
      ctx.addIssue({ code: 'custom', path: ['FRONTEND_URL'], message: 'must be https when APP_ENV=production' });
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
}

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
    session: Object.freeze({ idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS }),
  });
}
