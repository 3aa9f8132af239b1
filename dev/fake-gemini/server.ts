import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP peer that speaks the Gemini REST API the way `@google/genai` calls it in
 * Vertex AI mode, and answers from a script. It is a protocol peer, not a mock: the real SDK
 * talks to it over loopback (`httpOptions.baseUrl`), so what it proves is the wire format.
 *
 * Routes (what the SDK 3.3 requests, checked by recording it):
 *   POST /{version}/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent
 *   POST /{version}/projects/{project}/locations/{location}/publishers/google/models/{model}:streamGenerateContent?alt=sse
 * where {version} is `v1beta1` (the SDK's Vertex default) or `v1`.
 *
 * Like Vertex AI it answers 401 without a bearer token, and 400 INVALID_ARGUMENT for requests
 * the real API refuses and our adapter must therefore never send: empty `contents`, unknown
 * roles, OBJECT function parameters without properties, and (Gemini 3 rule, on by default) a
 * model `functionCall` step of the current turn whose first call lacks its `thoughtSignature`.
 * Refused requests are recorded but consume no script step.
 */

export type FakeGeminiFinishReason = 'STOP' | 'MAX_TOKENS' | 'SAFETY' | 'RECITATION' | 'PROHIBITED_CONTENT' | 'BLOCKLIST' | 'SPII' | 'MALFORMED_FUNCTION_CALL' | 'OTHER';
export type FakeGeminiBlockReason = 'SAFETY' | 'OTHER' | 'BLOCKLIST' | 'PROHIBITED_CONTENT' | 'JAILBREAK';

/** One scripted answer. `delayMs` may be combined with any of them (the answer starts that late). */
export type FakeGeminiStep = { readonly delayMs?: number } & (
  | { readonly text: string; readonly finishReason?: FakeGeminiFinishReason; /** A thought summary part sent before the text (thinking models). */ readonly thoughts?: string }
  | { readonly json: unknown }
  | { readonly functionCalls: ReadonlyArray<{ readonly name: string; readonly args?: Readonly<Record<string, unknown>>; readonly id?: string }>; readonly text?: string }
  | { readonly chunks: readonly string[]; readonly finishReason?: FakeGeminiFinishReason }
  | { readonly blocked: FakeGeminiBlockReason }
  | { readonly finishReason: FakeGeminiFinishReason; readonly text?: string }
  | { readonly status: number; readonly retryAfterSeconds?: number; readonly message?: string }
  | { readonly malformedJson: true }
  | { readonly delayMs: number }
);

export interface FakeGeminiRequest {
  readonly index: number;
  readonly method: string;
  /** Path and query as received, e.g. `/v1beta1/projects/p/locations/l/publishers/google/models/m:generateContent`. */
  readonly url: string;
  readonly project: string;
  readonly location: string;
  readonly model: string;
  readonly stream: boolean;
  /** True when an `Authorization: Bearer ...` header was present (the token itself is not kept). */
  readonly authorized: boolean;
  readonly body: GeminiRequestBody;
  /** Why the fake refused it (401/400), if it did; such requests consume no step. */
  readonly rejected?: string;
}

/** The parts of a GenerateContentRequest tests look at (the whole parsed body is kept). */
export interface GeminiRequestBody {
  readonly contents?: ReadonlyArray<{ readonly role?: string; readonly parts?: ReadonlyArray<Record<string, unknown>> }>;
  readonly systemInstruction?: { readonly role?: string; readonly parts?: ReadonlyArray<{ readonly text?: string }> };
  readonly tools?: ReadonlyArray<{ readonly functionDeclarations?: ReadonlyArray<{ readonly name: string; readonly description?: string; readonly parameters?: Record<string, unknown> }> }>;
  readonly generationConfig?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

export type FakeGeminiScript =
  | readonly FakeGeminiStep[]
  | ((request: FakeGeminiRequest, index: number) => FakeGeminiStep | Promise<FakeGeminiStep>);

export interface FakeGeminiOptions {
  readonly script: FakeGeminiScript;
  /** Default 0 (any free port). Always bound to 127.0.0.1. */
  readonly port?: number;
  /** Refuse current-turn function calls sent back without their thought signature (Gemini 3). Default true. */
  readonly requireThoughtSignatures?: boolean;
}

export interface FakeGemini {
  /** Base URL for `httpOptions.baseUrl` / GEMINI_BASE_URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Every request received, in order (refused ones included, marked `rejected`). */
  readonly requests: readonly FakeGeminiRequest[];
  /** Script steps consumed so far. */
  readonly stepsUsed: () => number;
  close(): Promise<void>;
}

const ROUTE = /^\/(v1|v1beta1)\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

/** The thought signature the fake attaches to the first function call of an answer. */
export const fakeThoughtSignature = (index: number): string => Buffer.from(`fake-thought-signature-${index}`).toString('base64');

/** A rough token estimate (about four characters per token), enough for usage metadata. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/**
 * Starts the fake on 127.0.0.1. Steps are consumed one per accepted request; when an array
 * script runs out, the fake answers 400 FAILED_PRECONDITION (not retried by clients), so a
 * test that calls more often than it scripted fails loudly.
 */
export async function startFakeGemini(options: FakeGeminiOptions): Promise<FakeGemini> {
  const requests: FakeGeminiRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const requireSignatures = options.requireThoughtSignatures ?? true;
  let used = 0;

  const nextStep = async (request: FakeGeminiRequest): Promise<FakeGeminiStep | undefined> => {
    const index = used++;
    if (typeof options.script === 'function') return options.script(request, index);
    return options.script[index];
  };

  const wait = (ms: number, res: ServerResponse): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(!res.destroyed);
      }, ms);
      timers.add(timer);
      res.once('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      });
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const route = ROUTE.exec(url.pathname);
    if (req.method !== 'POST' || !route) {
      sendError(res, 404, 'NOT_FOUND', `fake Gemini: no route for ${req.method ?? '?'} ${url.pathname}`);
      return;
    }
    let body: GeminiRequestBody;
    try {
      body = JSON.parse(raw || '{}') as GeminiRequestBody;
    } catch {
      sendError(res, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
      return;
    }
    const stream = route[5] === 'streamGenerateContent';
    const authorized = /^Bearer \S+$/.test(req.headers.authorization ?? '');
    const base = {
      index: requests.length,
      method: req.method,
      url: url.pathname + url.search,
      project: decodeURIComponent(route[2]!),
      location: decodeURIComponent(route[3]!),
      model: decodeURIComponent(route[4]!),
      stream,
      authorized,
      body,
    };
    const rejected = !authorized
      ? 'missing bearer token'
      : stream && url.searchParams.get('alt') !== 'sse'
        ? 'streaming without alt=sse'
        : validateRequest(body, requireSignatures);
    if (rejected) {
      requests.push({ ...base, rejected });
      if (!authorized) sendError(res, 401, 'UNAUTHENTICATED', 'Request is missing required authentication credential.');
      else sendError(res, 400, 'INVALID_ARGUMENT', `fake Gemini refused the request: ${rejected}`);
      return;
    }
    const request: FakeGeminiRequest = { ...base };
    requests.push(request);
    const stepIndex = used;
    const step = await nextStep(request);
    if (!step) {
      sendError(res, 400, 'FAILED_PRECONDITION', `fake Gemini: the script has no step ${stepIndex}`);
      return;
    }
    if (step.delayMs && !(await wait(step.delayMs, res))) return;
    const inputTokens = estimateTokens(JSON.stringify({ s: body.systemInstruction, c: body.contents, t: body.tools }));
    if ('status' in step) {
      const headers: Record<string, string> = step.retryAfterSeconds !== undefined ? { 'retry-after': String(step.retryAfterSeconds) } : {};
      sendError(res, step.status, STATUS_NAMES[step.status] ?? 'UNKNOWN', step.message ?? `fake Gemini scripted HTTP ${step.status}`, headers);
      return;
    }
    const chunks = answerChunks(step, stepIndex, inputTokens, stream);
    if (!stream) {
      send(res, 200, mergeChunks(chunks));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const chunk of chunks) {
      if (res.destroyed) return;
      res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
      // Give the client a chance to read chunks separately, as it would from the real API.
      await new Promise((r) => setImmediate(r));
    }
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'fake Gemini: the script failed');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stepsUsed: () => used,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

type Json = Record<string, unknown>;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, code: number, status: string, message: string, headers: Record<string, string> = {}): void {
  send(res, code, { error: { code, message, status } }, headers);
}

/** The checks of the real API that a well-behaved client must pass. Returns why it fails, if it does. */
function validateRequest(body: GeminiRequestBody, requireSignatures: boolean): string | undefined {
  const contents = body.contents;
  if (!contents || !Array.isArray(contents as unknown) || contents.length === 0) return 'contents must not be empty';
  for (const [i, content] of contents.entries()) {
    if (content.role !== 'user' && content.role !== 'model') return `contents[${i}].role must be user or model`;
    if (!Array.isArray(content.parts) || content.parts.length === 0) return `contents[${i}].parts must not be empty`;
  }
  for (const tool of body.tools ?? []) {
    for (const fn of tool.functionDeclarations ?? []) {
      const params = fn.parameters as { type?: string; properties?: Record<string, unknown> } | undefined;
      if (params?.type === 'OBJECT' && Object.keys(params.properties ?? {}).length === 0) {
        return `function ${fn.name}: parameters.properties should be non-empty for OBJECT type`;
      }
    }
  }
  if (requireSignatures) {
    // The current turn starts at the last user content that carries text (not a function response).
    let start = 0;
    contents.forEach((c, i) => {
      if (c.role === 'user' && c.parts?.some((p) => typeof p['text'] === 'string')) start = i;
    });
    for (const [i, content] of contents.entries()) {
      if (i < start || content.role !== 'model') continue;
      const firstCall = content.parts?.find((p) => p['functionCall'] !== undefined);
      if (firstCall && typeof firstCall['thoughtSignature'] !== 'string') {
        return `function call in contents[${i}] is missing a thought_signature`;
      }
    }
  }
  return undefined;
}

function usage(inputTokens: number, outputText: string, thoughts = ''): Json {
  const candidatesTokenCount = estimateTokens(outputText);
  const thoughtsTokenCount = estimateTokens(thoughts);
  return {
    promptTokenCount: inputTokens,
    candidatesTokenCount,
    ...(thoughtsTokenCount ? { thoughtsTokenCount } : {}),
    totalTokenCount: inputTokens + candidatesTokenCount + thoughtsTokenCount,
  };
}

const candidate = (parts: Json[] | undefined, finishReason?: string): Json => ({
  ...(parts ? { content: { role: 'model', parts } } : {}),
  ...(finishReason ? { finishReason } : {}),
  ...(finishReason && finishReason !== 'STOP' && finishReason !== 'MAX_TOKENS' ? { safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }] } : {}),
  index: 0,
});

