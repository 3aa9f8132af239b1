import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvelopeSecretBox, openSecret, rewrapSecret, sealSecret } from '../../shared/adapters/crypto/envelope.js';
import { LocalKeyWrapper } from '../../shared/adapters/crypto/local-key-wrapper.js';
import type { EncryptedSecret, SecretBinding } from '../../shared/ports/key-wrapper.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const aKeyDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'ffai-kek-'));
  dirs.push(d);
  return join(d, 'keys');
};
const aWrapper = () => new LocalKeyWrapper({ dir: aKeyDir() });
const aBinding = (over: Partial<SecretBinding> = {}): SecretBinding => ({ uid: 'user-000001', purpose: 'fi-mcp-session', ...over });
const SECRET = 'mcp-session-4b1f0c7e-2f7a-4d4b-9d51-0e6f2c1a9b33';

/** Flips one bit of a base64 field. */
const flip = (b64: string, at = 0): string => {
  const buf = Buffer.from(b64, 'base64');
  buf[at] = buf[at]! ^ 0x01;
  return buf.toString('base64');
};

describe('envelope encryption over LocalKeyWrapper', () => {
  it('round-trips a secret, with a fresh data key and IV per record', async () => {
    const wrapper = aWrapper();
    const a = await sealSecret(wrapper, SECRET, aBinding());
    const b = await sealSecret(wrapper, SECRET, aBinding());
    expect(a).toMatchObject({ v: 1, alg: 'AES-256-GCM', keyVersion: 'local-v1' });
    expect(Buffer.from(a.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(a.tag, 'base64')).toHaveLength(16);
    expect(a.iv).not.toBe(b.iv);
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(await openSecret(wrapper, a, aBinding())).toBe(SECRET);
    expect(await openSecret(wrapper, b, aBinding())).toBe(SECRET);
    // The same record survives storage as JSON.
    expect(await openSecret(wrapper, JSON.parse(JSON.stringify(a)) as EncryptedSecret, aBinding())).toBe(SECRET);
  });

  it('keeps no plaintext in the sealed JSON', async () => {
    const sealed = JSON.stringify(await sealSecret(aWrapper(), SECRET, aBinding()));
    expect(sealed).not.toContain(SECRET);
    expect(sealed).not.toContain('4b1f0c7e');
    expect(sealed).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 16));
    expect(sealed).not.toContain('user-000001');
  });

  it.each([
    ['another uid', aBinding({ uid: 'user-000002' })],
    ['another purpose', aBinding({ purpose: 'oauth-refresh-token' })],
  ])('refuses to open under %s', async (_label, binding) => {
    const wrapper = aWrapper();
    const sealed = await sealSecret(wrapper, SECRET, aBinding());
    await expect(openSecret(wrapper, sealed, binding)).rejects.toMatchObject({ code: 'INTERNAL', retryable: false });
  });

  it('refuses a record whose wrapped key was moved from another user', async () => {
    const wrapper = aWrapper();
    const mine = await sealSecret(wrapper, SECRET, aBinding());
    const theirs = await sealSecret(wrapper, 'other', aBinding({ uid: 'user-000002' }));
    await expect(openSecret(wrapper, { ...mine, wrappedKey: theirs.wrappedKey }, aBinding())).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it.each([
    ['ciphertext', (s: EncryptedSecret): EncryptedSecret => ({ ...s, ciphertext: flip(s.ciphertext, 3) })],
    ['tag', (s: EncryptedSecret): EncryptedSecret => ({ ...s, tag: flip(s.tag) })],
    ['iv', (s: EncryptedSecret): EncryptedSecret => ({ ...s, iv: flip(s.iv) })],
    ['wrapped key', (s: EncryptedSecret): EncryptedSecret => ({ ...s, wrappedKey: flip(s.wrappedKey, 20) })],
    ['key version', (s: EncryptedSecret): EncryptedSecret => ({ ...s, keyVersion: 'local-v9' })],
    ['shape', (s: EncryptedSecret): EncryptedSecret => ({ ...s, iv: 'AAAA' })],
  ])('refuses a tampered %s', async (_label, tamper) => {
    const wrapper = aWrapper();
    const sealed = await sealSecret(wrapper, SECRET, aBinding());
    await expect(openSecret(wrapper, tamper(sealed), aBinding())).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it.each([
    ['an empty uid', aBinding({ uid: '' })],
    ['a "|" in the uid', aBinding({ uid: 'a|b' })],
    ['a "|" in the purpose', aBinding({ purpose: 'x|y' })],
  ])('rejects a binding with %s', async (_label, binding) => {
    await expect(sealSecret(aWrapper(), SECRET, binding)).rejects.toMatchObject({ code: 'VALIDATION.INVALID_INPUT' });
  });

  it('keeps old records readable after rotation, and rewrap moves them to the new version', async () => {
    const dir = aKeyDir();
    const wrapper = new LocalKeyWrapper({ dir });
    const box = new EnvelopeSecretBox(wrapper);
    const old = await box.seal(SECRET, aBinding());
    expect(old.keyVersion).toBe('local-v1');

    expect(await wrapper.rotate()).toBe('local-v2');
    expect(await wrapper.currentVersion()).toBe('local-v2');
    expect(await box.open(old, aBinding())).toBe(SECRET);
    expect((await box.seal('new', aBinding())).keyVersion).toBe('local-v2');

    const moved = await rewrapSecret(wrapper, old, aBinding());
    expect(moved.keyVersion).toBe('local-v2');
    expect(moved.wrappedKey).not.toBe(old.wrappedKey);
    expect({ iv: moved.iv, tag: moved.tag, ciphertext: moved.ciphertext }).toEqual({ iv: old.iv, tag: old.tag, ciphertext: old.ciphertext });
    expect(await box.open(moved, aBinding())).toBe(SECRET);
    // Idempotent: a current record comes back as is.
    expect(await box.rewrap(moved, aBinding())).toBe(moved);
    // Rewrap checks the binding and never blesses a tampered record.
    await expect(rewrapSecret(wrapper, old, aBinding({ uid: 'user-000002' }))).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(rewrapSecret(wrapper, { ...old, tag: flip(old.tag) }, aBinding())).rejects.toMatchObject({ code: 'INTERNAL' });

    // A new process (a new wrapper over the same file) reads both versions.
    const again = new LocalKeyWrapper({ dir });
    expect(await again.currentVersion()).toBe('local-v2');
    expect(await openSecret(again, old, aBinding())).toBe(SECRET);
    expect(await openSecret(again, moved, aBinding())).toBe(SECRET);
  });

  it('sees a rotation made by another process when it meets the new version', async () => {
    const dir = aKeyDir();
    const first = new LocalKeyWrapper({ dir });
    const second = new LocalKeyWrapper({ dir });
    await first.currentVersion();
    await second.currentVersion();
    await second.rotate();
    const sealed = await sealSecret(second, SECRET, aBinding());
    expect(await openSecret(first, sealed, aBinding())).toBe(SECRET);
  });

  it('creates the keyring file with mode 0600 on first use, holding one key local-v1', async () => {
    const dir = aKeyDir();
    const wrapper = new LocalKeyWrapper({ dir });
    expect(await wrapper.currentVersion()).toBe('local-v1');
    const file = join(dir, 'local-kek.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const ring = JSON.parse(readFileSync(file, 'utf8')) as { current: string; keys: Record<string, string> };
    expect(ring.current).toBe('local-v1');
    expect(Object.keys(ring.keys)).toEqual(['local-v1']);
    await wrapper.rotate();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a keyring file that others can read', async () => {
    const dir = aKeyDir();
    await new LocalKeyWrapper({ dir }).currentVersion();
    chmodSync(join(dir, 'local-kek.json'), 0o644);
    await expect(new LocalKeyWrapper({ dir }).currentVersion()).rejects.toThrow(/readable by others/);
  });

  it('refuses a corrupt keyring file', async () => {
    const dir = aKeyDir();
    await new LocalKeyWrapper({ dir }).currentVersion();
    writeFileSync(join(dir, 'local-kek.json'), '{not json', { mode: 0o600 });
    await expect(new LocalKeyWrapper({ dir }).currentVersion()).rejects.toThrow(/not valid/);
  });
});
