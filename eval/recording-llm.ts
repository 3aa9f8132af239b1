import type { Llm, LlmRequest, LlmResponse, LlmStreamEvent } from '../shared/ports/llm.js';

/** One model call as the use case made it. */
export interface RecordedCall {
  readonly request: LlmRequest;
  readonly response: LlmResponse;
  /** Characters of everything sent: system prompt, messages (history, tool calls and results) and tool declarations, as JSON. */
  readonly sentChars: number;
}

/** Characters a request sends the model (the system prompt as text, the rest as JSON). */
export const sentChars = (r: LlmRequest): number => r.system.length + JSON.stringify(r.messages).length + (r.tools ? JSON.stringify(r.tools).length : 0) + (r.responseSchema ? JSON.stringify(r.responseSchema).length : 0);

/**
 * An `Llm` that passes every call to another and keeps the request and response, so the
 * eval and the bench can see what a turn sent the model (tool results included). `take()`
 * hands over the calls since the last take.
 */
export class RecordingLlm implements Llm {
  private calls: RecordedCall[] = [];

  constructor(private readonly inner: Llm) {}

  get provider() {
    return this.inner.provider;
  }

  get model() {
    return this.inner.model;
  }

  async generate(request: LlmRequest): Promise<LlmResponse> {
    const response = await this.inner.generate(request);
    this.calls.push({ request, response, sentChars: sentChars(request) });
    return response;
  }

  async *stream(request: LlmRequest): AsyncIterable<LlmStreamEvent> {
    for await (const e of this.inner.stream(request)) {
      if (e.kind === 'done') this.calls.push({ request, response: e.response, sentChars: sentChars(request) });
      yield e;
    }
  }

  take(): RecordedCall[] {
    const out = this.calls;
    this.calls = [];
    return out;
  }
}

/** The tool results a turn gave the model, read back from the function responses it sent. */
export function toolResultsOf(calls: readonly RecordedCall[]): unknown[] {
  const last = calls[calls.length - 1];
  if (!last) return [];
  const out: unknown[] = [];
  for (const m of last.request.messages) {
    for (const p of m.parts) if ('functionResponse' in p) out.push(p.functionResponse.response['result'] ?? p.functionResponse.response);
  }
  return out;
}
