/**
 * `npm run bench:ai`: what a chat turn sends the model, and how long a turn takes, for the
 * largest persona (2222222222) over ten typical questions (the last a follow-up in the same
 * conversation, so history is sent). Prints figures; asserts nothing.
 * - Prompt size per turn: characters (and estimated tokens, characters / 4) of everything
 *   sent to the model over the turn's calls (system prompt, history, the question, tool
 *   declarations, tool calls and results), recorded by wrapping the Llm; versus a naive
 *   baseline that sends the system prompt, the raw Fi JSON of the persona's six tool files
 *   and the question in one call (ratio baseline / ours).
 * - Tool rounds and model calls per turn.
 * - Latency of a whole `chatTurn` with the local provider over in-memory stores: median of 5
 *   after one warm-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalLlm } from '../shared/adapters/local-llm/local.llm.js';
import { checkGrounding } from '../shared/domain/ai/grounding.js';
import { safeAnswer, untrustedText } from '../shared/domain/ai/untrusted.js';
import { FI_TOOLS } from '../shared/contracts/fi.js';
import type { LlmRequest } from '../shared/ports/llm.js';
import { CHAT_SYSTEM_PROMPT, chatTurn } from '../shared/usecases/ai/chat.usecase.js';
import { ASKED_AT, chatDeps, personaWorld, tickingClock } from '../eval/fixture.js';
import { median } from '../eval/harness.js';
import { RecordingLlm, type RecordedCall } from '../eval/recording-llm.js';
import { PERSONA_ROOT } from '../tests/support/persona-data.js';

const PHONE = '2222222222';
const QUESTIONS: ReadonlyArray<{ readonly message: string; readonly followUp?: boolean }> = [
  { message: 'What is my net worth?' },
  { message: 'What share of my portfolio is equity?' },
  { message: 'What is my portfolio XIRR?' },
  { message: 'How much did I spend on rent?' },
  { message: 'What is my savings rate?' },
  { message: 'What is my credit score?' },
  { message: 'What is my EPF balance?' },
  { message: 'How many months until I am debt-free with the avalanche method?' },
  { message: 'How has my net worth changed over the last month?' },
  { message: 'and my credit card utilisation?', followUp: true },
];

const tokens = (chars: number): number => Math.ceil(chars / 4);
const n = (x: number): string => Math.round(x).toLocaleString('en-IN');

/** Characters of a request by part: system prompt, tool declarations, earlier turns, the question, this turn's tool calls and results. */
function parts(r: LlmRequest): { system: number; declarations: number; history: number; question: number; toolTraffic: number } {
  // [earlier turns (text)..., the question, (tool calls, tool results)..., (answer, retry instruction)?]
  const firstTool = r.messages.findIndex((m) => m.parts.some((p) => 'functionCall' in p || 'functionResponse' in p));
  const isQuestion = (i: number) => r.messages[i]!.role === 'user' && r.messages[i]!.parts.every((p) => 'text' in p && !p.text.startsWith('Your answer quoted figures'));
  let q = firstTool === -1 ? r.messages.length - 1 : firstTool - 1;
  while (q > 0 && !isQuestion(q)) q--;
  const size = (from: number, to: number) => r.messages.slice(from, to).reduce((s, m) => s + JSON.stringify(m).length, 0);
  return {
    system: r.system.length,
    declarations: r.tools ? JSON.stringify(r.tools).length : 0,
    history: size(0, q),
    question: size(q, q + 1),
    toolTraffic: size(q + 1, r.messages.length),
  };
}

