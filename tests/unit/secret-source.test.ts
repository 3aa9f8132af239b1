import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvFirstSecretSource, EnvSecretSource, secretEnvName } from '../../shared/adapters/secrets/env-secret.source.js';
import { SecretManagerSource, type SecretManagerSourceOptions } from '../../shared/adapters/secrets/secret-manager.source.js';
import type { SecretSource } from '../../shared/ports/secret-source.js';
import { staticTokenClient } from '../support/fake-kms.js';
import { startFakeSecretManager, type FakeSecretManager } from '../support/fake-secret-manager.js';

/** The real `@google-cloud/secret-manager` client (REST) against a local Secret Manager peer. */
let sm: FakeSecretManager;
let n = 0;
beforeAll(async () => {
  sm = await startFakeSecretManager();
});
afterAll(() => sm.close());

const VALUE = 'GOCSPX-s3cr3t-v4lue-never-logged';
const aProject = () => `demo-ffai-${++n}`;
const aSource = (projectId: string, over: Partial<SecretManagerSourceOptions> = {}) =>
  new SecretManagerSource({ projectId, apiEndpoint: '127.0.0.1', port: sm.port, protocol: 'http', authClient: staticTokenClient(sm.token), maxAttempts: 1, ...over });
const errorOf = (p: Promise<unknown>) => p.then(() => expect.fail('expected a rejection'), (e: unknown) => e as Error & { code: string; retryable: boolean });

describe('secretEnvName', () => {
  it.each([
    ['oauth-client-secret', 'OAUTH_CLIENT_SECRET'],
    ['gemini_api_key', 'GEMINI_API_KEY'],
  ])('maps %s to %s', (name, env) => expect(secretEnvName(name)).toBe(env));

  it.each(['', 'a/b', '../x', 'has space'])('refuses %j', (name) => {
    expect(() => secretEnvName(name)).toThrow(expect.objectContaining({ code: 'VALIDATION.INVALID_INPUT' }));
  });
});

describe('EnvSecretSource', () => {
  it('reads a secret from its environment variable, exactly', async () => {
    const source: SecretSource = new EnvSecretSource({ OAUTH_CLIENT_SECRET: `${VALUE}\n` });
    expect(await source.get('oauth-client-secret')).toBe(`${VALUE}\n`);
  });

  it.each([
    ['unset', {}],
    ['empty', { OAUTH_CLIENT_SECRET: '' }],
  ])('names the secret and its variable when %s, never a value', async (_label, env) => {
    const e = await errorOf(new EnvSecretSource({ ...env, OTHER: VALUE }).get('oauth-client-secret'));
    expect(e).toMatchObject({ code: 'DEPENDENCY.UNAVAILABLE', retryable: false });
    expect(e.message).toContain('"oauth-client-secret"');
    expect(e.message).toContain('OAUTH_CLIENT_SECRET');
    expect(e.message).not.toContain(VALUE);
  });
});

describe('SecretManagerSource over the Secret Manager REST API', () => {
  it('reads the latest version once per instance and caches it', async () => {
    const project = aProject();
    sm.addVersion(project, 'oauth-client-secret', 'old');
    sm.addVersion(project, 'oauth-client-secret', VALUE);
    const source = aSource(project);
    const [a, b] = await Promise.all([source.get('oauth-client-secret'), source.get('oauth-client-secret')]);
    expect([a, b]).toEqual([VALUE, VALUE]);
    expect(await source.get('oauth-client-secret')).toBe(VALUE);
    expect(sm.accesses.filter((r) => r.startsWith(`projects/${project}/`))).toEqual([`projects/${project}/secrets/oauth-client-secret/versions/latest`]);
  });

  it('reads a configured version', async () => {
    const project = aProject();
    sm.addVersion(project, 'api-key', 'first');
    sm.addVersion(project, 'api-key', 'second');
    expect(await aSource(project, { versions: { 'api-key': '1' } }).get('api-key')).toBe('first');
  });

  it('does not cache a failed read: the next call tries again', async () => {
    const project = aProject();
    sm.addVersion(project, 'oauth-client-secret', VALUE);
    const source = aSource(project);
    sm.failNext(1, 503, 'UNAVAILABLE');
    const e = await errorOf(source.get('oauth-client-secret'));
    expect(e).toMatchObject({ code: 'DEPENDENCY.UNAVAILABLE', retryable: true });
    expect(e.message).toContain('"oauth-client-secret"');
    expect(await source.get('oauth-client-secret')).toBe(VALUE);
  });

  it.each([
    ['missing', (_p: string) => {}, /does not exist/, false],
    ['disabled', (p: string) => sm.disable(p, 'oauth-client-secret', sm.addVersion(p, 'oauth-client-secret', VALUE)), /rejected/, false],
    ['denied', (_p: string) => sm.failNext(1, 403, 'PERMISSION_DENIED'), /secretAccessor/, false],
    ['corrupted in transit', (p: string) => (sm.addVersion(p, 'oauth-client-secret', VALUE), sm.corruptNext(1)), /integrity/, true],
  ])('names the secret, never its value, when it is %s', async (_label, arrange, message, retryable) => {
    const project = aProject();
    arrange(project);
    const e = await errorOf(aSource(project).get('oauth-client-secret'));
    expect(e).toMatchObject({ code: 'DEPENDENCY.UNAVAILABLE', retryable });
    expect(e.message).toMatch(message);
    expect(e.message).toContain('secret "oauth-client-secret" (version latest)');
    expect(e.message).not.toContain(VALUE);
  });
});

describe('EnvFirstSecretSource (production)', () => {
  it('takes a mounted secret from the environment without an API call, and reads others from Secret Manager', async () => {
    const project = aProject();
    sm.addVersion(project, 'webhook-key', 'from-api');
    sm.addVersion(project, 'oauth-client-secret', 'not-this-one');
    const source = new EnvFirstSecretSource(new EnvSecretSource({ OAUTH_CLIENT_SECRET: VALUE }), aSource(project));
    expect(await source.get('oauth-client-secret')).toBe(VALUE);
    expect(await source.get('webhook-key')).toBe('from-api');
    expect(sm.accesses.filter((r) => r.startsWith(`projects/${project}/`))).toEqual([`projects/${project}/secrets/webhook-key/versions/latest`]);
    await expect(source.get('bad/name')).rejects.toMatchObject({ code: 'VALIDATION.INVALID_INPUT' });
  });
});
