import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFiDevServer, type FiDevServer } from '../../dev/fi-mcp/server.js';
import { FiMcpSource, type FiMcpSourceOptions } from '../../shared/adapters/fi-mcp/fi-mcp.source.js';
import { FI_TOOLS, type FiTool } from '../../shared/contracts/fi.js';
import type { FiToolOutcome } from '../../shared/ports/fi-source.js';
import { aCreditReport, aNetWorth, anEpf, aPersonaDir, loginAs } from '../support/fi-dev.js';
import { MemoryLogger } from '../support/in-memory.js';

/**
 * FiMcpSource (MCP SDK client over Streamable HTTP) against our dev Fi MCP server over real
 * HTTP on 127.0.0.1, with personas written by this file.
 */
const RICH = '9000000001'; // net worth + EPF; no credit report; a bank file that is not JSON
const ODD = '9000000002'; // fetch_net_worth returns a credit report (wrong kind); {} with schemaDescription only
const UNKNOWN = '9999999999'; // no persona folder: "phone number is not allowed"

const dataDir = aPersonaDir({
  [RICH]: {
    fetch_net_worth: { json: aNetWorth() },
    fetch_epf_details: { json: anEpf() },
    fetch_bank_transactions: { raw: '{"bankTransactions": [{"bank": "HDFC", "txns": [[' },
  },
  [ODD]: {
    fetch_net_worth: { json: aCreditReport() },
    fetch_stock_transactions: { json: { schemaDescription: 'type, date, quantity, price' } },
  },
});

const fast: Partial<FiMcpSourceOptions> = { timeoutMs: 5_000, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 } };
let fi: FiDevServer;
const source = (over: Partial<FiMcpSourceOptions> = {}, server: FiDevServer = fi) => new FiMcpSource({ url: server.mcpUrl, ...fast, ...over });

/** A new session logged in as `phone` through the login page. */
async function loggedInSession(phone: string, server: FiDevServer = fi): Promise<string> {
  const client = source({}, server);
  const { sessionId } = await client.openSession();
  const first = await client.fetchTool(sessionId, 'fetch_net_worth');
  if (first.kind !== 'login_required') throw new Error(`expected login_required, got ${first.kind}`);
  expect(await loginAs(first.loginUrl, phone)).toMatchObject({ status: 200, text: expect.stringContaining('Login Successful!') });
  return sessionId;
}

/** A document outcome holding the tool's top-level key (the contract's schema may refine values). */
const aDocument = (key: string) => ({ kind: 'document', document: expect.objectContaining({ [key]: expect.anything() }) });
const reasonOf = (o: FiToolOutcome): string => ('reason' in o ? o.reason : '');

