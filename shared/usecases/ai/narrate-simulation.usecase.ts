import type { ToolResult } from '../../contracts/ai.js';
import { checkGrounding, groundValuesFrom, removeUngrounded } from '../../domain/ai/grounding.js';
import { safeAnswer } from '../../domain/ai/untrusted.js';
import { isAppError } from '../../domain/errors.js';
import type { SimulateRequest, SimulationResult } from '../../domain/analytics/simulate.js';
import type { Llm, LlmMessage } from '../../ports/llm.js';
import type { Logger } from '../../ports/logger.js';
import { reserveBudget, type AiBudget, type AiSpend } from './ai-budget.js';
import { assumptionItems, CHAT_TOOL_DECLARATIONS, figuresOf } from './chat-tools.js';
import { runSimulation, type RunSimulationDeps, type SimulationResponse } from '../simulate.usecase.js';

export interface NarrateDeps {
  readonly llm: Llm;
  readonly budget: AiBudget;
  readonly log: Logger;
}

export type Narrative =
  | { readonly text: string; readonly provider: 'gemini' | 'local'; readonly model: string; readonly grounding: { readonly figures: number; readonly ungrounded: number; readonly retried: boolean } }
  | { readonly text: null; readonly reason: string };

const SYSTEM = [
  "You explain the results of a personal-finance simulation to one user in India, in plain words, in under 120 words.",
  'The numbers were computed by code and are final: quote them exactly as the tool result gives them (rupees in Indian style, e.g. ₹1,23,456), never change, round differently, add up or invent figures.',
  'Say which assumptions matter most and that the Monte Carlo percentiles are a range of outcomes, not a promise. No links, images or HTML.',
].join('\n');

/** The simulation as a tool result: what the model may quote (figures) and the assumptions. */
export function simulationToolResult(result: SimulationResult, asOf: string | null): Extract<ToolResult, { ok: true }> {
  const r = result as unknown as Record<string, unknown>;
  return {
    ok: true,
    tool: 'run_simulation',
    asOf,
    sources: ['simulation'],
    figures: { ...figuresOf(r), ...figuresOf(r['monteCarlo'], 'monteCarlo') },
    items: assumptionItems(r['assumptions']),
  };
}

/**
 * The optional narrative of `POST /api/simulate`: the engine's numbers, explained by the model
 * and never changed by it. The result is handed over as a tool result; the narrative's every
 * figure must appear in it (one retry, then the failing sentences are dropped). The request's
 * own values count as sources here: they are the user's, not the model's. The model is asked
 * for text only (`toolChoice: 'none'`; the simulation call in the history is ours). Every call
 * is recorded, a failed one with the tokens it used. Any model failure, or an exhausted
 * budget, gives no narrative with a reason: the numbers stand alone.
 */
export async function narrateSimulation(deps: NarrateDeps, uid: string, request: SimulateRequest, result: SimulationResult, asOf: string | null): Promise<Narrative> {
  let spend: AiSpend;
  try {
    spend = await reserveBudget(deps.budget, uid, 'narration');
  } catch (e) {
    if (isAppError(e)) return { text: null, reason: e.message };
    throw e;
  }
  try {
    return await narrate(deps, spend, request, result, asOf);
  } finally {
    await spend.end();
  }
}

async function narrate(deps: NarrateDeps, spend: AiSpend, request: SimulateRequest, result: SimulationResult, asOf: string | null): Promise<Narrative> {
  const tool = simulationToolResult(result, asOf);
  const { narrate: _narrate, ...scenario } = request as SimulateRequest & { narrate?: boolean };
  const messages: LlmMessage[] = [
    { role: 'user', parts: [{ text: 'Explain the results of this simulation for me.' }] },
    { role: 'model', parts: [{ functionCall: { name: 'run_simulation', args: { scenario } } }] },
    { role: 'user', parts: [{ functionResponse: { name: 'run_simulation', response: { result: tool } } }] },
  ];
  const tools = CHAT_TOOL_DECLARATIONS.filter((d) => d.name === 'run_simulation');
  const allowed = groundValuesFrom([tool]);
  const generate = async (temperature: number) => {
    try {
      const r = await deps.llm.generate({ system: SYSTEM, messages, tools, toolChoice: 'none', temperature, maxOutputTokens: 512 });
      await spend.record(r);
      return r;
    } catch (e) {
      await spend.recordFailure(e, deps.llm);
      throw e;
    }
  };
  try {
    let r = await generate(0.2);
    let text = safeAnswer(r.text).text.trim();
    let check = checkGrounding(text, allowed);
    let retried = false;
    if (check.ungrounded.length) {
      retried = true;
      messages.push({ role: 'model', parts: [{ text }] }, { role: 'user', parts: [{ text: `These figures are not in the results: ${check.ungrounded.map((f) => f.raw).join(', ')}. Explain again quoting only figures exactly as the results give them.` }] });
      r = await generate(0);
      text = safeAnswer(r.text).text.trim();
      check = checkGrounding(text, allowed);
      if (check.ungrounded.length) text = removeUngrounded(text, check).trim();
    }
    if (!text) return { text: null, reason: 'the explanation could not be verified against the numbers' };
    if (check.ungrounded.length) deps.log.warn('simulation narrative figures removed', { ungrounded: check.ungrounded.length });
    return { text, provider: r.provider, model: r.model, grounding: { figures: check.figures.length, ungrounded: check.ungrounded.length, retried } };
  } catch (e) {
    if (isAppError(e) && e.code.startsWith('AI.')) {
      deps.log.warn('simulation narrative unavailable', { errorCode: e.code });
      return { text: null, reason: 'the explanation service is unavailable right now; the numbers above are complete' };
    }
    throw e;
  }
}

/**
 * `POST /api/simulate`: the simulation (from the user's consented figures where the request
 * leaves some out), plus its narrative when `narrate` is asked for. The model's dependencies
 * are built only then, so a plain simulation never loads the Gemini SDK.
 */
export async function simulateForUser(
  deps: RunSimulationDeps & { readonly narration: () => Promise<NarrateDeps> },
  uid: string,
  request: SimulateRequest & { readonly narrate?: boolean },
): Promise<SimulationResponse & { readonly narrative?: Narrative }> {
  const out = await runSimulation(deps, uid, request);
  if (!request.narrate) return out;
  return { ...out, narrative: await narrateSimulation(await deps.narration(), uid, request, out.result, out.data?.asOf ?? null) };
}
