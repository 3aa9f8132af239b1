import type * as GenAI from '@google/genai';
import type { Content, FunctionDeclaration, GenerateContentConfig, GenerateContentResponse, GoogleGenAI, GoogleGenAIOptions, Part, Schema } from '@google/genai';
import { AppError, isAppError } from '../../domain/errors.js';
import type { Llm, LlmFinishReason, LlmFunctionCall, LlmMessage, LlmRequest, LlmResponse, LlmSchema, LlmStreamEvent, LlmToolDeclaration } from '../../ports/llm.js';

/**
 * `Llm` over Gemini on Vertex AI with `@google/genai` (`vertexai: true`).
 *
 * Contract (see shared/ports/llm.ts):
 * - Every attempt has a deadline of `timeoutMs` (the SDK's `httpOptions.timeout`, which also
 *   bounds reading a streamed body). A timeout is not retried: the caller's budget is spent.
 * - HTTP 429, 408 and 5xx and network failures are retried, at most `maxRetries` times, with
 *   exponential backoff (500 ms, 1 s, 2 s, ... capped) and equal jitter (each wait is half
 *   fixed, half random); a `Retry-After` header (or a google.rpc.RetryInfo in
 *   the error body) replaces the backoff, and one longer than `maxRetryDelayMs` ends the
 *   retries at once (AI.UNAVAILABLE, retryable: the event system can redeliver later).
 *   Other 4xx are never retried. The SDK's own retries stay off, so this is the only loop.
 * - A stream is retried only while it has yielded nothing; after the first delta a failure
 *   ends it with AI.UNAVAILABLE and the caller discards the partial text.
 * - A blocked prompt (`promptFeedback.blockReason`) or an answer withheld by a filter
 *   (finishReason SAFETY, PROHIBITED_CONTENT, BLOCKLIST, SPII, RECITATION, ...) is AI.BLOCKED.
 * - JSON mode (`responseSchema`): the text must parse as JSON, else AI.BAD_OUTPUT; a function
 *   call instead of JSON is AI.BAD_OUTPUT too. Checking the JSON against the schema is the
 *   caller's job (one zod schema per boundary).
 * - AI.BLOCKED and AI.BAD_OUTPUT raised on an answer the model did produce carry its
 *   `usageMetadata` in `options.usage` (those tokens are billed; callers record them).
 * - `toolChoice: 'none'` sends the tool declarations with `toolConfig.functionCallingConfig.mode
 *   = NONE`: the model answers in text, and history holding function calls stays valid.
 * - Error messages name the failure (status, reason, attempts) and never carry request or
 *   response contents, credentials or stack traces; SDK errors are not attached as causes,
 *   because their messages embed the server's response body.
 *
 * Gemini 3 thought signatures: the model attaches an opaque `thoughtSignature` to function
 * calls and refuses (400) a follow-up whose current-turn calls come back without it. The
 * signature travels with the call through the port (`LlmFunctionCall.signature`) and is sent
 * back from there only: the adapter keeps no state between requests, so nothing one user's
 * request received can reach another's. A current-turn call without one (built by our code,
 * e.g. the narration's simulation call) gets the placeholder Vertex AI documents for history
 * the model did not produce.
 *
 * The SDK is imported on first use, so functions that never call Gemini never load it.
 */
export interface GeminiLlmOptions {
  /** Google Cloud project that pays for and hosts the calls. */
  readonly project: string;
  /** Vertex AI location, e.g. `asia-south1` (keeps processing in India). */
  readonly location: string;
  /** Model id, e.g. `gemini-3.8-flash`. */
  readonly model: string;
  /** Only for a local fake or an alternative endpoint; default: Google's regional endpoint. */
  readonly baseUrl?: string;
  /** Deadline of one attempt, streamed body included. */
  readonly timeoutMs: number;
  /** Retries after the first attempt (429 / 408 / 5xx / network only). */
  readonly maxRetries: number;
  /** Credentials instead of Application Default Credentials (e.g. a static token offline). */
  readonly authClient?: GeminiAuthClient;
  /** Waits between attempts; injectable so tests need not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); injectable for tests. */
  readonly random?: () => number;
  /** Longest wait before a retry (backoff cap, and the longest Retry-After honoured). Default 10 s. */
  readonly maxRetryDelayMs?: number;
  /** First backoff step. Default 500 ms. */
  readonly baseRetryDelayMs?: number;
}

/**
 * What the SDK asks of a credential: headers carrying `Authorization: Bearer ...`. A
 * google-auth-library `OAuth2Client` holding `{ access_token }` satisfies it.
 */
