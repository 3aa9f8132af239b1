import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32c } from '../../shared/adapters/secrets/google-api.js';

/**
 * A real protocol peer for the Secret Manager REST API (v1) on 127.0.0.1, for the real
 * `@google-cloud/secret-manager` client in REST mode:
 *   GET /v1/projects/{p}/secrets/{s}/versions/{v|latest}:access
 * with the payload's CRC32C, Google JSON errors and a bearer token check.
 */
export interface FakeSecretManager {
  readonly port: number;
  readonly token: string;
  /** Adds a new enabled version of `project/secret`; returns its number. */
  addVersion(project: string, secret: string, value: string): number;
  disable(project: string, secret: string, version: number): void;
  /** The next `count` access calls answer this HTTP error. */
  failNext(count: number, http: number, status: string): void;
  /** Corrupt the CRC32C of the next `count` answers. */
  corruptNext(count: number): void;
  /** Resource names of every access call seen. */
  readonly accesses: readonly string[];
  close(): Promise<void>;
}

const ACCESS = /^\/v1\/projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/:]+):access$/;

/** Starts a fake Secret Manager on an ephemeral loopback port. */
export async function startFakeSecretManager(): Promise<FakeSecretManager> {
  const secrets = new Map<string, Array<{ value: string; enabled: boolean }>>();
  const token = `fake-sm-${randomBytes(8).toString('hex')}`;
  const accesses: string[] = [];
  const faults: Array<{ http: number; status: string }> = [];
  let corrupt = 0;

  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, code: number, status: string, message: string) => send(res, code, { error: { code, message, status } });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.authorization !== `Bearer ${token}`) return fail(res, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    const m = ACCESS.exec(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (req.method !== 'GET' || !m) return fail(res, 404, 'NOT_FOUND', 'No such method.');
    const [, project, secret, versionId] = m as unknown as [string, string, string, string];
    accesses.push(`projects/${project}/secrets/${secret}/versions/${versionId}`);
    const fault = faults.shift();
    if (fault) return fail(res, fault.http, fault.status, 'Injected failure.');
    const versions = secrets.get(`${project}/${secret}`);
    if (!versions) return fail(res, 404, 'NOT_FOUND', `Secret [projects/${project}/secrets/${secret}] not found or has no versions.`);
    // As in Secret Manager, `latest` is the newest version whatever its state.
    const n = versionId === 'latest' ? versions.length : Number(versionId);
    const version = versions[n - 1];
    if (!version) return fail(res, 404, 'NOT_FOUND', `Secret Version [projects/${project}/secrets/${secret}/versions/${versionId}] not found.`);
    if (!version.enabled) return fail(res, 400, 'FAILED_PRECONDITION', `Secret Version [projects/${project}/secrets/${secret}/versions/${n}] is in DISABLED state.`);
    const data = Buffer.from(version.value, 'utf8');
    const sum = crc32c(data) + (corrupt > 0 ? 1 : 0);
    if (corrupt > 0) corrupt--;
    return send(res, 200, { name: `projects/${project}/secrets/${secret}/versions/${n}`, payload: { data: data.toString('base64'), dataCrc32c: String(sum) } });
  };

  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    token,
    accesses,
    addVersion(project, secret, value) {
      const list = secrets.get(`${project}/${secret}`) ?? [];
      list.push({ value, enabled: true });
      secrets.set(`${project}/${secret}`, list);
      return list.length;
    },
    disable(project, secret, version) {
      const v = secrets.get(`${project}/${secret}`)?.[version - 1];
      if (!v) throw new Error('unknown secret version');
      v.enabled = false;
    },
    failNext(count, http, status) {
      for (let i = 0; i < count; i++) faults.push({ http, status });
    },
    corruptNext(count) {
      corrupt += count;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
