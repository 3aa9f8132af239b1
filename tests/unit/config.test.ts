import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_GEMINI_MODEL, loadConfig } from '../../shared/config/config.js';
import { PRODUCTION_ENV } from '../support/fixtures.js';

const local = {
  APP_ENV: 'local',
  GCP_PROJECT_ID: 'demo-future-finance',
  FIRESTORE_EMULATOR_HOST: '127.0.0.1:8180',
  PUBSUB_EMULATOR_HOST: '127.0.0.1:8185',
};
const production = PRODUCTION_ENV;

const problemsOf = (env: Record<string, string | undefined>): string[] => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('reads a valid local environment with defaults', () => {
    const c = loadConfig(local);
    expect(c).toMatchObject({ appEnv: 'local', isLocal: true, port: 8080, region: 'asia-south1', log: { level: 'info', format: 'pretty' } });
    expect(c.firestoreEmulatorHost).toBe('127.0.0.1:8180');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads production with json logs and no emulators', () => {
    const c = loadConfig(production);
    expect(c).toMatchObject({ appEnv: 'production', isLocal: false, log: { format: 'json' }, firestoreEmulatorHost: undefined });
  });

  it('never defaults to local mode: APP_ENV is required', () => {
    const { APP_ENV: _omitted, ...rest } = production;
    expect(problemsOf(rest)).toEqual(['APP_ENV: required: one of local, test, production']);
  });

  it('requires sign-in and KMS settings in production, naming each', () => {
    expect(problemsOf({ APP_ENV: 'production', GCP_PROJECT_ID: 'ffai-prod-123' })).toEqual(
      expect.arrayContaining([
        'OIDC_CLIENT_ID: required when APP_ENV=production (Google sign-in)',
        'OIDC_REDIRECT_URI: required when APP_ENV=production (Google sign-in)',
        'FRONTEND_URL: required when APP_ENV=production (Google sign-in)',
        expect.stringMatching(/^KMS_KEY_NAME: /),
      ]),
    );
    expect(problemsOf({ ...production, OIDC_TOKEN_ENDPOINT: 'http://idp.example/token' })).toContain('OIDC_TOKEN_ENDPOINT: must be https when APP_ENV=production');
  });

  it('lists every missing or invalid key at once, naming each', () => {
    const problems = problemsOf({ APP_ENV: 'staging', PORT: 'eighty', LOG_LEVEL: 'loud', FI_MCP_URL: 'ftp://x' });
    expect(problems).toEqual([
      'APP_ENV: invalid: expected one of local, test, production',
      'GCP_PROJECT_ID: required: the Google Cloud project id',
      'PORT: expected a port number',
      'LOG_LEVEL: one of debug, info, warn, error',
      'FI_MCP_URL: expected an http(s) URL',
    ]);
  });

  it.each([
    ['emulators in production', { ...production, FIRESTORE_EMULATOR_HOST: '127.0.0.1:8180' }, 'FIRESTORE_EMULATOR_HOST: must not be set when APP_ENV=production'],
    ['local without emulators', { APP_ENV: 'local', GCP_PROJECT_ID: 'demo-x-local' }, 'FIRESTORE_EMULATOR_HOST: required when APP_ENV=local: local and test modes run only against emulators'],
    ['local on a real project', { ...local, GCP_PROJECT_ID: 'ffai-prod-123' }, 'GCP_PROJECT_ID: must start with "demo-" when APP_ENV=local, so emulators never reach a real project'],
    ['an http frontend in production', { ...production, FRONTEND_URL: 'http://app.example.com' }, 'FRONTEND_URL: must be https when APP_ENV=production'],
    ['a port out of range', { ...local, PORT: '70000' }, 'PORT: expected a port between 0 and 65535'],
    ['a malformed emulator host', { ...local, PUBSUB_EMULATOR_HOST: 'localhost' }, 'PUBSUB_EMULATOR_HOST: expected host:port, e.g. 127.0.0.1:8085'],
  ])('refuses %s', (_label, env, problem) => {
    expect(problemsOf(env)).toContain(problem);
  });

  describe('ai (Gemini on Vertex AI)', () => {
    it('defaults to the local provider in local mode, with Mumbai, a Flash model and the documented limits', () => {
      const { ai } = loadConfig(local);
      expect(ai).toEqual({
        provider: 'local',
        gemini: { location: 'asia-south1', model: DEFAULT_GEMINI_MODEL, baseUrl: undefined, timeoutMs: 30_000, maxRetries: 2 },
        dailyTokenBudget: 200_000,
        usdPerMillionTokens: { input: 0.75, output: 3.75 },
      });
      expect(DEFAULT_GEMINI_MODEL).toMatch(/^gemini-[\d.]+-flash$/);
      expect(Object.isFrozen(ai) && Object.isFrozen(ai.gemini) && Object.isFrozen(ai.usdPerMillionTokens)).toBe(true);
    });

    it.each([
      ['production by default', production, 'gemini'],
      ['production when explicitly local (kill switch)', { ...production, LLM_PROVIDER: 'local' }, 'local'],
      ['local with a loopback fake', { ...local, GEMINI_BASE_URL: 'http://127.0.0.1:8686' }, 'gemini'],
      ['local with a fake but explicitly local', { ...local, GEMINI_BASE_URL: 'http://localhost:8686', LLM_PROVIDER: 'local' }, 'local'],
      ['test mode without a fake', { ...local, APP_ENV: 'test' }, 'local'],
    ])('chooses the provider in %s', (_label, env, provider) => {
      expect(loadConfig(env).ai.provider).toBe(provider);
    });

    it('reads every key it is given', () => {
      const { ai } = loadConfig({
        ...production,
        GEMINI_MODEL: 'gemini-2.0-flash-001',
        GEMINI_LOCATION: 'asia-south2',
        GEMINI_BASE_URL: 'https://asia-south1-aiplatform.googleapis.com',
        GEMINI_TIMEOUT_MS: '12000',
        GEMINI_MAX_RETRIES: '0',
        AI_DAILY_TOKEN_BUDGET: '50000',
        AI_INPUT_USD_PER_MTOK: '0.3',
        AI_OUTPUT_USD_PER_MTOK: '2.5',
      });
      expect(ai).toEqual({
        provider: 'gemini',
        gemini: { location: 'asia-south2', model: 'gemini-2.0-flash-001', baseUrl: 'https://asia-south1-aiplatform.googleapis.com', timeoutMs: 12_000, maxRetries: 0 },
        dailyTokenBudget: 50_000,
        usdPerMillionTokens: { input: 0.3, output: 2.5 },
      });
    });

    it.each([
      ['Gemini in local mode without a fake', { ...local, LLM_PROVIDER: 'gemini' }, /^GEMINI_BASE_URL: required when APP_ENV=local and LLM_PROVIDER=gemini/],
      ['a non-loopback http endpoint', { ...production, GEMINI_BASE_URL: 'http://gemini.example.com' }, /^GEMINI_BASE_URL: plain http is allowed only on loopback/],
      ['a loopback fake in production', { ...production, GEMINI_BASE_URL: 'http://127.0.0.1:8686' }, /^GEMINI_BASE_URL: must be https when APP_ENV=production$/],
      ['a real endpoint in local mode', { ...local, GEMINI_BASE_URL: 'https://asia-south1-aiplatform.googleapis.com' }, /^GEMINI_BASE_URL: must be a loopback URL when APP_ENV=local/],
      ['a non-URL endpoint', { ...local, GEMINI_BASE_URL: 'not a url' }, /^GEMINI_BASE_URL: expected an http\(s\) URL$/],
      ['an unknown provider', { ...local, LLM_PROVIDER: 'openai' }, /^LLM_PROVIDER: one of gemini, local$/],
      ['a model id with a path in it', { ...local, GEMINI_MODEL: 'publishers/x/models/y' }, /^GEMINI_MODEL: expected a model id/],
      ['a malformed location', { ...local, GEMINI_LOCATION: 'Mumbai India' }, /^GEMINI_LOCATION: expected a Google Cloud location/],
      ['a timeout below a second', { ...local, GEMINI_TIMEOUT_MS: '10' }, /^GEMINI_TIMEOUT_MS: at least 1000 ms$/],
      ['too many retries', { ...local, GEMINI_MAX_RETRIES: '9' }, /^GEMINI_MAX_RETRIES: expected 0 to 5$/],
      ['a tiny daily budget', { ...local, AI_DAILY_TOKEN_BUDGET: '10' }, /^AI_DAILY_TOKEN_BUDGET: at least 1000 tokens$/],
      ['a negative price', { ...local, AI_OUTPUT_USD_PER_MTOK: '-1' }, /^AI_OUTPUT_USD_PER_MTOK: must not be negative$/],
      ['a price that is not a number', { ...local, AI_INPUT_USD_PER_MTOK: 'cheap' }, /^AI_INPUT_USD_PER_MTOK: expected US dollars per million tokens$/],
    ])('refuses %s', (_label, env, problem) => {
      expect(problemsOf(env)).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
    });
  });

  it('never puts a value in its error message', () => {
    const secretish = 'super-secret-value-123';
    const problems = problemsOf({ APP_ENV: secretish, GCP_PROJECT_ID: secretish, FI_MCP_URL: secretish });
    expect(problems.join('\n')).not.toContain(secretish);
  });

  it('documents every key it reads in .env.example', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const source = readFileSync(new URL('../../shared/config/config.ts', import.meta.url), 'utf8');
    const keys = [...source.matchAll(/^\s{4}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(8);
    for (const key of keys) expect(example, `${key} missing from .env.example`).toMatch(new RegExp(`^#?\\s*${key}=`, 'm'));
  });
});
