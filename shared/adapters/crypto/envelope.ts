import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError, isAppError } from '../../domain/errors.js';
import type { EncryptedSecret, KeyWrapper, SecretBinding, SecretBox } from '../../ports/key-wrapper.js';

/**
 * Envelope encryption of small secrets: a fresh 256-bit data key and 96-bit IV per record,
 * AES-256-GCM over the plaintext, the data key wrapped by a `KeyWrapper`. The associated
 * data `${uid}|${purpose}` is bound twice, into the GCM encryption and into the wrap, so a
 * record (or only its wrapped key) moved to another user or purpose fails to open.
 */

const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const base64 = (bytes: number | undefined) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64')
    .refine((s) => bytes === undefined || Buffer.from(s, 'base64').length === bytes, bytes === undefined ? 'bad length' : `expected ${bytes} bytes`);

/** The stored shape of an `EncryptedSecret`, for adapters that read records back. */
export const EncryptedSecretSchema = z.object({
  v: z.literal(1),
  alg: z.literal('AES-256-GCM'),
  keyVersion: z.string().min(1).max(300),
  wrappedKey: base64(undefined).refine((s) => s.length > 0, 'empty'),
  iv: base64(IV_BYTES),
  tag: base64(TAG_BYTES),
  ciphertext: base64(undefined),
}) satisfies z.ZodType<EncryptedSecret>;

/** The associated data for a binding; `|` is refused in either part so the join is unambiguous. */
export function bindingAad(binding: SecretBinding): string {
  const problems = (['uid', 'purpose'] as const)
    .filter((f) => typeof binding[f] !== 'string' || binding[f].length === 0 || binding[f].includes('|'))
    .map((field) => ({ field, message: 'must be a non-empty string without "|"' }));
  if (problems.length > 0) throw new AppError('VALIDATION.INVALID_INPUT', `invalid secret binding: ${problems.map((p) => p.field).join(', ')}`, { problems });
  return `${binding.uid}|${binding.purpose}`;
}

const cannotOpen = (cause?: unknown) =>
  new AppError('INTERNAL', 'the secret could not be opened (wrong owner or purpose, tampered, or unknown key version)', { retryable: false, cause });

/**
 * Encrypts `plaintext` for `binding` under a fresh data key.
 * Not idempotent by design: each call yields a different record (new key, new IV).
 * @throws AppError `VALIDATION.INVALID_INPUT` for an empty binding part or one holding `|`;
 *   whatever `wrapper.wrap` throws (e.g. `DEPENDENCY.UNAVAILABLE`).
 */
export async function sealSecret(wrapper: KeyWrapper, plaintext: string, binding: SecretBinding): Promise<EncryptedSecret> {
  const aad = bindingAad(binding);
  const dataKey = randomBytes(DATA_KEY_BYTES);
  try {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    const { wrappedKey, keyVersion } = await wrapper.wrap(dataKey, aad);
    return {
      v: 1,
      alg: 'AES-256-GCM',
      keyVersion,
      wrappedKey,
      iv: iv.toString('base64'),
      tag: tag.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Decrypts a record sealed for `binding`. Pure read: idempotent.
 * @throws AppError `INTERNAL` (not retryable) for a malformed record, a different binding,
 *   tampering, or an unknown key version; `VALIDATION.INVALID_INPUT` for a bad binding;
 *   `DEPENDENCY.UNAVAILABLE` (retryable) passed through from the wrapper.
 */
export async function openSecret(wrapper: KeyWrapper, sealed: EncryptedSecret, binding: SecretBinding): Promise<string> {
  const aad = bindingAad(binding);
  const record = parseRecord(sealed);
  const dataKey = await unwrapDataKey(wrapper, record, aad);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(record.iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(record.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(record.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch (e) {
    throw cannotOpen(e);
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Moves a record to the wrapper's current key version by re-wrapping its data key; the
 * ciphertext, IV and tag stay as they are. Returns `sealed` itself when it is already on
 * the current version, so a caller can skip the write (`result !== sealed`). Idempotent.
 * @throws as `openSecret` for a record that does not open under `binding`.
 */
export async function rewrapSecret(wrapper: KeyWrapper, sealed: EncryptedSecret, binding: SecretBinding): Promise<EncryptedSecret> {
  const aad = bindingAad(binding);
  const record = parseRecord(sealed);
  if (record.keyVersion === (await wrapper.currentVersion())) return sealed;
  const dataKey = await unwrapDataKey(wrapper, record, aad);
  try {
    // Prove the whole record opens before moving it: a rewrap must never bless a tampered one.
    const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(record.iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(record.tag, 'base64'));
    try {
      decipher.update(Buffer.from(record.ciphertext, 'base64')).fill(0);
      decipher.final();
    } catch (e) {
      throw cannotOpen(e);
    }
    const { wrappedKey, keyVersion } = await wrapper.wrap(dataKey, aad);
    return { ...record, wrappedKey, keyVersion };
  } finally {
    dataKey.fill(0);
  }
}

/** `SecretBox` for use cases, over the functions above. */
export class EnvelopeSecretBox implements SecretBox {
  constructor(private readonly wrapper: KeyWrapper) {}

  seal(plaintext: string, binding: SecretBinding): Promise<EncryptedSecret> {
    return sealSecret(this.wrapper, plaintext, binding);
  }

  open(sealed: EncryptedSecret, binding: SecretBinding): Promise<string> {
    return openSecret(this.wrapper, sealed, binding);
  }

  rewrap(sealed: EncryptedSecret, binding: SecretBinding): Promise<EncryptedSecret> {
    return rewrapSecret(this.wrapper, sealed, binding);
  }
}

function parseRecord(sealed: unknown): EncryptedSecret {
  const parsed = EncryptedSecretSchema.safeParse(sealed);
  if (!parsed.success) throw cannotOpen(new Error(`malformed record at ${parsed.error.issues[0]?.path.join('.') ?? '?'}`));
  return parsed.data;
}

async function unwrapDataKey(wrapper: KeyWrapper, record: EncryptedSecret, aad: string): Promise<Buffer> {
  try {
    const raw = await wrapper.unwrap(record.wrappedKey, record.keyVersion, aad);
    const key = Buffer.from(raw);
    raw.fill(0);
    if (key.length !== DATA_KEY_BYTES) throw cannotOpen(new Error('unwrapped data key has the wrong length'));
    return key;
  } catch (e) {
    if (isAppError(e)) throw e;
    throw cannotOpen(e);
  }
}
