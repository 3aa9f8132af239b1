import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Client } from 'google-auth-library';
import { crc32c } from '../../shared/adapters/secrets/google-api.js';

/**
 * A real protocol peer for the Cloud KMS REST API (v1), on 127.0.0.1, for the real
 * `@google-cloud/kms` client in REST mode. It serves, for its symmetric keys:
 *   GET  /v1/{cryptoKey}            -> CryptoKey with its primary version
 *   POST /v1/{cryptoKey}:encrypt    -> AES-256-GCM under the primary version, with the AAD
 *   POST /v1/{cryptoKey}:decrypt    -> finds the version in the ciphertext, checks the AAD
 * with CRC32C integrity fields both ways, Google JSON errors, and a bearer token check.
 * Ciphertext layout (its own, as real KMS's is opaque): version (u32 BE) || iv 12 || body || tag 16.
 */
export interface FakeKms {
  readonly url: string;
  readonly port: number;
  /** The bearer token the server accepts (see {@link staticTokenClient}). */
  readonly token: string;
  /** Creates a key (project/location/ring/key path) with version 1 as primary. */
  createKey(name: string): void;
  /** Adds a version to `name` and makes it primary; returns its full version name. */
  rotate(name: string): string;
  /** Disables a version: decrypting what it wrapped then fails with FAILED_PRECONDITION. */
  disable(versionName: string): void;
  /** The next `count` requests (matching `method`, e.g. 'encrypt') answer this HTTP error. */
  failNext(count: number, http: number, status: string, method?: 'encrypt' | 'decrypt' | 'get'): void;
  /** Refuse GetCryptoKey with 403 PERMISSION_DENIED, as for an account with only the encrypter role. */
  denyGet(deny: boolean): void;
  /** Every request seen, in order. */
  readonly requests: ReadonlyArray<{ readonly method: 'encrypt' | 'decrypt' | 'get'; readonly key: string; readonly body: Record<string, unknown> }>;
  close(): Promise<void>;
}

interface Key {
  versions: Map<number, { secret: Buffer; enabled: boolean }>;
  primary: number;
}

/** An auth client that always presents `token` and never refreshes: no discovery, no network. */
export function staticTokenClient(token: string): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 24 * 3_600_000, token_type: 'Bearer' });
  return client;
}

const KEY_PATH = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/:]+)(:encrypt|:decrypt)?$/;