beforeAll(async () => {
  fi = await startFiDevServer({ port: 0, dataDir });
});
afterAll(async () => {
  await fi.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('FiMcpSource against the dev Fi MCP server', () => {
  it('walks the login flow: login_required with a URL carrying the session, browser login, then data', async () => {
    const client = source();
    const session = await client.openSession();
    expect(session.resumed).toBe(false);
    expect(session.sessionId).toMatch(/^mcp-session-[0-9a-f-]{36}$/);

    const before = await client.fetchTool(session.sessionId, 'fetch_net_worth');
    expect(before.kind).toBe('login_required');
    const loginUrl = before.kind === 'login_required' ? before.loginUrl : '';
    expect(new URL(loginUrl).searchParams.get('sessionId')).toBe(session.sessionId);
    expect(await client.connectionState(session.sessionId)).toEqual({ status: 'login_required', loginUrl });

    expect(await loginAs(loginUrl, RICH)).toMatchObject({ status: 200, text: expect.stringContaining('Login Successful!') });

    expect(await client.fetchTool(session.sessionId, 'fetch_net_worth')).toEqual(aDocument('netWorthResponse'));
    expect(await client.fetchTool(session.sessionId, 'fetch_epf_details')).toEqual(aDocument('uanAccounts'));
    expect(await client.connectionState(session.sessionId)).toEqual({ status: 'connected' });
  });

  it('resumes a stored session from a new client instance without a new initialize', async () => {
    const stored = await loggedInSession(RICH);
    const initializesBefore = fi.requestCounts().initialize ?? 0;
    const callsBefore = fi.requestCounts()['tools/call'] ?? 0;

    const laterProcess = source();
    const session = await laterProcess.openSession(stored);
    expect(session).toEqual({ sessionId: stored, resumed: true });
    expect(await laterProcess.fetchTool(session.sessionId, 'fetch_net_worth')).toEqual(aDocument('netWorthResponse'));
    expect(await laterProcess.connectionState(session.sessionId)).toEqual({ status: 'connected' });

    // The server saw the tool calls, and no initialize (nor initialized notification).
    expect(fi.requestCounts()['tools/call']).toBe(callsBefore + 2);
    expect(fi.requestCounts().initialize ?? 0).toBe(initializesBefore);
  });

  it('opens a new session when the stored id is not a usable one', async () => {
    const session = await source().openSession('not a session id\n');
    expect(session.resumed).toBe(false);
    expect(session.sessionId).toMatch(/^mcp-session-/);
  });

  it.each<[string, string, FiTool]>([
    ['a missing file ({})', RICH, 'fetch_credit_report'],
    ['a document with only schemaDescription', ODD, 'fetch_stock_transactions'],
  ])('maps %s to not-connected', async (_label, phone, tool) => {
    const sessionId = await loggedInSession(phone);
    expect(await source().fetchTool(sessionId, tool)).toEqual({ kind: 'not-connected' });
  });

  it.each<[string, string, FiTool, RegExp]>([
    ['text that is not JSON', RICH, 'fetch_bank_transactions', /fetch_bank_transactions: the text content is not JSON/],
    ['a document of the wrong kind (a credit report from fetch_net_worth)', ODD, 'fetch_net_worth', /^fetch_net_worth: /],
  ])('maps %s to malformed, with a reason', async (_label, phone, tool, reason) => {
    const sessionId = await loggedInSession(phone);
    const outcome = await source().fetchTool(sessionId, tool);
    expect(outcome.kind).toBe('malformed');
    expect(reasonOf(outcome)).toMatch(reason);
    expect(reasonOf(outcome)).not.toContain(sessionId);
    // The session itself is fine: a malformed document still means "logged in".
    expect(await source().connectionState(sessionId)).toEqual({ status: 'connected' });
  });

  it('maps a logged-in number without a persona to denied', async () => {
    const sessionId = await loggedInSession(UNKNOWN);
    expect(await source().fetchTool(sessionId, 'fetch_net_worth')).toEqual({ kind: 'denied', reason: 'phone number is not allowed' });
    expect(await source().connectionState(sessionId)).toEqual({ status: 'denied', reason: 'phone number is not allowed' });
  });

  it('answers login_required on a later call when the server forgets the login mid-sync', async () => {
    const sessionId = await loggedInSession(RICH);
    const client = source();
    expect((await client.fetchTool(sessionId, 'fetch_net_worth')).kind).toBe('document');
    fi.forgetLogins(sessionId);
    const later = await client.fetchTool(sessionId, 'fetch_epf_details');
    expect(later.kind).toBe('login_required');
    expect(later.kind === 'login_required' && new URL(later.loginUrl).searchParams.get('sessionId')).toBe(sessionId);
  });

  it('maps a session the server no longer knows (HTTP 404) to session-expired, without retrying', async () => {
    const sessionId = await loggedInSession(RICH);
    fi.terminateSession(sessionId);
    const calls = fi.requestCounts()['tools/call'] ?? 0;
    expect(await source().fetchTool(sessionId, 'fetch_net_worth')).toEqual({ kind: 'session-expired' });
    expect(await source().connectionState(sessionId)).toEqual({ status: 'session-expired' });
    expect(fi.requestCounts()['tools/call']).toBe(calls + 2);
  });

  it('does not retry a 4xx answer', async () => {
    const calls = fi.requestCounts()['tools/call'] ?? 0;
    const outcome = await source().fetchTool('mcp-session-not-a-uuid', 'fetch_net_worth');
    expect(outcome).toEqual({ kind: 'failed', reason: 'Fi MCP answered HTTP 400', retryable: false });
    expect(fi.requestCounts()['tools/call']).toBe(calls + 1);
  });
});

describe('FiMcpSource when the server misbehaves', () => {
  let flaky: FiDevServer;
  beforeAll(async () => {
    flaky = await startFiDevServer({ port: 0, dataDir });
  });
  afterAll(async () => {
    await flaky.close();
  });

  it('retries HTTP 503 and 429 with backoff, then succeeds', async () => {
    const sessionId = await loggedInSession(RICH, flaky);
    const logger = new MemoryLogger();
    flaky.failNextRequests(2, 503);
    expect(await source({ logger }, flaky).fetchTool(sessionId, 'fetch_net_worth')).toEqual(aDocument('netWorthResponse'));
    flaky.failNextRequests(1, 429);
    expect((await source({ logger }, flaky).fetchTool(sessionId, 'fetch_epf_details')).kind).toBe('document');
    expect(logger.lines.map((l) => l.fields.reason)).toEqual(['Fi MCP answered HTTP 503', 'Fi MCP answered HTTP 503', 'Fi MCP answered HTTP 429']);
    // Retry logs name the call, never the session.
    expect(JSON.stringify(logger.lines)).not.toContain(sessionId);
  });

  it('gives up after the last attempt on persistent 5xx, as retryable', async () => {
    const sessionId = await loggedInSession(RICH, flaky);
    flaky.failNextRequests(3, 502);
    expect(await source({}, flaky).fetchTool(sessionId, 'fetch_net_worth')).toEqual({ kind: 'failed', reason: 'Fi MCP answered HTTP 502 (after 3 attempts)', retryable: true });
  });

  it('fails retryable when the server is down (connection refused), and works again once it is back', async () => {
    const sessionId = await loggedInSession(RICH, flaky);
    const logger = new MemoryLogger();
    await flaky.stop();
    try {
      const outcome = await source({ logger }, flaky).fetchTool(sessionId, 'fetch_net_worth');
      expect(outcome).toMatchObject({ kind: 'failed', retryable: true });
      expect(reasonOf(outcome)).toMatch(/ECONNREFUSED.*after 3 attempts/);
      expect(reasonOf(outcome)).not.toContain(sessionId);
      expect(logger.lines).toHaveLength(2);
      expect(await source({}, flaky).connectionState(sessionId)).toMatchObject({ status: 'unavailable', retryable: true });
      await expect(source({}, flaky).openSession()).rejects.toMatchObject({ code: 'DEPENDENCY.UNAVAILABLE', retryable: true });
    } finally {
      await flaky.start();
    }
    // Logins live in the server's memory, which a stop/start of the listener keeps.
    expect((await source({}, flaky).fetchTool(sessionId, 'fetch_net_worth')).kind).toBe('document');
  });

  it('times out a slow tool, retryable, and the session still works after', async () => {
    const sessionId = await loggedInSession(RICH, flaky);
    flaky.setDelay(3_000);
    try {
      const outcome = await source({ timeoutMs: 300, retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 10 } }, flaky).fetchTool(sessionId, 'fetch_net_worth');
      expect(outcome).toEqual({ kind: 'failed', reason: 'Fi MCP did not answer within 300 ms (after 2 attempts)', retryable: true });
    } finally {
      flaky.setDelay(0);
    }
    expect((await source({}, flaky).fetchTool(sessionId, 'fetch_net_worth')).kind).toBe('document');
  });
});

describe('the dev Fi MCP server, spoken to over raw HTTP', () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(fi.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(body) });
  const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

  it('answers initialize with plain JSON, an mcp-session-<uuid v4> header and protocol 2025-03-26', async () => {
    const res = await post(initialize);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('mcp-session-id')).toMatch(/^mcp-session-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await res.json()).toMatchObject({ id: 1, result: { protocolVersion: '2025-03-26', capabilities: { tools: {} } } });
  });

  it.each([
    ['an unknown tool', { method: 'tools/call', params: { name: 'fetch_everything', arguments: {} } }, { error: { code: -32602 } }],
    ['resources/list', { method: 'resources/list', params: {} }, { result: { resources: [] } }],
    ['prompts/list', { method: 'prompts/list', params: {} }, { error: { code: -32601 } }],
  ])('answers %s as Fi does', async (_label, request, expected) => {
    const sessionId = (await post(initialize)).headers.get('mcp-session-id')!;
    const res = await post({ jsonrpc: '2.0', id: 2, ...request }, { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-03-26' });
    expect(await res.json()).toMatchObject({ id: 2, ...expected });
  });

  it('lists the six tools with empty input schemas', async () => {
    const sessionId = (await post(initialize)).headers.get('mcp-session-id')!;
    const body = (await (await post({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, { 'mcp-session-id': sessionId })).json()) as { result: { tools: Array<{ name: string; inputSchema: { type: string; properties?: object } }> } };
    expect(body.result.tools.map((t) => t.name).sort()).toEqual([...FI_TOOLS].sort());
    for (const t of body.result.tools) expect(t.inputSchema).toMatchObject({ type: 'object', properties: {} });
  });

  it('offers no SSE stream on GET, and ignores DELETE', async () => {
    expect((await fetch(fi.mcpUrl, { headers: { accept: 'text/event-stream' } })).status).toBe(405);
    const sessionId = await loggedInSession(RICH);
    expect((await fetch(fi.mcpUrl, { method: 'DELETE', headers: { 'mcp-session-id': sessionId } })).status).toBe(200);
    expect((await source().fetchTool(sessionId, 'fetch_net_worth')).kind).toBe('document');
  });

  it.each([
    ['sessionId', { phoneNumber: RICH, otp: '1' }],
    ['phoneNumber', { sessionId: 'mcp-session-x', otp: '1' }],
    ['otp', { sessionId: 'mcp-session-x', phoneNumber: RICH }],
  ])('refuses a login form without %s (400)', async (_missing, fields) => {
    const res = await fetch(new URL('/login', fi.url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    expect(res.status).toBe(400);
  });

  it('refuses a new session whose negotiated protocol is not the one the client expects', async () => {
    await expect(source({ protocolVersion: '2025-06-18' }).openSession()).rejects.toMatchObject({ code: 'DEPENDENCY.UNAVAILABLE', retryable: false, message: expect.stringContaining('2025-03-26') });
  });
});
