import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server as McpServer } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ErrorCode, ListResourcesRequestSchema, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { FI_TOOLS, type FiTool } from '../../shared/contracts/fi.js';

/**
 * Our dev stand-in for Fi Money's MCP server (see the team's fi-mcp.md): Streamable HTTP at
 * `/mcp/stream` answering plain JSON, session ids `mcp-session-<uuid>`, protocol `2025-03-26`,
 * the six Fi tools with empty input schemas, a `login_required` tool result until the session
 * logs in through the mock login page, and persona data read from
 * `<dataDir>/<phone>/<tool>.json`. A missing file answers `{}`: "this source is not connected".
 *
 * Sessions are handled here, not by the SDK's session manager, because Fi's server accepts
 * any well-formed session id it handed out earlier, even from a new client that sends no
 * `initialize` (and even after a restart: only logins live in memory). So every POST is
 * served by a fresh SDK server and transport in stateless mode (the SDK's documented
 * per-request pattern), with the session id taken from the `Mcp-Session-Id` header and
 * closed over by the tool handlers; an `initialize` gets a new id in that header. No private
 * SDK field is touched.
 *
 * Test hooks: `setDelay` (slow tools), `forgetLogins` (a login lost between two calls),
 * `terminateSession` (404 for an id, as a server that dropped the session), `failNextRequests`
 * (HTTP 5xx/429 for the next few POSTs), `stop`/`start`
 * (connection refused while stopped, same port after), `requestCounts` (e.g. how many
 * `initialize` requests arrived).
 */
const DESCRIPTIONS: Record<FiTool, string> = {
  fetch_net_worth: 'Net worth by asset and liability type, account details and mutual fund scheme analytics.',
  fetch_credit_report: 'Credit report: score, accounts, utilisation, payment history and enquiries.',
  fetch_epf_details: 'EPF accounts per UAN and establishment, employee and employer shares, pension.',
  fetch_mf_transactions: 'Mutual fund BUY/SELL transactions.',
  fetch_bank_transactions: 'Bank transactions for about the last two months.',
  fetch_stock_transactions: 'Indian stock BUY/SELL/BONUS/SPLIT transactions.',
};

/** The one protocol version Fi's server speaks and offers back to any `initialize`. */
export const FI_DEV_PROTOCOL_VERSION = '2025-03-26';

export interface FiDevServerOptions {
  readonly port: number;
  readonly host?: string;
  /** Persona folders: `<dataDir>/<phone>/<tool>.json`. */
  readonly dataDir: string;
  /** Delay before every tool answers, in ms (default 0). Also `setDelay`. */
  readonly delayMs?: number;
}

export interface FiDevServer {
  /** Base URL; the same after `stop()`/`start()`. */
  readonly url: string;
  readonly mcpUrl: string;
  readonly personas: () => string[];
  /** JSON-RPC requests and notifications received so far, by method. */
  requestCounts(): Readonly<Record<string, number>>;
  setDelay(ms: number): void;
  /** Forgets one session's login, or every login (as a restart of Fi's server would). */
  forgetLogins(sessionId?: string): void;
  /** From now on, requests carrying this session id answer 404 `Session not found`. */
  terminateSession(sessionId: string): void;
  /** The next `count` MCP POSTs answer HTTP `status` (e.g. 503) before anything else happens. */
  failNextRequests(count: number, status: number): void;
  /** Stops listening and drops open connections; state is kept. Idempotent. */
  stop(): Promise<void>;
  /** Listens again on the same port after `stop()`. Idempotent. */
  start(): Promise<void>;
  /** Stops for good. */
  close(): Promise<void>;
}

const SESSION_RE = /^mcp-session-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MAX_BODY = 1_000_000;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > MAX_BODY) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const jsonRpcError = (res: ServerResponse, status: number, code: number, message: string): void =>
  void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));

type Message = { method?: unknown; params?: { protocolVersion?: unknown } };

