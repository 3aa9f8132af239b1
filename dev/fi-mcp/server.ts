import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { FI_TOOLS, type FiTool } from '../../shared/contracts/fi.js';

/**
 * Our dev stand-in for Fi Money's MCP server (see the team's fi-mcp.md): Streamable HTTP at
 * `/mcp/stream` answering plain JSON, session ids `mcp-session-<uuid>`, the six Fi tools
 * with empty input schemas, a `login_required` tool result until the session logs in
 * through the mock login page, and persona data read from `<dataDir>/<phone>/<tool>.json`.
 * A missing file answers `{}`: "this source is not connected".
 */
const DESCRIPTIONS: Record<FiTool, string> = {
  fetch_net_worth: 'Net worth by asset and liability type, account details and mutual fund scheme analytics.',
  fetch_credit_report: 'Credit report: score, accounts, utilisation, payment history and enquiries.',
  fetch_epf_details: 'EPF accounts per UAN and establishment, employee and employer shares, pension.',
  fetch_mf_transactions: 'Mutual fund BUY/SELL transactions.',
  fetch_bank_transactions: 'Bank transactions for about the last two months.',
  fetch_stock_transactions: 'Indian stock BUY/SELL/BONUS/SPLIT transactions.',
};

export interface FiDevServerOptions {
  readonly port: number;
  readonly host?: string;
  /** Persona folders: `<dataDir>/<phone>/<tool>.json`. */
  readonly dataDir: string;
}

export interface FiDevServer {
  readonly url: string;
  readonly mcpUrl: string;
  readonly personas: () => string[];
  close(): Promise<void>;
}

const SESSION_RE = /^mcp-session-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > 10_000) req.destroy(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

export async function startFiDevServer(options: FiDevServerOptions): Promise<FiDevServer> {
  const host = options.host ?? '127.0.0.1';
  let baseUrl = '';
  /** Logins live in memory, as on Fi's dev server: session id -> phone number. */
  const logins = new Map<string, string>();
  const transports = new Map<string, StreamableHTTPServerTransport>();

  const personas = (): string[] =>
    existsSync(options.dataDir)
      ? readdirSync(options.dataDir).filter((d) => /^\d{10}$/.test(d) && statSync(join(options.dataDir, d)).isDirectory())
      : [];

  const toolResult = (tool: FiTool, sessionId: string | undefined) => {
    const phone = sessionId ? logins.get(sessionId) : undefined;
    if (!sessionId || !phone) {
      const loginUrl = `${baseUrl}/mockWebPage?sessionId=${encodeURIComponent(sessionId ?? '')}`;
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

  const newMcp = (): McpServer => {
    const mcp = new McpServer({ name: 'fi-mcp-dev (Future Finance AI)', version: '0.1.0' });
    for (const tool of FI_TOOLS) {
      mcp.registerTool(tool, { description: DESCRIPTIONS[tool], inputSchema: {} }, async (_args, extra) => toolResult(tool, extra.sessionId));
    }
    return mcp;
  };

  const handleMcp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const sid = req.headers['mcp-session-id'];
    const sessionId = typeof sid === 'string' ? sid : undefined;
    let transport = sessionId ? transports.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId && SESSION_RE.test(sessionId) && req.method === 'POST') {
        // A stored session id from an earlier client: adopt it without a new `initialize`,
        // as Fi's server does.
        transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => sessionId, enableJsonResponse: true });
        await newMcp().connect(transport);
        adopt(transport, sessionId);
      } else {
        transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => `mcp-session-${randomUUID()}`,
          enableJsonResponse: true,
          onsessioninitialized: (id) => void transports.set(id, transport!),
        });
        await newMcp().connect(transport);
      }
    }
    await transport.handleRequest(req, res);
  };

  /** Marks an adopted transport as initialised under the given session id. */
  const adopt = (transport: StreamableHTTPServerTransport, sessionId: string) => {
    const inner = (transport as unknown as { _webStandardTransport: { sessionId?: string; _initialized?: boolean } })._webStandardTransport;
    inner.sessionId = sessionId;
    inner._initialized = true;
    transports.set(sessionId, transport);
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
      readForm(req)
        .then((form) => {
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    mcpUrl: `${baseUrl}/mcp/stream`,
    personas,
    close: async () => {
      await Promise.all([...transports.values()].map((t) => t.close().catch(() => {})));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
