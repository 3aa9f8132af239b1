import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { parseFiDocument, type FiTool } from '../../contracts/fi.js';
import { AppError } from '../../domain/errors.js';
import { connectionStateOf, type FiConnectionState, type FiSession, type FiSource, type FiToolOutcome } from '../../ports/fi-source.js';
import type { Logger } from '../../ports/logger.js';

/**
 * `FiSource` over Fi Money's MCP server with the MCP TypeScript SDK (Streamable HTTP).
 *
 * Sessions: a new session is one `initialize` handshake. A stored session id is resumed by
 * building the transport with `{ sessionId }`: the SDK's `Client.connect` sends no
 * `initialize` when its transport already has a session id, so the server's login for that
 * id carries over. Each tool call uses a fresh client and transport (connecting one costs no
 * request), so a timed-out or broken call leaves nothing behind for the next one.
 *
 * The SDK is imported on first use so cold starts that never call Fi do not load it.
 */
export interface FiMcpSourceOptions {
  /** The MCP endpoint (`FI_MCP_URL`), e.g. `https://mcp.fi.money:8080/mcp/stream`. */
  readonly url: string;
  /** Bound on one request (an `initialize` or a tool call), per attempt. Default 15 s. */
  readonly timeoutMs?: number;
  /** Transient failures only (connection refused/reset, timeouts, HTTP 5xx and 429). */
  readonly retry?: { readonly attempts?: number; readonly baseDelayMs?: number; readonly maxDelayMs?: number };
  /**
   * The protocol version Fi speaks (fi-mcp.md: `2025-03-26`). A new session that negotiates
   * another one is refused; a resumed session (no handshake) sends it in `MCP-Protocol-Version`.
   */
  readonly protocolVersion?: string;
  readonly clientInfo?: { readonly name: string; readonly version: string };
  /** Receives one line per retried attempt (tool, attempt, reason; never the session id). */
  readonly logger?: Logger;
}

export const FI_PROTOCOL_VERSION = '2025-03-26';

/** Streamable HTTP session ids are visible ASCII (0x21-0x7E); anything else is not ours. */
const SESSION_ID_RE = /^[\x21-\x7E]{1,512}$/;

const LoginRequired = z.object({
  status: z.literal('login_required'),
  login_url: z.string().url().refine((u) => /^https?:$/.test(new URL(u).protocol), 'expected an http(s) URL'),
});

/** Network error codes that mean "try again" (Node's and undici's). */
const TRANSIENT_NET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

type Sdk = {
  Client: typeof Client;
  StreamableHTTPClientTransport: typeof StreamableHTTPClientTransport;
  StreamableHTTPError: typeof StreamableHTTPError;
  McpError: typeof McpError;
};

let sdkModules: Promise<Sdk> | undefined;
const loadSdk = (): Promise<Sdk> => {
  sdkModules ??= Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]).then(
    ([client, http, types]) => ({ Client: client.Client, StreamableHTTPClientTransport: http.StreamableHTTPClientTransport, StreamableHTTPError: http.StreamableHTTPError, McpError: types.McpError }),
    (e: unknown) => {
      sdkModules = undefined;
      throw e;
    },
  );
  return sdkModules;
};

/** A failed attempt, classified: `session-expired` is final; `failed` is retried if `retryable`. */
type AttemptFailure = Extract<FiToolOutcome, { kind: 'failed' } | { kind: 'session-expired' }>;

/** The attempt's own deadline passed (see `bounded`). */
class AttemptTimeout extends Error {
  override readonly name = 'AttemptTimeout';
}

export class FiMcpSource implements FiSource {
  private readonly url: URL;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly protocolVersion: string;
  private readonly clientInfo: { name: string; version: string };

  constructor(private readonly options: FiMcpSourceOptions) {
    this.url = new URL(options.url);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.attempts = Math.max(1, options.retry?.attempts ?? 3);
    this.baseDelayMs = options.retry?.baseDelayMs ?? 250;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 4_000;
    this.protocolVersion = options.protocolVersion ?? FI_PROTOCOL_VERSION;
    this.clientInfo = { name: options.clientInfo?.name ?? 'future-finance-ai', version: options.clientInfo?.version ?? '0.1.0' };
  }