export async function startFiDevServer(options: FiDevServerOptions): Promise<FiDevServer> {
  const host = options.host ?? '127.0.0.1';
  let port = options.port;
  let baseUrl = '';
  let delayMs = options.delayMs ?? 0;
  /** Logins live in memory, as on Fi's dev server: session id -> phone number. */
  const logins = new Map<string, string>();
  const terminated = new Set<string>();
  const counts: Record<string, number> = {};
  const sockets = new Set<Socket>();
  const injected = { count: 0, status: 503 };

  const personas = (): string[] =>
    existsSync(options.dataDir)
      ? readdirSync(options.dataDir).filter((d) => /^\d{10}$/.test(d) && statSync(join(options.dataDir, d)).isDirectory())
      : [];

  const toolResult = async (tool: FiTool, sessionId: string) => {
    if (delayMs > 0) await sleep(delayMs);
    const phone = logins.get(sessionId);
    if (!phone) {
      const loginUrl = `${baseUrl}/mockWebPage?sessionId=${encodeURIComponent(sessionId)}`;
      return {
        content: [
          {
            type: 'text' as const,
            text: JSON.stringify({ status: 'login_required', login_url: loginUrl, message: `Needs to login first by going to the login url.\nShow the login url as clickable link if client supports it. Otherwise display the URL for users to copy and paste into a browser.` }),
          },
        ],
      };
    }
    if (!personas().includes(phone)) return { isError: true, content: [{ type: 'text' as const, text: 'phone number is not allowed' }] };
    const file = join(options.dataDir, phone, `${tool}.json`);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '{}\n';
    return { content: [{ type: 'text' as const, text }] };
  };

  /**
   * One SDK server per request, its tools bound to the request's session id. The low-level
   * `Server` rather than `McpServer`: the latter turns an unknown tool into an `isError`
   * result, where Fi answers JSON-RPC error -32602.
   */
  const newMcp = (sessionId: string): McpServer => {
    const mcp = new McpServer({ name: 'fi-mcp-dev (Future Finance AI)', version: '0.1.0' }, { capabilities: { tools: {}, resources: {} } });
    mcp.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: FI_TOOLS.map((name) => ({ name, description: DESCRIPTIONS[name], inputSchema: { type: 'object' as const, properties: {} } })),
    }));
    mcp.setRequestHandler(CallToolRequestSchema, (request) => {
      const tool = FI_TOOLS.find((t) => t === request.params.name);
      if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
      return toolResult(tool, sessionId);
    });
    // fi-mcp.md: `resources/list` is empty; `prompts/list` is method-not-found.
    mcp.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: [] }));
    return mcp;
  };

  const handleMcp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'GET') {
      // Fi replies to POSTs with JSON and offers no standalone SSE stream.
      res.writeHead(405, { allow: 'POST, DELETE' }).end();
      return;
    }
    const header = req.headers['mcp-session-id'];
    const presented = typeof header === 'string' ? header : undefined;
    if (req.method === 'DELETE') {
      // fi-mcp.md: DELETE of the session does nothing on the dev server.
      res.writeHead(200).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST, DELETE' }).end();
      return;
    }
    if (injected.count > 0) {
      injected.count--;
      req.resume();
      return jsonRpcError(res, injected.status, -32603, 'injected failure');
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return jsonRpcError(res, 400, -32700, 'Parse error: Invalid JSON');
    }
    const messages = (Array.isArray(body) ? body : [body]).filter((m): m is Message => typeof m === 'object' && m !== null);
    for (const m of messages) if (typeof m.method === 'string') counts[m.method] = (counts[m.method] ?? 0) + 1;

    let sessionId: string;
    const initialize = messages.find((m) => m.method === 'initialize');
    if (initialize) {
      sessionId = `mcp-session-${randomUUID()}`;
      // Fi offers back the one version it speaks, whatever the client asked for.
      if (initialize.params) initialize.params.protocolVersion = FI_DEV_PROTOCOL_VERSION;
      res.setHeader('mcp-session-id', sessionId);
    } else if (!presented) {
      return jsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    } else if (!SESSION_RE.test(presented)) {
      return jsonRpcError(res, 400, -32000, 'Bad Request: invalid session id');
    } else if (terminated.has(presented)) {
      return jsonRpcError(res, 404, -32001, 'Session not found');
    } else {
      sessionId = presented;
    }

    const mcp = newMcp(sessionId);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close().catch(() => {});
      void mcp.close().catch(() => {});
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const send = (status: number, type: string, body: string) => res.writeHead(status, { 'content-type': type }).end(body);
    if (url.pathname === '/mcp/stream' || url.pathname === '/mcp/stream/') {
      handleMcp(req, res).catch(() => {
        if (!res.headersSent) send(500, 'text/plain', 'internal error');
      });
      return;
    }
    if (url.pathname === '/health') return send(200, 'application/json', JSON.stringify({ ok: true, personas: personas().length }));
    if (url.pathname === '/mockWebPage' && req.method === 'GET') {
      const sessionId = url.searchParams.get('sessionId') ?? '';
      const options = personas().map((p) => `<option value="${esc(p)}">${esc(p)}</option>`).join('');
      return send(
        200,
        'text/html; charset=utf-8',
        `<!doctype html><html><head><meta charset="utf-8"><title>Fi MCP (dev) login</title></head><body>
<h1>Fi MCP dev login</h1><p>Any OTP works here. Phone numbers are the persona folders.</p>
<form method="POST" action="/login"><input type="hidden" name="sessionId" value="${esc(sessionId)}">
<label>Phone number <input name="phoneNumber" list="personas" required></label><datalist id="personas">${options}</datalist>
<label>OTP <input name="otp" required></label><button type="submit">Login</button></form></body></html>`,
      );
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      readBody(req)
        .then((text) => {
          const form = new URLSearchParams(text);
          const sessionId = form.get('sessionId') ?? '';
          const phone = form.get('phoneNumber') ?? '';
          if (!sessionId || !phone || !form.get('otp')) return send(400, 'text/plain', 'sessionId, phoneNumber and otp are required');
          logins.set(sessionId, phone);
          send(200, 'text/html; charset=utf-8', '<!doctype html><html><body><h1>Login Successful!</h1><p>You can close this page.</p></body></html>');
        })
        .catch(() => send(400, 'text/plain', 'could not read the form'));
      return;
    }
    send(404, 'text/plain', 'not found');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of sockets) s.destroy();
    await closed;
  };

  await listen();
  port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host}:${port}`;
  return {
    url: baseUrl,
    mcpUrl: `${baseUrl}/mcp/stream`,
    personas,
    requestCounts: () => ({ ...counts }),
    setDelay: (ms) => void (delayMs = Math.max(0, ms)),
    forgetLogins: (sessionId) => (sessionId === undefined ? logins.clear() : void logins.delete(sessionId)),
    terminateSession: (sessionId) => void terminated.add(sessionId),
    failNextRequests: (count, status) => void Object.assign(injected, { count, status }),
    stop,
    start: async () => {
      if (!server.listening) await listen();
    },
    close: stop,
  };
}
