import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import type { KeyWrapper, WrappedKey } from '../../ports/key-wrapper.js';

/**
 * `KeyWrapper` for the local stack: AES-256-GCM key-encryption keys in a JSON keyring file
 * (`<dir>/local-kek.json`, mode 0600), created on first use with one random key `local-v1`.
 * `rotate()` adds `local-v(N+1)` and makes it current; older versions stay readable. It stands
 * in for Cloud KMS, whose key versions behave the same way; it is not for production.
 *
 * Wrapped key format: base64 of `iv (12) || ciphertext (32) || tag (16)`.
 */
export interface LocalKeyWrapperOptions {
  /** Directory of the keyring (created, mode 0700, if missing). */
  readonly dir: string;
  readonly fileName?: string;
}

const Keyring = z.object({
  v: z.literal(1),
  current: z.string().regex(/^local-v\d+$/),
  keys: z.record(
    z.string().regex(/^local-v\d+$/),
    z.string().refine((s) => Buffer.from(s, 'base64').length === 32, 'expected a base64 256-bit key'),
  ),
});
type Keyring = z.infer<typeof Keyring>;

const IV_BYTES = 12;
const TAG_BYTES = 16;

const cannotUnwrap = (why: string, cause?: unknown) => new AppError('INTERNAL', `the data key could not be unwrapped: ${why}`, { retryable: false, cause });

export class LocalKeyWrapper implements KeyWrapper {
  readonly path: string;
  private ring: Promise<Keyring> | undefined;
  /** Serialises rotations within this process (the keyring is rewritten whole). */
  private rotating: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: LocalKeyWrapperOptions) {
    this.path = join(options.dir, options.fileName ?? 'local-kek.json');
  }

  async wrap(plaintextDataKey: Uint8Array, aad: string): Promise<WrappedKey> {
    const ring = await this.keyring();
    const kek = Buffer.from(ring.keys[ring.current]!, 'base64');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintextDataKey), cipher.final()]);
    kek.fill(0);
    return { wrappedKey: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64'), keyVersion: ring.current };
  }

  async unwrap(wrappedKey: string, keyVersion: string, aad: string): Promise<Uint8Array> {
    let ring = await this.keyring();
    if (!(keyVersion in ring.keys)) ring = await this.reload(); // another process may have rotated
    const key = ring.keys[keyVersion];
    if (!key) throw cannotUnwrap(`unknown key version ${JSON.stringify(keyVersion.slice(0, 40))}`);
    const raw = Buffer.from(wrappedKey, 'base64');
    if (raw.length <= IV_BYTES + TAG_BYTES) throw cannotUnwrap('wrapped key too short');
    const kek = Buffer.from(key, 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', kek, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return new Uint8Array(Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]));
    } catch (e) {
      throw cannotUnwrap('authentication failed (tampered, or bound to other data)', e);
    } finally {
      kek.fill(0);
    }
  }

  async currentVersion(): Promise<string> {
    return (await this.keyring()).current;
  }

  /**
   * Adds a new random key-encryption key `local-v(N+1)` and makes it current. Records wrapped
   * under older versions stay readable; `rewrapSecret` moves them. Not idempotent: each call
   * adds a version.
   * @returns the new current version.
   * @throws if the keyring file cannot be read or written.
   */
  rotate(): Promise<string> {
    const next = this.rotating.then(async () => {
      const ring = await this.reload();
      const n = Math.max(...Object.keys(ring.keys).map((k) => Number(k.slice('local-v'.length)))) + 1;
      const version = `local-v${n}`;
      const updated: Keyring = { v: 1, current: version, keys: { ...ring.keys, [version]: randomBytes(32).toString('base64') } };
      await this.writeAtomically(updated);
      this.ring = Promise.resolve(updated);
      return version;
    });
    this.rotating = next.catch(() => undefined);
    return next;
  }

  private keyring(): Promise<Keyring> {
    this.ring ??= this.loadOrCreate().catch((e: unknown) => {
      this.ring = undefined;
      throw e;
    });
    return this.ring;
  }

  private reload(): Promise<Keyring> {
    this.ring = undefined;
    return this.keyring();
  }

  private async loadOrCreate(): Promise<Keyring> {
    const existing = await this.read();
    if (existing) return existing;
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const fresh: Keyring = { v: 1, current: 'local-v1', keys: { 'local-v1': randomBytes(32).toString('base64') } };
    try {
      // `wx`: if another process created it meanwhile, keep theirs.
      await writeFile(this.path, `${JSON.stringify(fresh, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
      await chmod(this.path, 0o600); // independent of the umask
      return fresh;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const theirs = await this.read();
      if (!theirs) throw e;
      return theirs;
    }
  }

  private async read(): Promise<Keyring | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const mode = (await stat(this.path)).mode & 0o777;
    if ((mode & 0o077) !== 0) throw new AppError('INTERNAL', `the local keyring ${this.path} is readable by others (mode ${mode.toString(8)}); chmod 600 it`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = Keyring.safeParse(json);
    if (!parsed.success || !(parsed.data.current in parsed.data.keys)) throw new AppError('INTERNAL', `the local keyring ${this.path} is not valid`);
    return parsed.data;
  }

  private async writeAtomically(ring: Keyring): Promise<void> {
    const tmp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, `${JSON.stringify(ring, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, this.path);
  }
}