/** Starts a fake KMS on an ephemeral loopback port. */
export async function startFakeKms(): Promise<FakeKms> {
  const keys = new Map<string, Key>();
  const token = `fake-kms-${randomBytes(8).toString('hex')}`;
  const requests: Array<{ method: 'encrypt' | 'decrypt' | 'get'; key: string; body: Record<string, unknown> }> = [];
  const faults: Array<{ http: number; status: string; method: string | undefined }> = [];
  let denyGet = false;

  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, code: number, status: string, message: string) => send(res, code, { error: { code, message, status } });

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    if (req.headers.authorization !== `Bearer ${token}`) return fail(res, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    const url = new URL(req.url ?? '/', 'http://x');
    const m = KEY_PATH.exec(decodeURIComponent(url.pathname));
    if (!m) return fail(res, 404, 'NOT_FOUND', 'No such method.');
    const keyName = m[1]!;
    const method = m[2] === ':encrypt' ? 'encrypt' : m[2] === ':decrypt' ? 'decrypt' : 'get';
    if ((method === 'get') !== (req.method === 'GET')) return fail(res, 405, 'INVALID_ARGUMENT', 'Wrong HTTP method.');
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return fail(res, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    requests.push({ method, key: keyName, body });
    const faultAt = faults.findIndex((f) => f.method === undefined || f.method === method);
    if (faultAt >= 0) {
      const [f] = faults.splice(faultAt, 1);
      return fail(res, f!.http, f!.status, 'Injected failure.');
    }
    const key = keys.get(keyName);
    if (!key) return fail(res, 404, 'NOT_FOUND', `CryptoKey ${keyName} not found.`);

    if (method === 'get') {
      if (denyGet) return fail(res, 403, 'PERMISSION_DENIED', "Permission 'cloudkms.cryptoKeys.get' denied on resource.");
      return send(res, 200, {
        name: keyName,
        purpose: 'ENCRYPT_DECRYPT',
        primary: { name: `${keyName}/cryptoKeyVersions/${key.primary}`, state: 'ENABLED', protectionLevel: 'SOFTWARE', algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION' },
        versionTemplate: { protectionLevel: 'SOFTWARE', algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION' },
      });
    }

    const aad = Buffer.from(typeof body['additionalAuthenticatedData'] === 'string' ? body['additionalAuthenticatedData'] : '', 'base64');
    const aadCrc = body['additionalAuthenticatedDataCrc32c'];
    if (aadCrc !== undefined && Number(aadCrc) !== crc32c(aad)) {
      return fail(res, 400, 'INVALID_ARGUMENT', 'The checksum in field additional_authenticated_data_crc32c did not match the data in field additional_authenticated_data.');
    }

    if (method === 'encrypt') {
      const plaintext = Buffer.from(typeof body['plaintext'] === 'string' ? body['plaintext'] : '', 'base64');
      if (plaintext.length === 0) return fail(res, 400, 'INVALID_ARGUMENT', 'plaintext is required.');
      const ptCrc = body['plaintextCrc32c'];
      if (ptCrc !== undefined && Number(ptCrc) !== crc32c(plaintext)) return fail(res, 400, 'INVALID_ARGUMENT', 'The checksum in field plaintext_crc32c did not match the data in field plaintext.');
      const version = key.versions.get(key.primary)!;
      const header = Buffer.alloc(4);
      header.writeUInt32BE(key.primary);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', version.secret, iv);
      cipher.setAAD(Buffer.concat([header, aad]));
      const ciphertext = Buffer.concat([header, iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
      return send(res, 200, {
        name: `${keyName}/cryptoKeyVersions/${key.primary}`,
        ciphertext: ciphertext.toString('base64'),
        ciphertextCrc32c: String(crc32c(ciphertext)),
        verifiedPlaintextCrc32c: ptCrc !== undefined,
        verifiedAdditionalAuthenticatedDataCrc32c: aadCrc !== undefined,
        protectionLevel: 'SOFTWARE',
      });
    }

    const ciphertext = Buffer.from(typeof body['ciphertext'] === 'string' ? body['ciphertext'] : '', 'base64');
    const ctCrc = body['ciphertextCrc32c'];
    if (ctCrc !== undefined && Number(ctCrc) !== crc32c(ciphertext)) return fail(res, 400, 'INVALID_ARGUMENT', 'The checksum in field ciphertext_crc32c did not match the data in field ciphertext.');
    const invalid = () => fail(res, 400, 'INVALID_ARGUMENT', 'Decryption failed: the ciphertext is invalid.');
    if (ciphertext.length < 4 + 12 + 16 + 1) return invalid();
    const n = ciphertext.readUInt32BE(0);
    const version = key.versions.get(n);
    if (!version) return invalid();
    if (!version.enabled) return fail(res, 400, 'FAILED_PRECONDITION', `${keyName}/cryptoKeyVersions/${n} is not enabled, current state is: DISABLED.`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', version.secret, ciphertext.subarray(4, 16));
      decipher.setAAD(Buffer.concat([ciphertext.subarray(0, 4), aad]));
      decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
      const plaintext = Buffer.concat([decipher.update(ciphertext.subarray(16, ciphertext.length - 16)), decipher.final()]);
      return send(res, 200, { plaintext: plaintext.toString('base64'), plaintextCrc32c: String(crc32c(plaintext)), usedPrimary: n === key.primary, protectionLevel: 'SOFTWARE' });
    } catch {
      return invalid();
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const keyOf = (versionName: string) => {
    const m = /^(.*)\/cryptoKeyVersions\/(\d+)$/.exec(versionName);
    const key = m ? keys.get(m[1]!) : undefined;
    if (!m || !key) throw new Error(`unknown key version ${versionName}`);
    return { key, n: Number(m[2]) };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    requests,
    createKey(name) {
      keys.set(name, { versions: new Map([[1, { secret: randomBytes(32), enabled: true }]]), primary: 1 });
    },
    rotate(name) {
      const key = keys.get(name);
      if (!key) throw new Error(`unknown key ${name}`);
      const n = Math.max(...key.versions.keys()) + 1;
      key.versions.set(n, { secret: randomBytes(32), enabled: true });
      key.primary = n;
      return `${name}/cryptoKeyVersions/${n}`;
    },
    disable(versionName) {
      const { key, n } = keyOf(versionName);
      key.versions.get(n)!.enabled = false;
    },
    failNext(count, http, status, method) {
      for (let i = 0; i < count; i++) faults.push({ http, status, method });
    },
    denyGet(deny) {
      denyGet = deny;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
