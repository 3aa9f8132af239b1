import { readFileSync } from 'node:fs';
import { OAuth2Client } from 'google-auth-library';
import { afterEach, describe, expect, it } from 'vitest';
import { estimateTokens, fakeThoughtSignature, startFakeGemini, type FakeGemini, type FakeGeminiScript } from '../../dev/fake-gemini/server.js';
import { GeminiLlm, parseRetryAfter, type GeminiLlmOptions } from '../../shared/adapters/gemini/gemini.llm.js';
import { AppError } from '../../shared/domain/errors.js';
import type { LlmMessage, LlmRequest, LlmSchema, LlmStreamEvent, LlmToolDeclaration } from '../../shared/ports/llm.js';

// The real @google/genai SDK, through GeminiLlm, against the fake Gemini REST peer on loopback.

const PROJECT = 'demo-ffai';
const MODEL = 'gemini-3.8-flash';
const TOKEN = 'static-test-token-5d1e';

const fakes: FakeGemini[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** A static access token, as offline Vertex mode needs (credential discovery would fail). */
const staticAuth = (): OAuth2Client => {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: TOKEN });
  return client;
};

async function setup(script: FakeGeminiScript, options: Partial<GeminiLlmOptions> = {}) {
  const fake = await startFakeGemini({ script });
  fakes.push(fake);
  const sleeps: number[] = [];
  const llm = new GeminiLlm({
    project: PROJECT,
    location: 'asia-south1',
    model: MODEL,
    baseUrl: fake.url,
    timeoutMs: 5_000,
    maxRetries: 2,
    authClient: staticAuth(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    ...options,
  });
  return { fake, llm, sleeps };
}

const aUserMessage = (text: string): LlmMessage => ({ role: 'user', parts: [{ text }] });
const aRequest = (overrides: Partial<LlmRequest> = {}): LlmRequest => ({
  system: 'You explain an Indian household budget. Quote only figures from tools.',
  messages: [aUserMessage('How much did I save last month?')],
  ...overrides,
});

const INSIGHT_SCHEMA: LlmSchema = {
  type: 'object',
  properties: {
    headline: { type: 'string', description: 'One sentence' },
    category: { type: 'string', enum: ['cashflow', 'debt'] },
    factIds: { type: 'array', items: { type: 'string' } },
    confidence: { type: 'number', nullable: true },
  },
  required: ['headline', 'category', 'factIds'],
};

const TOOLS: LlmToolDeclaration[] = [
  {
    name: 'get_cash_flow',
    description: 'Monthly income, spending and savings rate',
    parameters: { type: 'object', properties: { months: { type: 'integer', description: 'How many months back' } }, required: ['months'] },
  },
  { name: 'get_overview', description: 'Net worth and headline figures', parameters: { type: 'object' } },
];

async function collect(events: AsyncIterable<LlmStreamEvent>): Promise<LlmStreamEvent[]> {
  const out: LlmStreamEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

async function failureOf(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError');
}

describe('GeminiLlm against the fake Gemini REST API (real SDK over loopback)', () => {
  it('answers text, sending the system prompt as systemInstruction to the Vertex AI path with a bearer token', async () => {
    const { fake, llm } = await setup([{ text: 'You saved ₹12,400 last month.' }]);
    const response = await llm.generate(aRequest());

    expect(response).toEqual({
      provider: 'gemini',
      model: MODEL,
      text: 'You saved ₹12,400 last month.',
      functionCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: expect.any(Number), outputTokens: estimateTokens('You saved ₹12,400 last month.') },
    });
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    const [request] = fake.requests;
    expect(request).toMatchObject({
      method: 'POST',
      url: `/v1beta1/projects/${PROJECT}/locations/asia-south1/publishers/google/models/${MODEL}:generateContent`,
      authorized: true,
      stream: false,
    });
    expect(request!.body.systemInstruction?.parts).toEqual([{ text: aRequest().system }]);
    expect(request!.body.contents).toEqual([{ role: 'user', parts: [{ text: 'How much did I save last month?' }] }]);
    expect(request!.body.tools).toBeUndefined();
  });

  it('maps usage: prompt tokens in, candidate plus thinking tokens out; thoughts never reach the text', async () => {
    const thoughts = 'The user wants last month savings; income minus spending.';
    const { fake, llm } = await setup([{ text: 'About ₹12,400.', thoughts }]);
    const response = await llm.generate(aRequest({ maxOutputTokens: 256, temperature: 0.2 }));

    expect(response.text).toBe('About ₹12,400.');
    const body = fake.requests[0]!.body;
    expect(response.usage).toEqual({
      inputTokens: estimateTokens(JSON.stringify({ s: body.systemInstruction, c: body.contents, t: body.tools })),
      outputTokens: estimateTokens('About ₹12,400.') + estimateTokens(thoughts),
    });
    expect(body.generationConfig).toMatchObject({ maxOutputTokens: 256, temperature: 0.2 });
  });

  it('asks for JSON with responseMimeType and the converted responseSchema, and returns parseable text', async () => {
    const insight = { headline: 'Savings rate rose to 18%', category: 'cashflow', factIds: ['cashflow.savingsRatePercent'], confidence: null };
    const { fake, llm } = await setup([{ json: insight }]);
    const response = await llm.generate(aRequest({ responseSchema: INSIGHT_SCHEMA }));

    expect(JSON.parse(response.text)).toEqual(insight);
    expect(fake.requests[0]!.body.generationConfig).toMatchObject({
      responseMimeType: 'application/json',
      responseSchema: {
        type: 'OBJECT',
        properties: {
          headline: { type: 'STRING', description: 'One sentence' },
          category: { type: 'STRING', enum: ['cashflow', 'debt'] },
          factIds: { type: 'ARRAY', items: { type: 'STRING' } },
          confidence: { type: 'NUMBER', nullable: true },
        },
        propertyOrdering: ['headline', 'category', 'factIds', 'confidence'],
        required: ['headline', 'category', 'factIds'],
      },
    });
  });

  it('turns JSON-mode text that does not parse into AI.BAD_OUTPUT', async () => {
    const { llm } = await setup([{ malformedJson: true }]);
    const error = await failureOf(() => llm.generate(aRequest({ responseSchema: INSIGHT_SCHEMA })));
    expect(error.code).toBe('AI.BAD_OUTPUT');
    expect(error.message).toBe("Gemini's answer was not valid JSON");
  });

  it('turns an answer with nothing usable into AI.BAD_OUTPUT naming the finish reason', async () => {
    const { llm } = await setup([{ finishReason: 'MAX_TOKENS' }]);
    const error = await failureOf(() => llm.generate(aRequest()));
    expect(error).toMatchObject({ code: 'AI.BAD_OUTPUT', message: 'Gemini returned nothing usable (finish reason MAX_TOKENS)' });
  });

  it('round-trips a function call: declarations out, functionCall back, functionResponse and thought signature forwarded', async () => {
    const { fake, llm } = await setup([
      { functionCalls: [{ name: 'get_cash_flow', args: { months: 1 } }] },
      { text: 'You saved 18% of your income.' },
    ]);
    const first = await llm.generate(aRequest({ tools: TOOLS }));

    // The thought signature travels with the call (opaque), so any instance can send it back.
    expect(first.functionCalls).toEqual([{ name: 'get_cash_flow', args: { months: 1 }, signature: fakeThoughtSignature(0) }]);
    expect(first.finishReason).toBe('tool_calls');
    expect(first.text).toBe('');
    expect(fake.requests[0]!.body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_cash_flow',
            description: 'Monthly income, spending and savings rate',
            parameters: { type: 'OBJECT', properties: { months: { type: 'INTEGER', description: 'How many months back' } }, propertyOrdering: ['months'], required: ['months'] },
          },
          // Vertex AI refuses an OBJECT without properties, so a tool without arguments declares none.
          { name: 'get_overview', description: 'Net worth and headline figures' },
        ],
      },
    ]);

    const toolResult = { ok: true, tool: 'get_cash_flow', figures: { savingsRatePercent: 18 } };
    // The use case passes the call back as it came, signature included.
    const second = await llm.generate(
      aRequest({
        tools: TOOLS,
        messages: [
          aUserMessage('How much did I save last month?'),
          { role: 'model', parts: first.functionCalls.map((functionCall) => ({ functionCall })) },
          { role: 'user', parts: [{ functionResponse: { name: 'get_cash_flow', response: toolResult } }] },
        ],
      }),
    );

    expect(second).toMatchObject({ text: 'You saved 18% of your income.', finishReason: 'stop' });
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.rejected).toBeUndefined();
    expect(fake.requests[1]!.body.contents).toEqual([
      { role: 'user', parts: [{ text: 'How much did I save last month?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_cash_flow', args: { months: 1 } }, thoughtSignature: fakeThoughtSignature(0) }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_cash_flow', response: toolResult } }] },
    ]);
  });

  it('sends back the signature a call carries, even from an instance that never saw it (another function instance)', async () => {
    const { fake, llm } = await setup([{ functionCalls: [{ name: 'get_overview', args: {} }] }, { text: 'Done.' }]);
    const first = await llm.generate(aRequest({ tools: TOOLS }));
    const other = new GeminiLlm({ project: PROJECT, location: 'asia-south1', model: MODEL, baseUrl: fake.url, timeoutMs: 5_000, maxRetries: 0, authClient: staticAuth() });
    await other.generate(
      aRequest({
        tools: TOOLS,
        messages: [
          aUserMessage('Overview please'),
          { role: 'model', parts: first.functionCalls.map((c) => ({ functionCall: c })) },
          { role: 'user', parts: [{ functionResponse: { name: 'get_overview', response: { ok: true } } }] },
        ],
      }),
    );
    expect(fake.requests[1]!.rejected).toBeUndefined();
    expect(fake.requests[1]!.body.contents?.[1]?.parts).toEqual([{ functionCall: { name: 'get_overview', args: {} }, thoughtSignature: fakeThoughtSignature(0) }]);
  });

  it('keeps no signatures of its own: a call sent back without one gets the placeholder, never one another request received (review #10)', async () => {
    const { fake, llm } = await setup([{ functionCalls: [{ name: 'get_overview', args: {} }] }, { text: 'Done.' }]);
    // One user's turn: the model calls get_overview and the instance sees its signature.
    await llm.generate(aRequest({ tools: TOOLS, messages: [aUserMessage('Overview please')] }));
    // Another conversation on the same instance, with a call built by our code (as narration does).
    await llm.generate(
      aRequest({
        tools: TOOLS,
        messages: [
          aUserMessage('Explain my overview'),
          { role: 'model', parts: [{ functionCall: { name: 'get_overview', args: {} } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'get_overview', response: { ok: true } } }] },
        ],
      }),
    );
    expect(fake.requests[1]!.rejected).toBeUndefined();
    expect(fake.requests[1]!.body.contents?.[1]?.parts).toEqual([{ functionCall: { name: 'get_overview', args: {} }, thoughtSignature: 'skip_thought_signature_validator' }]);
    const source = readFileSync(new URL('../../shared/adapters/gemini/gemini.llm.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/signatures\s*=\s*new Map/);
  });

  it('toolChoice none sends the same declarations with function calling mode NONE; auto or unset sends no toolConfig (review #12)', async () => {
    const { fake, llm } = await setup([{ text: 'One.' }, { text: 'Two.' }, { text: 'Three.' }]);
    await llm.generate(aRequest({ tools: TOOLS, toolChoice: 'none' }));
    await llm.generate(aRequest({ tools: TOOLS, toolChoice: 'auto' }));
    await llm.generate(aRequest({ tools: TOOLS }));
    expect(fake.requests.map((r) => r.body['toolConfig'] ?? null)).toEqual([{ functionCallingConfig: { mode: 'NONE' } }, null, null]);
    expect(fake.requests.map((r) => (r.body.tools?.[0]?.functionDeclarations ?? []).map((d) => d.name))).toEqual([
      ['get_cash_flow', 'get_overview'],
      ['get_cash_flow', 'get_overview'],
      ['get_cash_flow', 'get_overview'],
    ]);
  });

  it('a function call in JSON mode is AI.BAD_OUTPUT, not text handed on unchecked (review #9)', async () => {
    const { llm } = await setup([{ functionCalls: [{ name: 'get_overview' }], text: 'not json at all' }, { functionCalls: [{ name: 'get_overview' }] }]);
    for (let i = 0; i < 2; i++) {
      const error = await failureOf(() => llm.generate(aRequest({ responseSchema: INSIGHT_SCHEMA })));
      expect(error).toMatchObject({ code: 'AI.BAD_OUTPUT', message: 'Gemini called a function instead of answering in JSON' });
      expect(error.message).not.toContain('not json');
    }
  });

  it.each([
    ['a blocked prompt', { blocked: 'SAFETY' as const }, 'AI.BLOCKED', 0],
    ['a SAFETY finish', { finishReason: 'SAFETY' as const }, 'AI.BLOCKED', 0],
    ['thinking only, cut at the token limit', { text: '', thoughts: 'thinking hard '.repeat(40), finishReason: 'MAX_TOKENS' as const }, 'AI.BAD_OUTPUT', estimateTokens('thinking hard '.repeat(40))],
    ['malformed JSON', { malformedJson: true as const }, 'AI.BAD_OUTPUT', estimateTokens('{"headline": "unterminated')],
  ])('attaches the tokens of %s to its error, whole or streamed (review #2)', async (_label, step, code, outputTokens) => {
    const { llm } = await setup([step, step]);
    const json = 'malformedJson' in step ? { responseSchema: INSIGHT_SCHEMA } : {};
    const whole = await failureOf(() => llm.generate(aRequest(json)));
    const streamed = await failureOf(() => collect(llm.stream(aRequest(json))));
    for (const error of [whole, streamed]) {
      expect(error.code).toBe(code);
      expect(error.options.usage).toEqual({ inputTokens: expect.any(Number), outputTokens });
      expect(error.options.usage!.inputTokens).toBeGreaterThan(0);
    }
  });

  it('keeps function call ids and sends the documented placeholder signature for a call it did not receive', async () => {
    const { fake, llm } = await setup([{ text: 'Done.' }]);
    await llm.generate(
      aRequest({
        tools: TOOLS,
        messages: [
          aUserMessage('Overview please'),
          { role: 'model', parts: [{ functionCall: { id: 'call-7', name: 'get_overview', args: {} } }] },
          { role: 'user', parts: [{ functionResponse: { id: 'call-7', name: 'get_overview', response: { ok: true } } }] },
        ],
      }),
    );
    expect(fake.requests[0]!.rejected).toBeUndefined();
    expect(fake.requests[0]!.body.contents?.[1]).toEqual({
      role: 'model',
      parts: [{ functionCall: { id: 'call-7', name: 'get_overview', args: {} }, thoughtSignature: 'skip_thought_signature_validator' }],
    });
    expect(fake.requests[0]!.body.contents?.[2]?.parts).toEqual([{ functionResponse: { id: 'call-7', name: 'get_overview', response: { ok: true } } }]);
  });

  it('streams several text deltas, then one done with the whole response', async () => {
    const chunks = ['Your savings ', 'rate was ', '18% ', 'last month.'];
    const { fake, llm } = await setup([{ chunks }]);
    const events = await collect(llm.stream(aRequest()));

    expect(events.slice(0, -1)).toEqual(chunks.map((delta) => ({ kind: 'text', delta })));
    expect(events.at(-1)).toEqual({
      kind: 'done',
      response: { provider: 'gemini', model: MODEL, text: chunks.join(''), functionCalls: [], finishReason: 'stop', usage: { inputTokens: expect.any(Number), outputTokens: estimateTokens(chunks.join('')) } },
    });
    expect(fake.requests[0]).toMatchObject({ stream: true, url: `/v1beta1/projects/${PROJECT}/locations/asia-south1/publishers/google/models/${MODEL}:streamGenerateContent?alt=sse` });
  });

  it('streams function calls and JSON: calls collected in done, JSON checked at done', async () => {
    const { llm } = await setup([{ functionCalls: [{ name: 'get_overview' }, { name: 'get_cash_flow', args: { months: 3 } }] }, { json: { headline: 'ok', category: 'debt', factIds: [] } }, { malformedJson: true }]);
    const calls = await collect(llm.stream(aRequest({ tools: TOOLS })));
    expect(calls).toEqual([{ kind: 'done', response: expect.objectContaining({ finishReason: 'tool_calls', functionCalls: [{ name: 'get_overview', args: {}, signature: fakeThoughtSignature(0) }, { name: 'get_cash_flow', args: { months: 3 } }] }) }]);

    const json = await collect(llm.stream(aRequest({ responseSchema: INSIGHT_SCHEMA })));
    expect(json.filter((e) => e.kind === 'text').length).toBeGreaterThan(1);
    expect(JSON.parse((json.at(-1) as Extract<LlmStreamEvent, { kind: 'done' }>).response.text)).toEqual({ headline: 'ok', category: 'debt', factIds: [] });

    const error = await failureOf(() => collect(llm.stream(aRequest({ responseSchema: INSIGHT_SCHEMA }))));
    expect(error.code).toBe('AI.BAD_OUTPUT');
  });

  it.each([
    ['a blocked prompt', { blocked: 'SAFETY' as const }, 'Gemini declined the request: its safety filters blocked the prompt (SAFETY)'],
    ['a prompt blocked as prohibited', { blocked: 'PROHIBITED_CONTENT' as const }, 'Gemini declined the request: its safety filters blocked the prompt (PROHIBITED_CONTENT)'],
    ['a SAFETY finish', { finishReason: 'SAFETY' as const, text: 'Partial answer' }, 'Gemini withheld its answer on safety grounds (SAFETY)'],
    ['an SPII finish', { finishReason: 'SPII' as const }, 'Gemini withheld its answer on safety grounds (SPII)'],
    ['a BLOCKLIST finish', { finishReason: 'BLOCKLIST' as const }, 'Gemini withheld its answer on safety grounds (BLOCKLIST)'],
  ])('refuses %s with AI.BLOCKED, whole or streamed', async (_label, step, message) => {
    const { llm, fake } = await setup([step, step]);
    const whole = await failureOf(() => llm.generate(aRequest()));
    const streamed = await failureOf(() => collect(llm.stream(aRequest())));
    for (const error of [whole, streamed]) expect(error).toMatchObject({ code: 'AI.BLOCKED', message, retryable: false });
    expect(fake.requests).toHaveLength(2); // never retried
  });

  it('retries a 429, waiting exactly as long as Retry-After says', async () => {
    const { fake, llm, sleeps } = await setup([{ status: 429, retryAfterSeconds: 7 }, { text: 'Fine now.' }]);
    const response = await llm.generate(aRequest());
    expect(response.text).toBe('Fine now.');
    expect(sleeps).toEqual([7_000]);
    expect(fake.requests).toHaveLength(2);
  });

  it('gives up at once when Retry-After is longer than it is willing to wait', async () => {
    const { fake, llm, sleeps } = await setup([{ status: 429, retryAfterSeconds: 120 }, { text: 'never' }], { maxRetryDelayMs: 10_000 });
    const error = await failureOf(() => llm.generate(aRequest()));
    expect(error).toMatchObject({ code: 'AI.UNAVAILABLE', retryable: true, message: 'Gemini is over quota or rate-limited (HTTP 429); it asked to retry after 120 s' });
    expect(sleeps).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries 5xx with exponential backoff and jitter, then reports AI.UNAVAILABLE after maxRetries + 1 attempts', async () => {
    const { fake, llm, sleeps } = await setup([{ status: 500 }, { status: 503 }, { status: 500 }, { text: 'too late' }], { maxRetries: 2, baseRetryDelayMs: 400 });
    const error = await failureOf(() => llm.generate(aRequest()));
    expect(error).toMatchObject({ code: 'AI.UNAVAILABLE', retryable: true, message: 'Gemini is unavailable (HTTP 500) after 3 attempts' });
    expect(fake.requests).toHaveLength(3);
    // random() = 0 gives the low end of the jitter: half of 400 ms, then half of 800 ms.
    expect(sleeps).toEqual([200, 400]);
  });

  it('jitters within [cap/2, cap] and never beyond maxRetryDelayMs', async () => {
    const { llm, sleeps } = await setup(
      [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }],
      { maxRetries: 5, baseRetryDelayMs: 1_000, maxRetryDelayMs: 3_000, random: () => 0.999 },
    );
    await failureOf(() => llm.generate(aRequest()));
    // Caps 1000, 2000, then 3000 (the ceiling); random() = 0.999 gives the top of each range.
    expect(sleeps).toEqual([1_000, 1_999, 2_999, 2_999, 2_999]);
    expect(sleeps.every((ms) => ms <= 3_000)).toBe(true);
  });

  it('retries a stream that failed before its first delta', async () => {
    const { fake, llm, sleeps } = await setup([{ status: 503 }, { chunks: ['a', 'b'] }]);
    const events = await collect(llm.stream(aRequest()));
    expect(events.map((e) => e.kind)).toEqual(['text', 'text', 'done']);
    expect(fake.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it.each([
    [400, 'Gemini rejected the request (HTTP 400)'],
    [403, 'Gemini refused the credentials (HTTP 403): the service account needs roles/aiplatform.user on the project'],
    [404, `Gemini model or location not found (HTTP 404): check GEMINI_MODEL (${MODEL}) and GEMINI_LOCATION (asia-south1)`],
  ])('does not retry HTTP %i', async (status, message) => {
    const { fake, llm, sleeps } = await setup([{ status }, { text: 'unused' }]);
    const error = await failureOf(() => llm.generate(aRequest()));
    expect(error).toMatchObject({ code: 'AI.UNAVAILABLE', retryable: false, message });
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('times out an attempt that answers too late, without retrying it', async () => {
    const { fake, llm, sleeps } = await setup([{ delayMs: 3_000, text: 'late' }], { timeoutMs: 300 });
    // The fake answers after 3 s; the error names the 300 ms deadline (no wall-clock assertion).
    const error = await failureOf(() => llm.generate(aRequest()));
    expect(error).toMatchObject({ code: 'AI.UNAVAILABLE', retryable: true, message: 'Gemini did not answer within 300 ms' });
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('times out a stream too', async () => {
    const { llm } = await setup([{ delayMs: 3_000, chunks: ['late'] }], { timeoutMs: 300 });
    const error = await failureOf(() => collect(llm.stream(aRequest())));
    expect(error).toMatchObject({ code: 'AI.UNAVAILABLE', message: 'Gemini did not answer within 300 ms' });
  });

  it('reports an unreachable endpoint as AI.UNAVAILABLE after its retries', async () => {
    const { llm, fake, sleeps } = await setup([]);
    await fake.close();
    const error = await failureOf(() => llm.generate(aRequest()));
    expect(error).toMatchObject({ code: 'AI.UNAVAILABLE', retryable: true, message: 'Gemini could not be reached (ECONNREFUSED) after 3 attempts' });
    expect(sleeps).toHaveLength(2);
  });

  it('never puts request contents, server text or the token into an error', async () => {
    const secret = 'ACCT-9876543210-Priya';
    const request = aRequest({
      system: `System note ${secret}`,
      messages: [aUserMessage(`My account ${secret}`), { role: 'model', parts: [{ functionCall: { name: 'get_cash_flow', args: { months: 1, note: secret } } }] }],
      tools: TOOLS,
    });
    const scripts: FakeGeminiScript[] = [
      [{ status: 400, message: `Invalid value at 'contents[0]' (${secret})` }],
      [{ status: 500, message: `Backend failed on ${secret}` }, { status: 500 }, { status: 500 }],
      [{ status: 429, retryAfterSeconds: 999, message: secret }],
      [{ blocked: 'SAFETY' }],
      [{ finishReason: 'SAFETY', text: secret }],
      [{ malformedJson: true }],
      [{ delayMs: 2_000, text: secret }],
    ];
    for (const script of scripts) {
      const { llm } = await setup(script, { timeoutMs: 300 });
      const error = await failureOf(() => llm.generate({ ...request, ...(Array.isArray(script) && 'malformedJson' in script[0]! ? { tools: undefined, responseSchema: INSIGHT_SCHEMA } : {}) }));
      const visible = [error.message, JSON.stringify(error), String(error.options.cause ?? ''), error.stack ?? ''].join('\n');
      expect(visible).not.toContain(secret);
      expect(visible).not.toContain(TOKEN);
    }
  });

  it('refuses a request that asks for tools and a schema at once', async () => {
    const { llm, fake } = await setup([]);
    const error = await failureOf(() => llm.generate(aRequest({ tools: TOOLS, responseSchema: INSIGHT_SCHEMA })));
    expect(error.code).toBe('INTERNAL');
    expect(fake.requests).toHaveLength(0);
  });

  it('is labelled as Gemini and loads the SDK only on first use (type-only imports at the top)', () => {
    const llm = new GeminiLlm({ project: PROJECT, location: 'asia-south1', model: MODEL, timeoutMs: 1_000, maxRetries: 0 });
    expect([llm.provider, llm.model]).toEqual(['gemini', MODEL]);
    const source = readFileSync(new URL('../../shared/adapters/gemini/gemini.llm.ts', import.meta.url), 'utf8');
    const sdkImports = [...source.matchAll(/^import (type )?[^;]*from '@google\/genai';/gm)];
    expect(sdkImports.length).toBeGreaterThan(0);
    expect(sdkImports.every((m) => m[1] === 'type ')).toBe(true);
    expect(source).toContain("import('@google/genai')");
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-30T10:00:00Z');
  it.each([
    ['7', 7_000],
    [' 0 ', 0],
    ['Mon, 30 Nov 2026 10:00:30 GMT', 30_000],
    ['Mon, 30 Nov 2026 09:59:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('reads %j as %j ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});

describe('the fake Gemini server', () => {
  it('answers 401 without a bearer token and records the request without consuming a step', async () => {
    const fake = await startFakeGemini({ script: [{ text: 'hi' }] });
    fakes.push(fake);
    const res = await fetch(`${fake.url}/v1beta1/projects/p/locations/l/publishers/google/models/m:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }),
    });
    expect(res.status).toBe(401);
    expect(fake.requests).toMatchObject([{ authorized: false, rejected: 'missing bearer token' }]);
    expect(fake.stepsUsed()).toBe(0);
  });

  it('refuses a current-turn function call sent back without its thought signature, as Gemini 3 does', async () => {
    const fake = await startFakeGemini({ script: [{ text: 'hi' }] });
    fakes.push(fake);
    const res = await fetch(`${fake.url}/v1beta1/projects/p/locations/l/publishers/google/models/m:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: JSON.stringify({
        contents: [
          { role: 'user', parts: [{ text: 'x' }] },
          { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'f', response: {} } }] },
        ],
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe('INVALID_ARGUMENT');
    expect(fake.stepsUsed()).toBe(0);
  });

  it('answers from a function script with the request in hand, and 400 when an array script runs out', async () => {
    const fake = await startFakeGemini({ script: (request, index) => ({ text: `#${index} for ${request.model}` }) });
    fakes.push(fake);
    const llm = new GeminiLlm({ project: PROJECT, location: 'asia-south1', model: MODEL, baseUrl: fake.url, timeoutMs: 2_000, maxRetries: 0, authClient: staticAuth() });
    expect((await llm.generate(aRequest())).text).toBe(`#0 for ${MODEL}`);
    expect((await llm.generate(aRequest())).text).toBe(`#1 for ${MODEL}`);

    const empty = await startFakeGemini({ script: [] });
    fakes.push(empty);
    const other = new GeminiLlm({ project: PROJECT, location: 'asia-south1', model: MODEL, baseUrl: empty.url, timeoutMs: 2_000, maxRetries: 2, authClient: staticAuth() });
    const error = await failureOf(() => other.generate(aRequest()));
    expect(error).toMatchObject({ code: 'AI.UNAVAILABLE', retryable: false });
    expect(empty.requests).toHaveLength(1);
  });
});
