import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeGemini, type FakeGeminiRequest, type FakeGeminiStep } from '../../dev/fake-gemini/server.js';
import { formatRupees } from '../../shared/domain/ai/facts.js';
import { loginAs } from '../support/fi-dev.js';
import { Browser, freePorts, killStack, npmStart, stopStack, waitHealthy, type Stack } from '../support/stack.js';

/**
 * The chat on the local stack, as the PWA uses it: sign in, consent, link Fi, sync, then ask.
 * Once with the local rules provider (no Gemini configured) and once with the real Gemini
 * adapter against a scripted Gemini REST server on loopback (LLM_PROVIDER=gemini,
 * GEMINI_BASE_URL). Answers stream as server-sent events; conversations persist; the daily
 * token budget is enforced; revoking consent mid-conversation stops the tools.
 */
const PERSONA = '2222222222';

interface SseEvent {
  readonly event: string;
  readonly data: any;
}

/** POST /api/chat as an EventSource-style client: reads the whole stream and parses its events. */
async function ask(b: Browser, base: string, message: string, conversationId?: string): Promise<{ status: number; events: SseEvent[]; json?: any }> {
  const res = await fetch(`${base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', cookie: b.cookie },
    body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
  });
  const text = await res.text();
  if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) return { status: res.status, events: [], json: JSON.parse(text) };
  const events = text
    .split('\n\n')
    // Comment lines (`: keep-alive`) carry no event.
    .filter((block) => block.trim() && !block.trimStart().startsWith(':'))
    .map((block) => {
      const lines = block.split('\n');
      return { event: lines.find((l) => l.startsWith('event: '))!.slice(7), data: JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6)) };
    });
  return { status: res.status, events };
}

async function signInAndSync(base: string, email: string): Promise<{ b: Browser; consentIds: string[] }> {
  const b = new Browser(base);
  expect((await b.call('POST', '/auth/dev/login', { email })).status).toBe(200);
  const consentIds: string[] = [];
  for (const body of [
    { scopes: ['net_worth', 'epf'], purpose: 'net_worth_tracking' },
    { scopes: ['credit_report'], purpose: 'personal_finance_insights' },
    { scopes: ['transactions'], purpose: 'personal_finance_insights' },
  ]) {
    const c = await b.call('POST', '/api/consents', body);
    expect(c.status).toBe(201);
    consentIds.push(c.json.id);
  }
  const link = await b.call('POST', '/api/connections/fi', {});
  expect((await loginAs(link.json.loginUrl, PERSONA)).status).toBe(200);
  expect((await b.call('POST', '/api/connections/fi', {})).json.status).toBe('connected');
  const started = await b.call('POST', '/api/financial/sync', {});
  for (let i = 0; i < 200; i++) {
    const run = await b.call('GET', started.json.statusUrl);
    if (run.json.status === 'succeeded') return { b, consentIds };
    expect(run.json.status).not.toBe('failed');
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error('the sync did not finish');
}

describe('chat on the local stack with the local provider', () => {
  let stack: Stack;
  beforeAll(async () => {
    // A small daily budget (the insights written after the sync use part of it), so the test reaches it.
    stack = npmStart(await freePorts(), undefined, { AI_DAILY_TOKEN_BUDGET: '20000' });
    await waitHealthy(stack);
  });
  afterAll(async () => {
    await stopStack(stack).catch(() => killStack(stack));
  });

  it('streams a grounded answer, keeps the conversation, enforces the budget and stops tools when consent is revoked', async () => {
    const { b: asha, consentIds } = await signInAndSync(stack.url, 'asha.chat@example.com');
    const overview = (await asha.call('GET', '/api/financial/overview')).json;

    const first = await ask(asha, stack.url, 'What is my net worth?');
    expect(first.status).toBe(200);
    expect(first.events[0]!.event).toBe('conversation');
    expect(first.events.some((e) => e.event === 'tool' && e.data.name === 'get_overview' && e.data.ok)).toBe(true);
    const done = first.events.at(-1)!;
    expect(done.event).toBe('done');
    // The streamed deltas are the answer, and the answer quotes the synced net worth.
    expect(first.events.filter((e) => e.event === 'delta').map((e) => e.data.text).join('')).toBe(done.data.answer);
    expect(done.data.answer).toContain(formatRupees(overview.netWorthPaise / 100));
    expect(done.data).toMatchObject({ provider: 'local', degraded: false, grounding: { ungrounded: 0 } });
    expect(done.data.answer).toMatch(/Data as of .* · from get_overview/);
    const conversationId = done.data.conversationId;

    // A follow-up in the same conversation, then the conversation as stored.
    const second = await ask(asha, stack.url, 'And my credit score?', conversationId);
    expect(second.events.at(-1)!.data.tools.map((t: any) => t.name)).toEqual(['get_credit']);
    const stored = await asha.call('GET', `/api/chat/conversations/${conversationId}`);
    expect(stored.json.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(stored.json.messages[3]).toMatchObject({ provider: 'local', tools: [{ name: 'get_credit', ok: true }] });
    expect((await asha.call('GET', '/api/chat/conversations')).json.conversations[0]).toMatchObject({ id: conversationId, messageCount: 4 });

    // Insights were written after the sync (the local provider, through insightsGenerate), each resting on cited facts.
    let insights: any[] = [];
    for (let i = 0; i < 100 && !insights.length; i++) {
      insights = (await asha.call('GET', '/api/insights')).json.insights;
      if (!insights.length) await new Promise((r) => setTimeout(r, 150));
    }
    expect(insights.length).toBeGreaterThan(0);
    expect(insights.every((i: any) => i.provider === 'local' && i.sources.length > 0)).toBe(true);

    // Consent for the credit report revoked mid-conversation: the conversation (whose answers
    // quote the data) is erased with the data, and the tool now refuses; no figure leaks.
    expect((await asha.call('DELETE', `/api/consents/${consentIds[1]}`)).status).toBe(200);
    expect((await asha.call('GET', `/api/chat/conversations/${conversationId}`)).status).toBe(404);
    const third = await ask(asha, stack.url, 'What is my credit score?');
    const answer = third.events.at(-1)!.data;
    expect(answer.tools).toEqual([{ name: 'get_credit', ok: false, asOf: null }]);
    expect(answer.answer).not.toContain('781');
    const laterConversation = answer.conversationId;

    // A narrated simulation: the engine's numbers, explained, every figure checked.
    const sim = await asha.call('POST', '/api/simulate', { type: 'sip', monthlyAmountPaise: 10_000_00, years: 10, expectedReturnPercent: 12, narrate: true });
    expect(sim.status).toBe(200);
    expect(sim.json.narrative).toMatchObject({ provider: 'local', grounding: { ungrounded: 0 } });
    expect(sim.json.narrative.text).toContain(formatRupees(sim.json.result.finalValuePaise / 100));

    // Revoking the credit report consent erased the insights too (they came from all the data).
    expect((await asha.call('GET', '/api/insights')).json.insights).toEqual([]);

    // JSON fallback without the SSE Accept header.
    const plain = await asha.call('POST', '/api/chat', { message: 'What is my EPF balance?' });
    expect(plain.status === 200 || plain.status === 429).toBe(true);

    // Keep asking until the daily budget is used up: a clear 429, never a 500.
    let refused: any;
    for (let i = 0; i < 40 && !refused; i++) {
      const r = await ask(asha, stack.url, 'What is my net worth?');
      if (r.status === 429) refused = r.json;
      else expect(r.status).toBe(200);
    }
    expect(refused?.error).toMatchObject({ code: 'AI.BUDGET_EXHAUSTED' });
    expect(refused.error.message).toMatch(/today's AI allowance/);

    // Deleting a conversation removes it.
    expect((await asha.call('DELETE', `/api/chat/conversations/${laterConversation}`)).status).toBe(204);
    expect((await asha.call('GET', `/api/chat/conversations/${laterConversation}`)).status).toBe(404);
  });
});

/** A scripted Gemini: calls get_overview for a question, then answers quoting its figure. */
function scriptedModel(request: FakeGeminiRequest): FakeGeminiStep {
  const contents = request.body.contents ?? [];
  const last = contents.at(-1);
  const response = last?.parts?.find((p) => 'functionResponse' in p)?.['functionResponse'] as { name: string; response: { result: any } } | undefined;
  if (!response) return { functionCalls: [{ name: 'get_overview', args: {} }] };
  const figures = response.response.result.figures ?? {};
  if (response.name === 'run_simulation') return { text: `In 10 years this SIP grows to about ${formatRupees(figures.finalValueRupees)} (run_simulation).` };
  if (figures.netWorthRupees === undefined) return { text: 'I could not read your net worth.' };
  return { text: `Your net worth is ${formatRupees(figures.netWorthRupees)} (get_overview).` };
}

describe('chat on the local stack with scripted Gemini (the real SDK over loopback)', () => {
  let stack: Stack;
  let gemini: FakeGemini;
  beforeAll(async () => {
    gemini = await startFakeGemini({ script: scriptedModel });
    stack = npmStart(await freePorts(), undefined, { LLM_PROVIDER: 'gemini', GEMINI_BASE_URL: gemini.url, GEMINI_MAX_RETRIES: '0' });
    await waitHealthy(stack);
  });
  afterAll(async () => {
    await stopStack(stack).catch(() => killStack(stack));
    await gemini?.close();
  });

  it('runs the tool for the signed-in user and streams the verified answer', async () => {
    const { b: asha } = await signInAndSync(stack.url, 'asha.gemini@example.com');
    const overview = (await asha.call('GET', '/api/financial/overview')).json;
    const r = await ask(asha, stack.url, 'How much am I worth?');
    const done = r.events.at(-1)!.data;
    expect(done).toMatchObject({ provider: 'gemini', degraded: false, toolRounds: 1, grounding: { ungrounded: 0 } });
    expect(done.answer).toContain(formatRupees(overview.netWorthPaise / 100));
    // What the model saw: our system prompt, the question, and the tool result for this user.
    const chatRequests = gemini.requests.filter((q) => q.body.tools?.length && !q.rejected);
    expect(chatRequests.length).toBeGreaterThanOrEqual(2);
    expect(chatRequests[0]!.body.systemInstruction?.parts?.[0]?.text).toMatch(/^You are Future Finance AI/);
    expect(JSON.stringify(chatRequests[1]!.body.contents)).toContain(String(overview.netWorthPaise / 100));

    // Another user with no data: the same script gets no figures back, and says so.
    const ravi = new Browser(stack.url);
    expect((await ravi.call('POST', '/auth/dev/login', { email: 'ravi.gemini@example.com' })).status).toBe(200);
    const theirs = (await ask(ravi, stack.url, 'How much am I worth?')).events.at(-1)!.data;
    expect(theirs.tools).toEqual([{ name: 'get_overview', ok: false, asOf: null }]);
    expect(theirs.answer).not.toContain(formatRupees(overview.netWorthPaise / 100));

    // The narrated simulation through Gemini: the model's text, checked against the engine's numbers.
    const sim = await asha.call('POST', '/api/simulate', { type: 'sip', monthlyAmountPaise: 10_000_00, years: 10, expectedReturnPercent: 12, narrate: true });
    expect(sim.json.narrative).toMatchObject({ provider: 'gemini', grounding: { ungrounded: 0 } });
    expect(sim.json.narrative.text).toContain(formatRupees(sim.json.result.finalValuePaise / 100));
  });
});
