import { intentOf, LocalLlm } from '../shared/adapters/local-llm/local.llm.js';
import { formatRupees } from '../shared/domain/ai/facts.js';
import { checkGrounding, extractFigures, groundValuesFrom, type Figure } from '../shared/domain/ai/grounding.js';
import type { Clock } from '../shared/ports/clock.js';
import type { LlmMessage, LlmPart, LlmRequest, LlmSchema, LlmToolDeclaration } from '../shared/ports/llm.js';
import type { FakeGeminiRequest, FakeGeminiStep } from '../dev/fake-gemini/server.js';

/**
 * A model played over the real Gemini wire format, for `startFakeGemini`'s function script.
 * It reads each request the SDK sent (system instruction, contents, function declarations),
 * turns it back into our `LlmRequest`, and answers with the local rules: a question →
 * `intentOf` → a functionCall step; function responses → a text answer quoting the tool
 * figures (`LocalLlm`). Unlike the local provider, it reads the conversation: a follow-up the
 * rules cannot place alone ("and on UPI?") is read together with the previous question.
 *
 * On a deterministic subset of turns (every `plantEvery`-th turn, or the next one with
 * figures) it plants a bad figure in its first text answer, so that the use case's grounding
 * retry and removal paths run: a wrong amount, a derived sum, or an unrounded number, in the
 * sentence with the real figures or in a sentence of its own. Asked to answer again, it
 * either corrects itself (`fix`) or repeats the bad answer (`persist`, so the failing
 * sentence must be removed).
 */

export type PlantKind = 'wrong-in-place' | 'derived-appended' | 'unrounded-appended' | 'wrong-appended';
const PLANT_KINDS: readonly PlantKind[] = ['wrong-in-place', 'derived-appended', 'unrounded-appended', 'wrong-appended'];

export interface Plant {
  readonly turn: number;
  readonly kind: PlantKind;
  readonly onRetry: 'fix' | 'persist';
  /** The planted figure as written. */
  readonly raw: string;
  /** The answer with the plant, and the one without it. */
  readonly planted: string;
  readonly clean: string;
}

/** The start of the use case's request to answer again (chat.usecase.ts). */
const RETRY_PROMPT = /^Your answer quoted figures that are not in this turn's tool results/;

type Json = Record<string, unknown>;

const lowerType = (t: unknown): LlmSchema['type'] => (typeof t === 'string' ? (t.toLowerCase() as LlmSchema['type']) : 'object');

function schemaOf(s: unknown): LlmSchema {
  const o = (s ?? {}) as Json;
  const props = o['properties'] as Record<string, unknown> | undefined;
  return {
    type: lowerType(o['type']),
    ...(props ? { properties: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, schemaOf(v)])) } : {}),
    ...(Array.isArray(o['enum']) ? { enum: o['enum'] as string[] } : {}),
  };
}

/** The SDK's request body as our port's request. */
export function requestFromBody(body: FakeGeminiRequest['body']): LlmRequest {
  const system = (body.systemInstruction?.parts ?? []).map((p) => p.text ?? '').join('');
  const messages: LlmMessage[] = (body.contents ?? []).map((c) => ({
    role: c.role === 'model' ? 'model' : 'user',
    parts: (c.parts ?? []).flatMap((p): LlmPart[] => {
      if (typeof p['text'] === 'string') return [{ text: p['text'] }];
      const call = p['functionCall'] as Json | undefined;
      if (call) return [{ functionCall: { name: String(call['name']), args: (call['args'] as Json | undefined) ?? {}, ...(typeof call['id'] === 'string' ? { id: call['id'] } : {}) } }];
      const response = p['functionResponse'] as Json | undefined;
      if (response) return [{ functionResponse: { name: String(response['name']), response: (response['response'] as Json | undefined) ?? {}, ...(typeof response['id'] === 'string' ? { id: response['id'] } : {}) } }];
      return [];
    }),
  }));
  const tools: LlmToolDeclaration[] = (body.tools ?? []).flatMap((t) =>
    (t.functionDeclarations ?? []).map((d) => ({ name: d.name, description: d.description ?? '', parameters: d.parameters ? schemaOf(d.parameters) : { type: 'object' as const, properties: {} } })),
  );
  return { system, messages, ...(tools.length ? { tools } : {}) };
}

const textOf = (m: LlmMessage | undefined): string => (m?.parts ?? []).map((p) => ('text' in p ? p.text : '')).join('');
const isQuestion = (m: LlmMessage): boolean => m.role === 'user' && textOf(m) !== '' && !RETRY_PROMPT.test(textOf(m));

/** A rupee figure moved by `factor`, formatted as the answers write rupees. */
function wrongRupees(f: Figure, factor: number): string {
  return formatRupees(Math.round(Math.abs(f.value) * factor));
}

export class ScriptedGeminiModel {
  private turn = -1;
  private plantsMade = 0;
  private owed = false;
  private readonly local: LocalLlm;
  readonly plants: Plant[] = [];
  /** Requests answered, by kind of answer. */
  readonly steps = { functionCalls: 0, answers: 0, declines: 0, retries: 0 };

  constructor(
    clock: Clock,
    private readonly plantEvery = 7,
  ) {
    this.local = new LocalLlm({ clock });
  }

