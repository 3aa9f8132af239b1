import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeSecretBox, openSecret, rewrapSecret, sealSecret } from '../../shared/adapters/crypto/envelope.js';
import { KmsKeyWrapper, type KmsKeyWrapperOptions } from '../../shared/adapters/crypto/kms-key-wrapper.js';
import { classifyRpcError, crc32c } from '../../shared/adapters/secrets/google-api.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { SecretBinding } from '../../shared/ports/key-wrapper.js';
import { startFakeKms, staticTokenClient, type FakeKms } from '../support/fake-kms.js';

/**
 * The real `@google-cloud/kms` client (REST transport) against a local Cloud KMS REST peer
 * doing real AES-256-GCM: no module mocks.
 */
let kms: FakeKms;
let n = 0;
beforeAll(async () => {
  kms = await startFakeKms();
});
afterAll(() => kms.close());

const aKey = (): string => {
  const name = `projects/demo-ffai/locations/asia-south1/keyRings/future-finance/cryptoKeys/envelope-kek-${++n}`;
  kms.createKey(name);
  return name;
};
const aWrapper = (keyName: string, over: Partial<KmsKeyWrapperOptions> = {}) =>
  new KmsKeyWrapper({ keyName, apiEndpoint: '127.0.0.1', port: kms.port, protocol: 'http', authClient: staticTokenClient(kms.token), maxAttempts: 1, ...over });
const aBinding = (over: Partial<SecretBinding> = {}): SecretBinding => ({ uid: 'user-000001', purpose: 'fi-mcp-session', ...over });
const SECRET = 'mcp-session-4b1f0c7e-2f7a-4d4b-9d51-0e6f2c1a9b33';
const manualClock = () => {
  let t = Date.parse('2026-11-01T00:00:00Z');
  const clock: Clock & { advance(ms: number): void } = { now: () => new Date(t), advance: (ms) => (t += ms) };
  return clock;
};

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });
});