  async openSession(existing?: string): Promise<FiSession> {
    if (existing !== undefined && SESSION_ID_RE.test(existing)) return { sessionId: existing, resumed: true };
    const outcome = await this.withRetries('initialize', async (sdk) => {
      const transport = new sdk.StreamableHTTPClientTransport(this.url, this.transportOptions());
      const client = new sdk.Client(this.clientInfo, { capabilities: {} });
      return this.bounded(client, async () => {
        await client.connect(transport, { timeout: this.timeoutMs });
        return { sessionId: transport.sessionId, protocolVersion: transport.protocolVersion };
      });
    });
    if (outcome.kind !== 'ok') {
      const reason = outcome.kind === 'failed' ? outcome.reason : 'the server refused the new session';
      const retryable = outcome.kind === 'failed' && outcome.retryable;
      throw new AppError('DEPENDENCY.UNAVAILABLE', `Fi MCP: could not open a session: ${reason}`, { retryable });
    }
    const { sessionId, protocolVersion } = outcome.value;
    if (!sessionId || !SESSION_ID_RE.test(sessionId)) {
      throw new AppError('DEPENDENCY.UNAVAILABLE', 'Fi MCP: the server assigned no usable session id', { retryable: false });
    }
    if (protocolVersion !== this.protocolVersion) {
      throw new AppError('DEPENDENCY.UNAVAILABLE', `Fi MCP negotiated protocol ${String(protocolVersion)}, this client expects ${this.protocolVersion}`, { retryable: false });
    }
    return { sessionId, resumed: false };
  }

  async fetchTool(sessionId: string, tool: FiTool): Promise<FiToolOutcome> {
    if (!SESSION_ID_RE.test(sessionId)) return { kind: 'failed', reason: 'not a usable session id', retryable: false };
    const outcome = await this.withRetries(tool, async (sdk) => {
      const transport = new sdk.StreamableHTTPClientTransport(this.url, this.transportOptions(sessionId));
      // No handshake happens on resume, so set the version the handshake would have agreed.
      transport.setProtocolVersion(this.protocolVersion);
      const client = new sdk.Client(this.clientInfo, { capabilities: {} });
      return this.bounded(client, async () => {
        await client.connect(transport); // sends nothing: the transport already has a session id
        const result = await client.callTool({ name: tool, arguments: {} }, undefined, { timeout: this.timeoutMs });
        return classifyResult(tool, result, sessionId);
      });
    });
    return outcome.kind === 'ok' ? outcome.value : outcome;
  }

  async connectionState(sessionId: string): Promise<FiConnectionState> {
    return connectionStateOf(await this.fetchTool(sessionId, 'fetch_net_worth'));
  }

  /**
   * Runs one attempt under a hard deadline, then closes the client (aborting any request in
   * flight). The SDK's own request timeout does not cover every step: the `initialized`
   * notification after a handshake, for one, is awaited without a bound.
   */
  private async bounded<T>(client: Client, run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AttemptTimeout()), this.timeoutMs);
    });
    try {
      return await Promise.race([run(), deadline]);
    } finally {
      clearTimeout(timer);
      await client.close().catch(() => undefined);
    }
  }

  private transportOptions(sessionId?: string) {
    return {
      ...(sessionId ? { sessionId } : {}),
      // Fi answers POSTs with JSON; do not keep a background SSE stream reconnecting.
      reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1_000, maxReconnectionDelay: 1_000, reconnectionDelayGrowFactor: 1 },
    };
  }

  /**
   * Runs `attempt` up to `attempts` times, backing off (exponential, equal jitter) between
   * attempts whose failure is transient. Thrown errors are classified; nothing escapes.
   */
  private async withRetries<T>(label: string, attempt: (sdk: Sdk) => Promise<T>): Promise<{ kind: 'ok'; value: T } | AttemptFailure> {
    let sdk: Sdk;
    try {
      sdk = await loadSdk();
    } catch {
      return { kind: 'failed', reason: 'the MCP SDK could not be loaded', retryable: true };
    }
    let last: AttemptFailure = { kind: 'failed', reason: 'not attempted', retryable: true };
    for (let n = 1; n <= this.attempts; n++) {
      try {
        return { kind: 'ok', value: await attempt(sdk) };
      } catch (e) {
        last = classifyError(sdk, e, this.timeoutMs);
      }
      if (last.kind !== 'failed' || !last.retryable || n === this.attempts) break;
      this.options.logger?.warn('fi-mcp: transient failure, retrying', { call: label, attempt: n, of: this.attempts, reason: last.reason });
      const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (n - 1));
      await new Promise((r) => setTimeout(r, ceiling / 2 + Math.random() * (ceiling / 2)));
    }
    if (last.kind === 'failed' && this.attempts > 1 && last.retryable) return { ...last, reason: `${last.reason} (after ${this.attempts} attempts)` };
    return last;
  }
}