function turnSize(calls: readonly RecordedCall[]) {
  const sum = { system: 0, declarations: 0, history: 0, question: 0, toolTraffic: 0, total: 0, largestCall: 0 };
  for (const c of calls) {
    const p = parts(c.request);
    sum.system += p.system;
    sum.declarations += p.declarations;
    sum.history += p.history;
    sum.question += p.question;
    sum.toolTraffic += p.toolTraffic;
    sum.total += c.sentChars;
    sum.largestCall = Math.max(sum.largestCall, c.sentChars);
  }
  return sum;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}; persona ${PHONE}; local provider; in-memory stores`);
  const rawFiles = FI_TOOLS.map((tool) => {
    try {
      return readFileSync(join(PERSONA_ROOT, PHONE, `${tool}.json`), 'utf8');
    } catch {
      return '{}';
    }
  });
  const rawChars = rawFiles.reduce((s, f) => s + f.length, 0);
  const minifiedChars = rawFiles.reduce((s, f) => s + JSON.stringify(JSON.parse(f)).length, 0);
  console.log(`Raw Fi JSON of the persona's ${FI_TOOLS.length} tool files: ${n(rawChars)} chars (~${n(tokens(rawChars))} tokens); minified ${n(minifiedChars)} chars (~${n(tokens(minifiedChars))} tokens)`);

  // Prompt sizes: one pass over the questions in fresh stores, recording every call.
  const world = await personaWorld(PHONE);
  const clock = tickingClock(ASKED_AT);
  const llm = new RecordingLlm(new LocalLlm({ clock }));
  const deps = chatDeps(world, llm, clock);
  let conversationId: string | undefined;
  const rows: Array<{ q: string; ours: number; baseline: number; rounds: number; calls: number; size: ReturnType<typeof turnSize>; reportedInput: number }> = [];
  for (const q of QUESTIONS) {
    llm.take();
    const a = await chatTurn(deps, world.uid, { message: q.message, ...(q.followUp && conversationId ? { conversationId } : {}) });
    conversationId = a.conversationId;
    const calls = llm.take();
    const size = turnSize(calls);
    const baseline = CHAT_SYSTEM_PROMPT.length + rawChars + JSON.stringify([{ role: 'user', parts: [{ text: q.message }] }]).length;
    rows.push({ q: q.message, ours: size.total, baseline, rounds: a.toolRounds, calls: calls.length, size, reportedInput: a.usage.inputTokens });
  }

  console.log('\nPrompt size per chat turn (everything sent over the turn\'s model calls) vs the naive baseline (system prompt + raw Fi JSON + question, one call):');
  console.log('question | calls | rounds | ours chars (~tokens) | system | declarations | history | question | tool calls+results | largest call chars | baseline chars (~tokens) | baseline/ours');
  for (const r of rows) {
    const s = r.size;
    console.log(`${r.q} | ${r.calls} | ${r.rounds} | ${n(r.ours)} (~${n(tokens(r.ours))}) | ${n(s.system)} | ${n(s.declarations)} | ${n(s.history)} | ${n(s.question)} | ${n(s.toolTraffic)} | ${n(s.largestCall)} | ${n(r.baseline)} (~${n(tokens(r.baseline))}) | ${(r.baseline / r.ours).toFixed(1)}x`);
  }
  const ours = rows.map((r) => r.ours);
  const base = rows.map((r) => r.baseline);
  const ratio = rows.map((r) => r.baseline / r.ours);
  const declShare = rows.reduce((s, r) => s + r.size.declarations, 0) / rows.reduce((s, r) => s + r.ours, 0);
  console.log(`\nOurs per turn: median ${n(median(ours))} chars (~${n(tokens(median(ours)))} tokens), mean ${n(ours.reduce((a, b) => a + b, 0) / ours.length)} chars; tool declarations are ${(declShare * 100).toFixed(1)}% of it`);
  console.log(`Naive baseline per turn: median ${n(median(base))} chars (~${n(tokens(median(base)))} tokens)`);
  console.log(`Ratio baseline/ours: median ${median(ratio).toFixed(1)}x (min ${Math.min(...ratio).toFixed(1)}x, max ${Math.max(...ratio).toFixed(1)}x)`);
  console.log(`Input tokens as the provider counted them (chars/4 of each call): median ${n(median(rows.map((r) => r.reportedInput)))} per turn`);
  console.log(`Tool rounds per turn: mean ${(rows.reduce((s, r) => s + r.rounds, 0) / rows.length).toFixed(2)}, max ${Math.max(...rows.map((r) => r.rounds))}; model calls per turn: mean ${(rows.reduce((s, r) => s + r.calls, 0) / rows.length).toFixed(2)}`);

  // Latency: each question asked 1 + 5 times (fresh conversation each time, the follow-up in its conversation).
  console.log('\nchatTurn latency, local provider, in-memory stores (median of 5 after one warm-up):');
  const medians: number[] = [];
  const latencyDeps = chatDeps(world, new LocalLlm({ clock }), clock);
  for (const q of QUESTIONS) {
    const runs: number[] = [];
    for (let i = 0; i < 6; i++) {
      const first = q.followUp ? await chatTurn(latencyDeps, world.uid, { message: QUESTIONS[0]!.message }) : null;
      const t = performance.now();
      await chatTurn(latencyDeps, world.uid, { message: q.message, ...(first ? { conversationId: first.conversationId } : {}) });
      if (i > 0) runs.push(performance.now() - t);
    }
    medians.push(median(runs));
    console.log(`  ${q.message}: ${median(runs).toFixed(2)} ms (runs ${runs.map((x) => x.toFixed(2)).join(', ')})`);
  }
  console.log(`Median over the questions: ${median(medians).toFixed(2)} ms; slowest question ${Math.max(...medians).toFixed(2)} ms`);

  // The checks outside the model on hostile, very long text (the unit tests assert behaviour only).
  const hostile = `${'1,'.repeat(50_000)} ${'₹1.2 lakh '.repeat(5_000)} ${'a'.repeat(50_000)}@ ${'9'.repeat(50_000)}`;
  const markup = ['<!--'.repeat(20_000), '<script>'.repeat(20_000), `[${'a'.repeat(100_000)}`, `${'9'.repeat(100_000)},5`].join(' ');
  const typical = 'Your net worth is ₹95,17,979.47 (get_overview), up 2.5% in a month; you spend about ₹2.1 lakh a month. '.repeat(3);
  const timeIt = (f: () => unknown) => {
    f();
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      f();
      runs.push(performance.now() - t);
    }
    return median(runs);
  };
  console.log('\nGrounding and text safety (median of 5):');
  console.log(`  checkGrounding, a typical ${typical.length}-char answer: ${timeIt(() => checkGrounding(typical, [{ value: 9517979.47, unit: 'inr', path: 'x' }])).toFixed(3)} ms`);
  console.log(`  checkGrounding, ${hostile.length.toLocaleString('en-IN')} hostile chars: ${timeIt(() => checkGrounding(hostile, [{ value: 120000, unit: 'inr', path: 'x' }])).toFixed(1)} ms`);
  console.log(`  safeAnswer + untrustedText, ${markup.length.toLocaleString('en-IN')} chars of markup: ${timeIt(() => [safeAnswer(markup), untrustedText(markup)]).toFixed(1)} ms`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