describe('KmsKeyWrapper over the Cloud KMS REST API', () => {
  it('round-trips a secret through sealSecret/openSecret, recording the version KMS used', async () => {
    const key = aKey();
    const wrapper = aWrapper(key);
    const sealed = await sealSecret(wrapper, SECRET, aBinding());
    expect(sealed.keyVersion).toBe(`${key}/cryptoKeyVersions/1`);
    expect(await openSecret(wrapper, sealed, aBinding())).toBe(SECRET);
    // A fresh instance (another function, a cold start) opens it too.
    expect(await openSecret(aWrapper(key), JSON.parse(JSON.stringify(sealed)) as typeof sealed, aBinding())).toBe(SECRET);
  });

  it('sends the binding as KMS additional authenticated data, with CRC32C checksums', async () => {
    const key = aKey();
    await sealSecret(aWrapper(key), SECRET, aBinding());
    const encrypt = kms.requests.filter((r) => r.key === key && r.method === 'encrypt').at(-1)!;
    expect(Buffer.from(encrypt.body['additionalAuthenticatedData'] as string, 'base64').toString()).toBe('user-000001|fi-mcp-session');
    expect(Buffer.from(encrypt.body['plaintext'] as string, 'base64')).toHaveLength(32);
    expect(Number(encrypt.body['plaintextCrc32c'])).toBe(crc32c(Buffer.from(encrypt.body['plaintext'] as string, 'base64')));
    expect(encrypt.body['additionalAuthenticatedDataCrc32c']).toBeDefined();
  });

  it.each([
    ['another uid', aBinding({ uid: 'user-000002' })],
    ['another purpose', aBinding({ purpose: 'oauth-refresh-token' })],
  ])('refuses to open under %s (KMS rejects the AAD), permanently', async (_label, binding) => {
    const wrapper = aWrapper(aKey());
    const sealed = await sealSecret(wrapper, SECRET, aBinding());
    await expect(openSecret(wrapper, sealed, binding)).rejects.toMatchObject({ code: 'INTERNAL', retryable: false });
  });

  it('refuses a record wrapped by another key, and a tampered wrapped key', async () => {
    const wrapper = aWrapper(aKey());
    const other = await sealSecret(aWrapper(aKey()), SECRET, aBinding());
    await expect(openSecret(wrapper, other, aBinding())).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('another key') });
    const mine = await sealSecret(wrapper, SECRET, aBinding());
    const raw = Buffer.from(mine.wrappedKey, 'base64');
    raw[20] = raw[20]! ^ 1;
    await expect(openSecret(wrapper, { ...mine, wrappedKey: raw.toString('base64') }, aBinding())).rejects.toMatchObject({ code: 'INTERNAL', retryable: false });
  });

  it('keeps old records readable after rotation, and rewrap moves them to the new primary', async () => {
    const key = aKey();
    const clock = manualClock();
    const wrapper = aWrapper(key, { clock, primaryCacheMs: 60_000 });
    const box = new EnvelopeSecretBox(wrapper);
    const old = await box.seal(SECRET, aBinding());
    expect(await wrapper.currentVersion()).toBe(`${key}/cryptoKeyVersions/1`);

    const v2 = kms.rotate(key);
    // Cached briefly: the rotation is seen once the cache expires.
    expect(await wrapper.currentVersion()).toBe(`${key}/cryptoKeyVersions/1`);
    clock.advance(60_001);
    expect(await wrapper.currentVersion()).toBe(v2);

    expect(await box.open(old, aBinding())).toBe(SECRET);
    expect((await box.seal('new', aBinding())).keyVersion).toBe(v2);
    const moved = await rewrapSecret(wrapper, old, aBinding());
    expect(moved.keyVersion).toBe(v2);
    expect(moved.wrappedKey).not.toBe(old.wrappedKey);
    expect({ iv: moved.iv, tag: moved.tag, ciphertext: moved.ciphertext }).toEqual({ iv: old.iv, tag: old.tag, ciphertext: old.ciphertext });
    expect(await box.open(moved, aBinding())).toBe(SECRET);
    expect(await box.rewrap(moved, aBinding())).toBe(moved); // idempotent

    // Once version 1 is disabled only the moved record opens; the old one fails permanently.
    kms.disable(`${key}/cryptoKeyVersions/1`);
    expect(await box.open(moved, aBinding())).toBe(SECRET);
    await expect(box.open(old, aBinding())).rejects.toMatchObject({ code: 'INTERNAL', retryable: false });
  });

  it('learns of a rotation from the version KMS reports on wrap, before the cache expires', async () => {
    const key = aKey();
    const wrapper = aWrapper(key, { clock: manualClock() });
    expect(await wrapper.currentVersion()).toBe(`${key}/cryptoKeyVersions/1`);
    const v2 = kms.rotate(key);
    await sealSecret(wrapper, SECRET, aBinding());
    expect(await wrapper.currentVersion()).toBe(v2);
  });

  it('finds the primary with an encrypt when GetCryptoKey is not permitted (encrypter role only)', async () => {
    const key = aKey();
    kms.denyGet(true);
    try {
      const v2 = kms.rotate(key);
      expect(await aWrapper(key).currentVersion()).toBe(v2);
    } finally {
      kms.denyGet(false);
    }
  });

  it.each([
    [503, 'UNAVAILABLE', 'DEPENDENCY.UNAVAILABLE', true],
    [429, 'RESOURCE_EXHAUSTED', 'DEPENDENCY.UNAVAILABLE', true],
    [500, 'INTERNAL', 'DEPENDENCY.UNAVAILABLE', true],
    [504, 'DEADLINE_EXCEEDED', 'DEPENDENCY.UNAVAILABLE', true],
    [403, 'PERMISSION_DENIED', 'DEPENDENCY.UNAVAILABLE', false],
    [400, 'FAILED_PRECONDITION', 'DEPENDENCY.UNAVAILABLE', false],
    [400, 'INVALID_ARGUMENT', 'DEPENDENCY.UNAVAILABLE', false],
  ])('maps a KMS %i %s on wrap to %s (retryable: %s)', async (http, status, code, retryable) => {
    const wrapper = aWrapper(aKey());
    kms.failNext(1, http, status, 'encrypt');
    const err = await sealSecret(wrapper, SECRET, aBinding()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code, retryable });
    expect(String((err as Error).message)).not.toContain(SECRET);
  });

  it('maps a KMS 503 on unwrap to a retryable error, which openSecret passes through', async () => {
    const wrapper = aWrapper(aKey());
    const sealed = await sealSecret(wrapper, SECRET, aBinding());
    kms.failNext(1, 503, 'UNAVAILABLE', 'decrypt');
    await expect(openSecret(wrapper, sealed, aBinding())).rejects.toMatchObject({ code: 'DEPENDENCY.UNAVAILABLE', retryable: true });
    expect(await openSecret(wrapper, sealed, aBinding())).toBe(SECRET); // and it recovers
  });

  it('lets the client retry a transient 503 within maxAttempts', async () => {
    const key = aKey();
    const wrapper = aWrapper(key, { maxAttempts: 3 });
    kms.failNext(2, 503, 'UNAVAILABLE', 'encrypt');
    const before = kms.requests.filter((r) => r.key === key && r.method === 'encrypt').length;
    expect((await sealSecret(wrapper, SECRET, aBinding())).keyVersion).toBe(`${key}/cryptoKeyVersions/1`);
    expect(kms.requests.filter((r) => r.key === key && r.method === 'encrypt').length - before).toBe(3);
  });

  it('is retryable when KMS cannot be reached at all', async () => {
    const dead = new KmsKeyWrapper({ keyName: aKey(), apiEndpoint: '127.0.0.1', port: 9, protocol: 'http', authClient: staticTokenClient('x'), maxAttempts: 1, callTimeoutMs: 2_000 });
    await expect(sealSecret(dead, SECRET, aBinding())).rejects.toMatchObject({ code: 'DEPENDENCY.UNAVAILABLE', retryable: true });
  });

  it('keeps no plaintext secret or data key in the stored record', async () => {
    const key = aKey();
    const sealed = JSON.stringify(await sealSecret(aWrapper(key), SECRET, aBinding()));
    // The data key is what the KMS peer received to encrypt: it must not be in the record.
    const dataKey = Buffer.from(kms.requests.filter((r) => r.key === key && r.method === 'encrypt').at(-1)!.body['plaintext'] as string, 'base64');
    for (const needle of [SECRET, '4b1f0c7e', Buffer.from(SECRET).toString('base64').slice(0, 16), Buffer.from(SECRET).toString('hex').slice(0, 16), dataKey.toString('base64'), dataKey.toString('hex'), dataKey.toString('base64url'), 'user-000001']) {
      expect(sealed).not.toContain(needle);
    }
  });

  it('refuses a malformed key name at construction', () => {
    expect(() => new KmsKeyWrapper({ keyName: 'projects/p/keyRings/r' })).toThrow(/cryptoKeys/);
  });
});

describe('classifyRpcError', () => {
  it.each([
    [{ code: 14 }, 'transient'],
    [{ code: 4 }, 'transient'],
    [{ code: 8 }, 'transient'],
    [{ code: 7 }, 'denied'],
    [{ code: 16 }, 'denied'],
    [{ code: 5 }, 'missing'],
    [{ code: 3 }, 'rejected'],
    [{ code: 9 }, 'rejected'],
    [{ httpStatusCode: 502 }, 'transient'],
    [{ httpStatusCode: 400 }, 'rejected'],
    [new Error('socket hang up'), 'transient'],
  ])('%j is %s', (e, kind) => {
    expect(classifyRpcError(e).kind).toBe(kind);
  });
});
