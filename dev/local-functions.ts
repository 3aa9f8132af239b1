import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { EventTriggers, HttpRoutes } from './routes.js';
import { pushToCloudEvent, type PushBody } from './eventarc-bridge.js';

/**
 * The HTTP functions and the event functions behind one local port, as production puts
 * them behind Firebase Hosting and Eventarc:
 * - `/health`, `/api/**` go to the `api` function unchanged (paths included);
 * - `POST /events/<fn>` takes a binary CloudEvent for an event function, as Eventarc sends it;
 * - `POST /_eventarc/<fn>` takes a Pub/Sub push from the emulator and forwards it to
 *   `/events/<fn>` as that CloudEvent, answering with the function's status, so a
 *   non-2xx answer makes the emulator redeliver exactly as Pub/Sub would.
 * Functions come from functions/index.ts, loaded here so nothing registers twice.
 */
export interface LocalFunctions {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_PUSH_BYTES = 10 * 1024 * 1024;

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startLocalFunctions(options: { port: number; projectId: string; host?: string }): Promise<LocalFunctions> {
  await import('../functions/index.js');
  const host = options.host ?? '127.0.0.1';
  const servers = new Map<string, Server>();
  const serverFor = (fn: string): Server => {
    let s = servers.get(fn);
    if (!s) {
      s = getTestServer(fn);
      servers.set(fn, s);
    }
    return s;
  };
  const triggers = new Map(EventTriggers.map((t) => [t.fn, t.topic]));
  const instanceId = randomBytes(4).toString('hex');
  let selfUrl = '';

  const front = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    const eventMatch = /^\/(events|_eventarc)\/([A-Za-z0-9]+)\/?$/.exec(path);
    if (eventMatch) {
      const [, kind, fn] = eventMatch as unknown as [string, string, string];
      const topic = triggers.get(fn);
      if (!topic) return json(res, 404, { error: { code: 'NOT_FOUND', message: `No event function ${fn}` } });
      if (req.method !== 'POST') return json(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only' } });
      if (kind === 'events') return void serverFor(fn).emit('request', req, res);
      void bridge(req, res, fn, topic);
      return;
    }
    const route = HttpRoutes.find((r) => path === r.prefix || path.startsWith(r.prefix.endsWith('/') ? r.prefix : `${r.prefix}/`));
    if (route) return void serverFor(route.fn).emit('request', req, res);
    json(res, 404, { error: { code: 'NOT_FOUND', message: `No function serves ${path.slice(0, 200)}` } });
  });

  async function bridge(req: IncomingMessage, res: ServerResponse, fn: string, topic: string): Promise<void> {
    try {
      const push = JSON.parse((await readBody(req, MAX_PUSH_BYTES)).toString()) as PushBody;
      const ce = pushToCloudEvent(push, options.projectId, topic, instanceId);
      const answer = await fetch(`${selfUrl}/events/${fn}`, { method: 'POST', headers: ce.headers, body: ce.body });
      await answer.body?.cancel();
      res.writeHead(answer.status).end();
    } catch (e) {
      // A push we cannot read will never be readable: acknowledge it, say why.
      json(res, 200, { dropped: true, reason: (e as Error).message.slice(0, 200) });
    }
  }

  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port, host, () => resolve());
  });
  const port = (front.address() as AddressInfo).port;
  selfUrl = `http://${host}:${port}`;
  return {
    url: selfUrl,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        front.closeAllConnections();
        front.close(() => resolve());
      }),
  };
}