  /** Call before each chat turn (0, 1, 2, ...). */
  beginTurn(turn: number): void {
    this.turn = turn;
    if ((turn + 1) % this.plantEvery === 0) this.owed = true;
  }

  /** The plant of the current turn, if it has one. */
  plantOf(turn: number): Plant | undefined {
    return this.plants.find((p) => p.turn === turn);
  }

  /** `startFakeGemini`'s function script. */
  readonly script = async (request: FakeGeminiRequest): Promise<FakeGeminiStep> => {
    const llmRequest = requestFromBody(request.body);
    const messages = llmRequest.messages;
    const last = messages[messages.length - 1];
    if (last && RETRY_PROMPT.test(textOf(last))) {
      this.steps.retries++;
      const plant = this.plantOf(this.turn);
      const previous = textOf(messages[messages.length - 2]);
      if (plant && previous.includes(plant.raw)) return { text: plant.onRetry === 'fix' ? plant.clean : plant.planted };
      // Not our plant (the local rules wrote something the check refused): say it without figures.
      return { text: 'I could not confirm those figures from the tool results, so I will leave them out.' };
    }
    if (last?.parts.some((p) => 'functionResponse' in p)) {
      const answer = await this.local.generate(llmRequest);
      this.steps.answers++;
      return { text: this.maybePlant(answer.text, llmRequest) };
    }
    const reply = await this.local.generate(this.withContext(llmRequest));
    if (reply.functionCalls.length) {
      this.steps.functionCalls++;
      return { functionCalls: reply.functionCalls.map((c) => ({ name: c.name, args: { ...c.args } })) };
    }
    this.steps.declines++;
    return { text: reply.text };
  };

  /**
   * The request to decide on: the last question alone, or, when the rules find no rule for
   * it and the conversation has an earlier question, the two together (as a model reading
   * the history would). A question the rules decline on principle stays declined.
   */
  private withContext(r: LlmRequest): LlmRequest {
    const questions = r.messages.filter(isQuestion);
    const question = textOf(questions[questions.length - 1]);
    const earlier = questions.length > 1 ? textOf(questions[questions.length - 2]) : '';
    const tools = r.tools ?? [];
    const alone = intentOf(question, tools);
    const combined = `${question} ${earlier}`;
    const text = earlier && alone.kind === 'decline' && alone.reason === 'no-rule' && intentOf(combined, tools).kind === 'call' ? combined : question;
    return { ...r, messages: [{ role: 'user', parts: [{ text }] }] };
  }

  /** Bad figures this answer could carry, each with the answer that carries it, in order of preference. */
  private candidates(kind: PlantKind, clean: string): Array<{ raw: string; planted: string }> {
    const all = extractFigures(clean);
    const rupees = all.filter((f) => f.unit === 'inr' && Math.abs(f.value) >= 100);
    const percents = all.filter((f) => f.unit === 'percent' && f.value !== 0);
    const first = rupees[0];
    const out: Array<{ raw: string; planted: string }> = [];
    switch (kind) {
      case 'wrong-in-place':
        if (first) for (const factor of [1.1, 1.37, 0.83]) {
          const raw = wrongRupees(first, factor);
          out.push({ raw, planted: clean.slice(0, first.index) + raw + clean.slice(first.index + first.raw.length) });
        }
        break;
      case 'derived-appended':
        for (let i = 0; i < rupees.length; i++) for (let j = i + 1; j < rupees.length; j++) {
          const raw = formatRupees(Math.abs(rupees[i]!.value) + Math.abs(rupees[j]!.value));
          out.push({ raw, planted: `${clean} Together that makes ${raw}.` });
        }
        break;
      case 'unrounded-appended': {
        const p = percents[0];
        const raw = p ? `${(Math.abs(p.value) + 0.0037).toFixed(4)}%` : first ? ((r) => (r.includes('.') ? `${r}12` : `${r}.4712`))(formatRupees(Math.abs(first.value))) : '';
        if (raw) out.push({ raw, planted: `${clean} Precisely, that works out to ${raw}.` });
        break;
      }
      case 'wrong-appended':
        if (first) for (const factor of [0.9, 1.25, 3]) {
          const raw = wrongRupees(first, factor);
          out.push({ raw, planted: `${clean} By my estimate that is ${raw}.` });
        }
        break;
    }
    return out;
  }

  private maybePlant(clean: string, r: LlmRequest): string {
    if (!this.owed) return clean;
    const allowed = groundValuesFrom(r.messages.flatMap((m) => m.parts.flatMap((p) => ('functionResponse' in p ? [p.functionResponse.response] : []))));
    const n = this.plantsMade;
    // Kinds in turn; the retry behaviour alternates in a pattern that pairs every kind with both.
    const order = [...PLANT_KINDS.slice(n % PLANT_KINDS.length), ...PLANT_KINDS.slice(0, n % PLANT_KINDS.length)];
    for (const kind of order) {
      const chosen = this.candidates(kind, clean).find((c) => checkGrounding(c.raw, allowed).ungrounded.length > 0);
      if (!chosen) continue;
      const onRetry: Plant['onRetry'] = (n + Math.floor(n / PLANT_KINDS.length)) % 2 === 0 ? 'fix' : 'persist';
      this.owed = false;
      this.plantsMade++;
      this.plants.push({ turn: this.turn, kind, onRetry, raw: chosen.raw, planted: chosen.planted, clean });
      return chosen.planted;
    }
    return clean;
  }
}
