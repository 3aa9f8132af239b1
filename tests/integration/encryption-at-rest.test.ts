import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentReference, Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from '../../shared/adapters/crypto/envelope.js';
import { KmsKeyWrapper } from '../../shared/adapters/crypto/kms-key-wrapper.js';
import { LocalKeyWrapper } from '../../shared/adapters/crypto/local-key-wrapper.js';
import { FirestoreConnectionRepo } from '../../shared/adapters/firestore/firestore-connection.repo.js';
import { FirestoreSessionStore } from '../../shared/adapters/firestore/firestore-session.store.js';
import type { Connection } from '../../shared/contracts/documents.js';
import type { KeyWrapper } from '../../shared/ports/key-wrapper.js';
import { FI_SESSION_PURPOSE } from '../../shared/usecases/fi-session.js';
import { startFakeKms, staticTokenClient, type FakeKms } from '../support/fake-kms.js';
import { testFirestore, testProjectId } from '../support/emulator-env.js';

/**
 * Secrets at rest, on the real Firestore emulator: what the production adapters write holds
 * no plaintext credential anywhere in the user's document tree, and sessions hold only the
 * token's SHA-256.
 */
let db: Firestore;
let kms: FakeKms;
const dirs: string[] = [];
const KEY = 'projects/demo-ffai/locations/asia-south1/keyRings/future-finance/cryptoKeys/envelope-kek';

beforeAll(async () => {
  db = await testFirestore(testProjectId('at-rest'));
  kms = await startFakeKms();
  kms.createKey(KEY);
});
afterAll(async () => {
  await db.terminate();
  await kms.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const wrappers: Array<[string, () => KeyWrapper]> = [
  [
    'LocalKeyWrapper',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'ffai-at-rest-'));
      dirs.push(dir);
      return new LocalKeyWrapper({ dir });
    },
  ],
  ['KmsKeyWrapper', () => new KmsKeyWrapper({ keyName: KEY, apiEndpoint: '127.0.0.1', port: kms.port, protocol: 'http', authClient: staticTokenClient(kms.token), maxAttempts: 1 })],
];

/** Every document under `root` (itself included), raw, as stored: path -> data. */
async function dumpTree(root: DocumentReference): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  const walk = async (ref: DocumentReference): Promise<void> => {
    const snap = await ref.get();
    if (snap.exists) out.set(ref.path, snap.data());
    for (const collection of await ref.listCollections()) {
      for (const child of await collection.listDocuments()) await walk(child);
    }
  };
  await walk(root);
  return out;
}

/** The forms a leaked credential could take in a document. */
const encodings = (secret: string): string[] => {
  const b = Buffer.from(secret, 'utf8');
  return [secret, b.toString('base64'), b.toString('base64url'), b.toString('hex'), b.toString('hex').toUpperCase(), b.toString('base64').slice(0, 24), secret.replace(/^mcp-session-/, '')];
};

describe.each(wrappers)('encryption at rest with %s (Firestore emulator)', (label, makeWrapper) => {
  it('stores the sealed Fi MCP session id without any plaintext in the user tree, and it opens back', async () => {
    const wrapper = makeWrapper();
    const uid = `user-${label.toLowerCase()}-${randomUUID().slice(0, 8)}`;
    const sessionId = `mcp-session-${randomUUID()}`;
    const binding = { uid, purpose: FI_SESSION_PURPOSE };
    const now = '2026-11-20T10:00:00.000Z';
    const connection: Connection = {
      id: 'fi',
      provider: 'fi-mcp',
      status: 'connected',
      session: await sealSecret(wrapper, sessionId, binding),
      createdAt: now,
      updatedAt: now,
    };
    await db.collection('users').doc(uid).set({ email: `${uid}@example.com`, createdAt: now });
    const repo = new FirestoreConnectionRepo(db);
    await repo.save(uid, connection);

    const tree = await dumpTree(db.collection('users').doc(uid));
    expect([...tree.keys()].sort()).toEqual([`users/${uid}`, `users/${uid}/connections/fi`]);
    const raw = JSON.stringify([...tree.entries()]);
    for (const needle of encodings(sessionId)) expect(raw, `leaked form ${needle.slice(0, 12)}...`).not.toContain(needle);
    if (label === 'KmsKeyWrapper') {
      // The data key is what KMS was asked to encrypt: it is not stored either.
      const dataKey = Buffer.from(kms.requests.filter((r) => r.method === 'encrypt').at(-1)!.body['plaintext'] as string, 'base64');
      for (const needle of [dataKey.toString('base64'), dataKey.toString('hex'), dataKey.toString('base64url')]) expect(raw).not.toContain(needle);
    }

    // The stored record is the real one: it opens for its owner only.
    const stored = await repo.get(uid, 'fi');
    expect(stored?.session.keyVersion).toBe(connection.session.keyVersion);
    expect(await openSecret(wrapper, stored!.session, binding)).toBe(sessionId);
    await expect(openSecret(wrapper, stored!.session, { uid: 'someone-else', purpose: FI_SESSION_PURPOSE })).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

describe('the leak scan itself', () => {
  it('reaches nested subcollections and catches an encoded credential there', async () => {
    const uid = `user-canary-${randomUUID().slice(0, 8)}`;
    const sessionId = `mcp-session-${randomUUID()}`;
    await db.doc(`users/${uid}/connections/fi/debug/x`).set({ note: Buffer.from(sessionId).toString('base64') });
    const raw = JSON.stringify([...(await dumpTree(db.collection('users').doc(uid))).entries()]);
    expect(encodings(sessionId).some((needle) => raw.includes(needle))).toBe(true);
  });
});

describe('sessions at rest (Firestore emulator)', () => {
  it('stores only the SHA-256 of the session token', async () => {
    const store = new FirestoreSessionStore(db);
    const uid = `user-sessions-${randomUUID().slice(0, 8)}`;
    const { token } = await store.create(uid, new Date('2026-11-20T10:00:00Z'), { idleMs: 1_800_000, absoluteMs: 43_200_000 });
    const docs = (await db.collection('sessions').get()).docs;
    const mine = docs.filter((d) => (d.data() as { uid?: string }).uid === uid);
    expect(mine.map((d) => d.id)).toEqual([createHash('sha256').update(token).digest('hex')]);
    const raw = JSON.stringify(docs.map((d) => [d.id, d.data()]));
    const bytes = Buffer.from(token, 'base64url');
    for (const needle of [token, bytes.toString('base64'), bytes.toString('hex'), token.slice(0, 16)]) expect(raw).not.toContain(needle);
  });
});