export interface GeminiAuthClient {
  getRequestHeaders(url?: string | URL): Promise<Headers>;
}

type Sdk = typeof GenAI;
type SdkAuthClient = NonNullable<NonNullable<GoogleGenAIOptions['googleAuthOptions']>['authClient']>;

let sdkModule: Promise<Sdk> | undefined;
const loadSdk = (): Promise<Sdk> => {
  sdkModule ??= import('@google/genai').catch((e: unknown) => {
    sdkModule = undefined;
    throw e;
  });
  return sdkModule;
};

/** Finish reasons that mean a filter withheld the answer (compared as strings: newer ones may not be in the SDK enum). */
const WITHHELD = new Set(['SAFETY', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'MODEL_ARMOR']);

/** Vertex AI's documented signature for function calls the model did not produce in this exchange. */
const FOREIGN_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/** A failed attempt, classified without looking at any content. */
type Failure =
  | { readonly kind: 'http'; readonly status: number; readonly retryAfterMs?: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network'; readonly code: string }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'client'; readonly name: string };

interface Prepared {
  readonly contents: Content[];
  readonly config: GenerateContentConfig;
  readonly json: boolean;
}

export class GeminiLlm implements Llm {
  readonly provider = 'gemini' as const;
  readonly model: string;
  private clientPromise: Promise<{ sdk: Sdk; ai: GoogleGenAI }> | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly maxRetryDelayMs: number;
  private readonly baseRetryDelayMs: number;
  private readonly attempts: number;

  constructor(private readonly options: GeminiLlmOptions) {
    this.model = options.model;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
    this.baseRetryDelayMs = options.baseRetryDelayMs ?? 500;
    this.attempts = Math.max(0, Math.floor(options.maxRetries)) + 1;
  }

  /**
   * One generation, retried as described on the class. Not idempotent in cost: every attempt
   * that reaches the model is billed.
   * @throws AppError AI.UNAVAILABLE | AI.BLOCKED | AI.BAD_OUTPUT; INTERNAL for a malformed request.
   */
  async generate(request: LlmRequest): Promise<LlmResponse> {
    const { sdk, ai } = await this.client();
    const prepared = this.prepare(request, sdk);
    for (let attempt = 1; ; attempt++) {
      const probe = retryAfterProbe();
      let response: GenerateContentResponse;
      try {
        response = await ai.models.generateContent({ model: this.model, contents: prepared.contents, config: { ...prepared.config, httpOptions: { fetch: probe.fetch } } });
      } catch (e) {
        const failure = classify(e, sdk, probe.retryAfterMs());
        const delay = this.retryDelay(failure, attempt);
        if (delay === undefined) throw this.failed(failure, attempt);
        await this.sleep(delay);
        continue;
      }
      const answer = new Answer(this.model);
      answer.add(response);
      return answer.finish(prepared.json);
    }
  }

  /**
   * Text deltas as they arrive, then exactly one `done` with the whole response. Retried only
   * before the first delta. In JSON mode the deltas are raw JSON text, checked at `done`.
   * @throws AppError as `generate`; AI.BLOCKED may come after some deltas (discard them).
   */
  async *stream(request: LlmRequest): AsyncIterable<LlmStreamEvent> {
    const { sdk, ai } = await this.client();
    const prepared = this.prepare(request, sdk);
    for (let attempt = 1; ; attempt++) {
      const probe = retryAfterProbe();
      const answer = new Answer(this.model);
      let yielded = false;
      try {
        const chunks = await ai.models.generateContentStream({ model: this.model, contents: prepared.contents, config: { ...prepared.config, httpOptions: { fetch: probe.fetch } } });
        for await (const chunk of chunks) {
          const delta = answer.add(chunk);
          if (delta) {
            yielded = true;
            yield { kind: 'text', delta };
          }
        }
      } catch (e) {
        if (isAppError(e)) throw e;
        const failure = classify(e, sdk, probe.retryAfterMs());
        const delay = yielded ? undefined : this.retryDelay(failure, attempt);
        if (delay === undefined) throw this.failed(failure, attempt, yielded);
        await this.sleep(delay);
        continue;
      }
      yield { kind: 'done', response: answer.finish(prepared.json) };
      return;
    }
  }

  private client(): Promise<{ sdk: Sdk; ai: GoogleGenAI }> {
    this.clientPromise ??= loadSdk()
      .then((sdk) => {
        const { project, location, baseUrl, timeoutMs, authClient } = this.options;
        const ai = new sdk.GoogleGenAI({
          vertexai: true,
          project,
          location,
          // No retryOptions: the SDK then makes one attempt per call and this class retries.
          httpOptions: { timeout: timeoutMs, ...(baseUrl ? { baseUrl } : {}) },
          // The SDK types authClient with its own copy of google-auth-library; it only calls getRequestHeaders.
          ...(authClient ? { googleAuthOptions: { authClient: authClient as unknown as SdkAuthClient } } : {}),
        });
        return { sdk, ai };
      })
      .catch(() => {
        this.clientPromise = undefined;
        throw new AppError('AI.UNAVAILABLE', 'the Gemini client could not be created', { retryable: true });
      });
    return this.clientPromise;
  }

  private prepare(request: LlmRequest, sdk: Sdk): Prepared {
    if (request.tools?.length && request.responseSchema) {
      throw new AppError('INTERNAL', 'an LLM request takes tools or a response schema, not both');
    }
    const contents = toContents(request.messages, requiresThoughtSignatures(this.model));
    if (contents.length === 0) throw new AppError('INTERNAL', 'an LLM request needs at least one non-empty message');
    const config: GenerateContentConfig = {
      ...(request.system.trim() ? { systemInstruction: request.system } : {}),
      ...(request.tools?.length ? { tools: [{ functionDeclarations: request.tools.map((t) => toFunctionDeclaration(t, sdk)) }] } : {}),
      ...(request.tools?.length && request.toolChoice === 'none' ? { toolConfig: { functionCallingConfig: { mode: sdk.FunctionCallingConfigMode.NONE } } } : {}),
      ...(request.responseSchema ? { responseMimeType: 'application/json', responseSchema: toSdkSchema(request.responseSchema, sdk) } : {}),
      ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    };
    return { contents, config, json: request.responseSchema !== undefined };
  }

  /** How long to wait before the next attempt, or undefined to stop. */
  private retryDelay(failure: Failure, attempt: number): number | undefined {
    if (attempt >= this.attempts) return undefined;
    const transient = failure.kind === 'network' || (failure.kind === 'http' && (failure.status === 429 || failure.status === 408 || failure.status >= 500));
    if (!transient) return undefined;
    if (failure.kind === 'http' && failure.retryAfterMs !== undefined) {
      return failure.retryAfterMs <= this.maxRetryDelayMs ? failure.retryAfterMs : undefined;
    }
    const cap = Math.min(this.maxRetryDelayMs, this.baseRetryDelayMs * 2 ** (attempt - 1));
    return Math.round(cap / 2 + this.random() * (cap / 2));
  }

  private failed(failure: Failure, attempts: number, midStream = false): AppError {
    const tries = attempts === 1 ? '' : ` after ${attempts} attempts`;
    switch (failure.kind) {
      case 'timeout':
        return new AppError('AI.UNAVAILABLE', `Gemini did not answer within ${this.options.timeoutMs} ms${tries}`, { retryable: true });
      case 'network':
        return new AppError('AI.UNAVAILABLE', `Gemini could not be reached (${failure.code})${midStream ? ' while streaming' : ''}${tries}`, { retryable: true });
      case 'unreadable':
        return new AppError('AI.BAD_OUTPUT', "Gemini's response could not be read", { retryable: true });
      case 'client':
        return new AppError('AI.UNAVAILABLE', `the Gemini call failed in the client (${failure.name})`, { retryable: false });
      case 'http': {
        const s = failure.status;
        if (s === 429) {
          const later = failure.retryAfterMs !== undefined && attempts < this.attempts ? `; it asked to retry after ${Math.ceil(failure.retryAfterMs / 1000)} s` : '';
          return new AppError('AI.UNAVAILABLE', `Gemini is over quota or rate-limited (HTTP 429)${tries}${later}`, { retryable: true });
        }
        if (s >= 500 || s === 408) return new AppError('AI.UNAVAILABLE', `Gemini is unavailable (HTTP ${s})${tries}`, { retryable: true });
        if (s === 401 || s === 403) {
          return new AppError('AI.UNAVAILABLE', `Gemini refused the credentials (HTTP ${s}): the service account needs roles/aiplatform.user on the project`, { retryable: false });
        }
        if (s === 404) return new AppError('AI.UNAVAILABLE', `Gemini model or location not found (HTTP 404): check GEMINI_MODEL (${this.model}) and GEMINI_LOCATION (${this.options.location})`, { retryable: false });
        return new AppError('AI.UNAVAILABLE', `Gemini rejected the request (HTTP ${s})`, { retryable: false });
      }
    }
  }
}

/** Accumulates one answer from its chunks (one chunk for `generate`). */
class Answer {
  private text = '';
  private readonly calls: LlmFunctionCall[] = [];
  private finishRaw: string | undefined;
  private inputTokens = 0;
  private outputTokens = 0;

  constructor(private readonly model: string) {}

  /** The tokens so far, for the errors raised on a produced answer (they are billed). */
  private get usage(): { inputTokens: number; outputTokens: number } {
    return { inputTokens: this.inputTokens, outputTokens: this.outputTokens };
  }

  /** Adds a chunk and returns its new visible text ('' if none). @throws AppError AI.BLOCKED. */
  add(chunk: GenerateContentResponse): string {
    const usage = chunk.usageMetadata;
    if (usage) {
      // Running totals: the latest chunk's figures are the answer's. Thinking is billed as output.
      this.inputTokens = usage.promptTokenCount ?? this.inputTokens;
      this.outputTokens = (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
    }
    const block = chunk.promptFeedback?.blockReason;
    if (block && block !== 'BLOCKED_REASON_UNSPECIFIED') {
      throw new AppError('AI.BLOCKED', `Gemini declined the request: its safety filters blocked the prompt (${block})`, { retryable: false, usage: this.usage });
    }
    const candidate = chunk.candidates?.[0];
    if (!candidate) return '';
    let delta = '';
    for (const part of candidate.content?.parts ?? []) {
      if (part.thought) continue;
      if (typeof part.text === 'string') delta += part.text;
      const call = part.functionCall;
      if (call?.name) {
        const fc: LlmFunctionCall = { ...(call.id ? { id: call.id } : {}), name: call.name, args: call.args ?? {} };
        this.calls.push(part.thoughtSignature ? { ...fc, signature: part.thoughtSignature } : fc);
      }
    }
    if (candidate.finishReason) this.finishRaw = candidate.finishReason;
    if (this.finishRaw && WITHHELD.has(this.finishRaw)) {
      throw new AppError('AI.BLOCKED', `Gemini withheld its answer on safety grounds (${this.finishRaw})`, { retryable: false, usage: this.usage });
    }
    this.text += delta;
    return delta;
  }

  /** @throws AppError AI.BAD_OUTPUT when there is nothing usable, or JSON mode got no JSON. */
  finish(json: boolean): LlmResponse {
    const finish = this.finishRaw ?? 'none';
    if (!this.text.trim() && this.calls.length === 0) {
      throw new AppError('AI.BAD_OUTPUT', `Gemini returned nothing usable (finish reason ${finish})`, { retryable: true, usage: this.usage });
    }
    if (json) {
      // JSON mode declares no tools: a call here is not an answer, and its text is not checked JSON.
      if (this.calls.length > 0) throw new AppError('AI.BAD_OUTPUT', 'Gemini called a function instead of answering in JSON', { retryable: true, usage: this.usage });
      try {
        JSON.parse(this.text);
      } catch {
        const why = finish === 'MAX_TOKENS' ? ': it was cut off at the output token limit' : '';
        throw new AppError('AI.BAD_OUTPUT', `Gemini's answer was not valid JSON${why}`, { retryable: true, usage: this.usage });
      }
    }
    return {
      provider: 'gemini',
      model: this.model,
      text: this.text,
      functionCalls: this.calls,
      finishReason: mapFinish(this.finishRaw, this.calls.length > 0),
      usage: { inputTokens: this.inputTokens, outputTokens: this.outputTokens },
    };
  }
}

function mapFinish(raw: string | undefined, calledTools: boolean): LlmFinishReason {
  if (calledTools) return 'tool_calls';
  if (raw === 'STOP') return 'stop';
  if (raw === 'MAX_TOKENS') return 'max_tokens';
  return 'other';
}

/** Gemini 1.x and 2.x do not require thought signatures; later models do. */
const requiresThoughtSignatures = (model: string): boolean => !/^gemini-[12]\./.test(model);

function toContents(messages: readonly LlmMessage[], needSignatures: boolean): Content[] {
  const contents: Content[] = [];
  // Gemini 3 checks signatures only in the current turn: after the last user message with text.
  const lastUserText = messages.reduce((last, m, i) => (m.role === 'user' && m.parts.some((p) => 'text' in p && p.text !== '') ? i : last), -1);
  messages.forEach((message, index) => {
    const parts: Part[] = [];
    let firstCall = true;
    for (const part of message.parts) {
      if ('text' in part) {
        if (part.text !== '') parts.push({ text: part.text });
      } else if ('functionCall' in part) {
        const call = part.functionCall;
        // The call's own signature (carried through the port), else the documented placeholder
        // where Gemini 3 checks one: the first call of a current-turn model message.
        const signature = call.signature ?? (firstCall && needSignatures && message.role === 'model' && index > lastUserText ? FOREIGN_THOUGHT_SIGNATURE : undefined);
        parts.push({ functionCall: { ...(call.id ? { id: call.id } : {}), name: call.name, args: { ...call.args } }, ...(signature ? { thoughtSignature: signature } : {}) });
        firstCall = false;
      } else {
        const r = part.functionResponse;
        parts.push({ functionResponse: { ...(r.id ? { id: r.id } : {}), name: r.name, response: { ...r.response } } });
      }
    }
    if (parts.length > 0) contents.push({ role: message.role, parts });
  });
  return contents;
}

function toFunctionDeclaration(tool: LlmToolDeclaration, sdk: Sdk): FunctionDeclaration {
  const p = tool.parameters;
  // Vertex AI refuses an OBJECT without properties: a tool without arguments declares none.
  const noArguments = p.type === 'object' && Object.keys(p.properties ?? {}).length === 0;
  return { name: tool.name, description: tool.description, ...(noArguments ? {} : { parameters: toSdkSchema(p, sdk) }) };
}

/** Our schema subset → the SDK's OpenAPI-style Schema (types upper-cased, key order kept). */
export function toSdkSchema(schema: LlmSchema, sdk: Pick<Sdk, 'Type'>): Schema {
  const types = { object: sdk.Type.OBJECT, array: sdk.Type.ARRAY, string: sdk.Type.STRING, number: sdk.Type.NUMBER, integer: sdk.Type.INTEGER, boolean: sdk.Type.BOOLEAN };
  const properties = schema.properties ? Object.entries(schema.properties) : undefined;
  return {
    type: types[schema.type],
    ...(schema.description ? { description: schema.description } : {}),
    ...(properties ? { properties: Object.fromEntries(properties.map(([k, v]) => [k, toSdkSchema(v, sdk)])), propertyOrdering: properties.map(([k]) => k) } : {}),
    ...(schema.required ? { required: [...schema.required] } : {}),
    ...(schema.items ? { items: toSdkSchema(schema.items, sdk) } : {}),
    ...(schema.enum ? { enum: [...schema.enum] } : {}),
    ...(schema.nullable !== undefined ? { nullable: schema.nullable } : {}),
  };
}

/** A fetch that notes the Retry-After of the last failed response (per attempt, so calls never share it). */
function retryAfterProbe(): { fetch: typeof fetch; retryAfterMs: () => number | undefined } {
  let retryAfterMs: number | undefined;
  return {
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      retryAfterMs = response.ok ? undefined : parseRetryAfter(response.headers.get('retry-after'), Date.now());
      return response;
    },
    retryAfterMs: () => retryAfterMs,
  };
}

/** `Retry-After`: delta-seconds or an HTTP date. Pure. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** google.rpc.RetryInfo in an error body (`"retryDelay": "12s"`), as Vertex AI sends with some 429s. */
function retryInfoDelayMs(errorBody: string): number | undefined {
  try {
    const parsed = JSON.parse(errorBody) as { error?: { details?: Array<{ retryDelay?: unknown }> } };
    for (const detail of parsed.error?.details ?? []) {
      const m = typeof detail.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay) : null;
      if (m) return Math.round(Number(m[1]) * 1000);
    }
  } catch {
    // not JSON: no RetryInfo
  }
  return undefined;
}

/** Classifies an SDK failure by type and status only; its message (the server's body) is read for RetryInfo, never kept. */
function classify(e: unknown, sdk: Sdk, retryAfterMs: number | undefined): Failure {
  if (e instanceof sdk.ApiError) {
    const wait = retryAfterMs ?? retryInfoDelayMs(e.message);
    return wait !== undefined ? { kind: 'http', status: e.status, retryAfterMs: wait } : { kind: 'http', status: e.status };
  }
  const err = (typeof e === 'object' && e !== null ? e : {}) as { name?: unknown; code?: unknown; cause?: unknown };
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return { kind: 'timeout' };
  if (e instanceof TypeError) {
    const cause = (typeof err.cause === 'object' && err.cause !== null ? err.cause : {}) as { code?: unknown; name?: unknown };
    if (cause.name === 'AbortError') return { kind: 'timeout' };
    return { kind: 'network', code: typeof cause.code === 'string' ? cause.code : 'fetch failed' };
  }
  if (e instanceof SyntaxError) return { kind: 'unreadable' };
  if (e instanceof Error && /^exception parsing stream chunk|^Incomplete JSON segment/.test(e.message)) return { kind: 'unreadable' };
  return { kind: 'client', name: e instanceof Error ? e.name : typeof e };
}