const envelope = (body: Json, usageMetadata?: Json): Json => ({
  ...body,
  ...(usageMetadata ? { usageMetadata } : {}),
  modelVersion: 'fake-gemini',
  responseId: 'fake-response',
});

/** The answer as the stream of GenerateContentResponse chunks it would be sent as. */
function answerChunks(step: FakeGeminiStep, stepIndex: number, inputTokens: number, stream: boolean): Json[] {
  if ('blocked' in step) {
    return [envelope({ promptFeedback: { blockReason: step.blocked, blockReasonMessage: 'The prompt was blocked (fake Gemini).' } }, usage(inputTokens, ''))];
  }
  if ('chunks' in step) {
    const all = step.chunks.join('');
    return step.chunks.map((text, i) => {
      const last = i === step.chunks.length - 1;
      return envelope({ candidates: [candidate([{ text }], last ? (step.finishReason ?? 'STOP') : undefined)] }, last ? usage(inputTokens, all) : undefined);
    });
  }
  if ('functionCalls' in step) {
    const parts: Json[] = [
      ...(step.text ? [{ text: step.text }] : []),
      ...step.functionCalls.map((call, i) => ({
        functionCall: { name: call.name, args: call.args ?? {}, ...(call.id ? { id: call.id } : {}) },
        ...(i === 0 ? { thoughtSignature: fakeThoughtSignature(stepIndex) } : {}),
      })),
    ];
    return [envelope({ candidates: [candidate(parts, 'STOP')] }, usage(inputTokens, JSON.stringify(parts)))];
  }
  const text = 'json' in step ? JSON.stringify(step.json) : 'malformedJson' in step ? '{"headline": "unterminated' : 'text' in step ? (step.text ?? '') : '';
  const finishReason = 'finishReason' in step && step.finishReason ? step.finishReason : 'STOP';
  const thoughts = 'thoughts' in step ? (step.thoughts ?? '') : '';
  const thoughtParts = thoughts ? [{ text: thoughts, thought: true }] : [];
  const parts = text || thoughts ? [...thoughtParts, ...(text ? [{ text }] : [])] : undefined;
  if (!stream || !text) return [envelope({ candidates: [candidate(parts, finishReason)] }, usage(inputTokens, text, thoughts))];
  // Streamed whole answers arrive in two pieces, as short real answers often do.
  const cut = Math.ceil(text.length / 2);
  return [
    envelope({ candidates: [candidate([...thoughtParts, { text: text.slice(0, cut) }])] }),
    envelope({ candidates: [candidate(text.slice(cut) ? [{ text: text.slice(cut) }] : undefined, finishReason)] }, usage(inputTokens, text, thoughts)),
  ];
}

/** A unary answer: the chunks merged, as the API returns the same answer without streaming. */
function mergeChunks(chunks: Json[]): Json {
  if (chunks.length === 1) return chunks[0]!;
  const last = chunks[chunks.length - 1]!;
  const lastCandidate = (last['candidates'] as Json[] | undefined)?.[0] ?? {};
  const parts: Json[] = chunks.flatMap((c): Json[] => ((c['candidates'] as Json[] | undefined)?.[0]?.['content'] as { parts?: Json[] } | undefined)?.parts ?? []);
  const thoughts = parts.filter((p) => p['thought'] === true);
  const text = parts
    .filter((p) => p['thought'] !== true)
    .map((p) => (typeof p['text'] === 'string' ? p['text'] : ''))
    .join('');
  return { ...last, candidates: [{ ...lastCandidate, content: { role: 'model', parts: [...thoughts, { text }] } }] };
}
