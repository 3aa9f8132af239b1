/**
 * A language model, as our use cases need it: one turn of generation over a conversation,
 * with optional read-only tools (function calling) and an optional JSON response schema,
 * whole or streamed. Implementations: Gemini on Vertex AI (`shared/adapters/gemini`) and the
 * deterministic local provider (`shared/adapters/local-llm`), which needs no credentials.
 *
 * Errors are AppErrors: `AI.UNAVAILABLE` (timeouts, 5xx and 429 after retries; retryable),
 * `AI.BLOCKED` (the model refused on safety grounds), `AI.BAD_OUTPUT` (JSON that breaks the
 * schema, or nothing usable). Callers turn them into a clear message, never a 500. A
 * `AI.BLOCKED` or `AI.BAD_OUTPUT` from an answer the model did produce carries its tokens in
 * `options.usage` (they are billed), so callers record them as they record a response's.
 */

/** Which implementation answered; every response the user sees is labelled with it. */
export type LlmProvider = 'gemini' | 'local';

/** A JSON Schema subset (OpenAPI 3 style, as Gemini's `responseSchema` accepts). */
export interface LlmSchema {
  readonly type: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  readonly description?: string;
  readonly properties?: Readonly<Record<string, LlmSchema>>;
  readonly required?: readonly string[];
  readonly items?: LlmSchema;
  readonly enum?: readonly string[];
  readonly nullable?: boolean;
}

/** A tool the model may call; arguments are validated again by the tool itself. */
export interface LlmToolDeclaration {
  readonly name: string;
  readonly description: string;
  readonly parameters: LlmSchema;
}

export interface LlmFunctionCall {
  readonly id?: string;
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
  /**
   * Opaque provider data to send back with this call in the next request (Gemini 3's thought
   * signature). Callers pass function calls back unchanged; never shown, never stored.
   */
  readonly signature?: string;
}

export type LlmPart =
  | { readonly text: string }
  | { readonly functionCall: LlmFunctionCall }
  | { readonly functionResponse: { readonly id?: string; readonly name: string; readonly response: Readonly<Record<string, unknown>> } };

export interface LlmMessage {
  readonly role: 'user' | 'model';
  readonly parts: readonly LlmPart[];
}

export interface LlmRequest {
  /** Our instructions only: never user data, never third-party text. */
  readonly system: string;
  readonly messages: readonly LlmMessage[];
  readonly tools?: readonly LlmToolDeclaration[];
  /**
   * `none`: the model must answer in text and call no tool (the tools are still declared, so a
   * request whose history holds function calls stays valid). Default `auto`: it may call one.
   */
  readonly toolChoice?: 'auto' | 'none';
  /** Ask for JSON matching this schema (no tools then). */
  readonly responseSchema?: LlmSchema;
  readonly maxOutputTokens?: number;
  readonly temperature?: number;
}

export interface LlmUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export type LlmFinishReason = 'stop' | 'max_tokens' | 'safety' | 'tool_calls' | 'other';

export interface LlmResponse {
  readonly provider: LlmProvider;
  readonly model: string;
  /** The concatenated text parts ('' when the model only called tools). */
  readonly text: string;
  readonly functionCalls: readonly LlmFunctionCall[];
  readonly finishReason: LlmFinishReason;
  readonly usage: LlmUsage;
}

/** Streaming: text deltas as they come, then exactly one `done` with the whole response. */
export type LlmStreamEvent = { readonly kind: 'text'; readonly delta: string } | { readonly kind: 'done'; readonly response: LlmResponse };

export interface Llm {
  readonly provider: LlmProvider;
  readonly model: string;
  generate(request: LlmRequest): Promise<LlmResponse>;
  stream(request: LlmRequest): AsyncIterable<LlmStreamEvent>;
}