/** Maps one `tools/call` result to an outcome. Fi puts everything in one text content. */
function classifyResult(tool: FiTool, raw: object, sessionId: string): FiToolOutcome {
  // The SDK's result type also admits the legacy `{toolResult}` shape, which Fi never sends.
  const result = raw as { content?: unknown; isError?: unknown };
  const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
  const texts = content.filter((c): c is { type: 'text'; text: string } => typeof c === 'object' && c !== null && (c as { type?: unknown }).type === 'text' && typeof (c as { text?: unknown }).text === 'string');
  if (result.isError === true) {
    const message = scrub(texts.map((t) => t.text).join(' ').trim() || 'tool error without text', sessionId);
    // The dev server says `phone number is not allowed` for a number without a persona.
    if (/not allowed|not permitted|forbidden|unauthori[sz]ed/i.test(message)) return { kind: 'denied', reason: message };
    return { kind: 'failed', reason: `${tool}: tool error: ${message}`, retryable: false };
  }
  if (texts.length !== 1 || content.length !== 1) return { kind: 'malformed', reason: `${tool}: expected one text content, got ${content.length} item(s)` };
  let value: unknown;
  try {
    value = JSON.parse(texts[0]!.text);
  } catch {
    return { kind: 'malformed', reason: `${tool}: the text content is not JSON` };
  }
  if (typeof value === 'object' && value !== null && (value as { status?: unknown }).status === 'login_required') {
    const login = LoginRequired.safeParse(value);
    if (!login.success) return { kind: 'malformed', reason: `${tool}: login_required without a valid login_url` };
    return { kind: 'login_required', loginUrl: login.data.login_url };
  }
  const parsed = parseFiDocument(tool, value);
  return parsed.kind === 'malformed' ? { kind: 'malformed', reason: scrub(parsed.reason, sessionId) } : parsed;
}

/** Classifies a thrown SDK or network error. Reasons are ours, never raw server text. */
function classifyError(sdk: Sdk, e: unknown, timeoutMs: number): AttemptFailure {
  if (e instanceof sdk.StreamableHTTPError) {
    const status = e.code ?? -1;
    if (status === 404) return { kind: 'session-expired' };
    if (status === 429 || status >= 500) return { kind: 'failed', reason: `Fi MCP answered HTTP ${status}`, retryable: true };
    if (status === -1) return { kind: 'failed', reason: 'Fi MCP answered with an unexpected content type', retryable: false };
    return { kind: 'failed', reason: `Fi MCP answered HTTP ${status}`, retryable: false };
  }
  if (e instanceof AttemptTimeout || (e instanceof sdk.McpError && e.code === -32001)) {
    return { kind: 'failed', reason: `Fi MCP did not answer within ${timeoutMs} ms`, retryable: true };
  }
  if (e instanceof sdk.McpError) {
    if (e.code === -32000) return { kind: 'failed', reason: 'the connection to Fi MCP closed', retryable: true };
    return { kind: 'failed', reason: `Fi MCP answered JSON-RPC error ${e.code}`, retryable: false };
  }
  if (e instanceof Error && e.name === 'AbortError') return { kind: 'failed', reason: 'the request to Fi MCP was aborted', retryable: true };
  const code = networkCode(e);
  if (code) return { kind: 'failed', reason: `could not reach Fi MCP (${code})`, retryable: TRANSIENT_NET.has(code) };
  if (e instanceof TypeError && e.message === 'fetch failed') return { kind: 'failed', reason: 'could not reach Fi MCP', retryable: true };
  if (e instanceof Error && (e.name === 'ZodError' || e.name === '$ZodError' || e instanceof SyntaxError)) {
    return { kind: 'failed', reason: 'Fi MCP sent a response that is not valid MCP', retryable: false };
  }
  return { kind: 'failed', reason: `unexpected error talking to Fi MCP (${e instanceof Error ? e.name : typeof e})`, retryable: false };
}

/** The errno-style code of a network error, looking through `cause` chains (undici nests them). */
function networkCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}

/** Server text may echo the session id: cut it out, and cap the length. */
function scrub(text: string, sessionId: string): string {
  return text.split(sessionId).join('[session]').slice(0, 300);
}
