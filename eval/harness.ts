import { startFakeGemini } from '../dev/fake-gemini/server.js';
import { GeminiLlm } from '../shared/adapters/gemini/gemini.llm.js';
import { LocalLlm } from '../shared/adapters/local-llm/local.llm.js';
import { checkGrounding, extractFigures, groundValuesFrom, type Figure } from '../shared/domain/ai/grounding.js';
import { netWorthSeries, monthlyRollups, type NetWorthPeriod } from '../shared/domain/analytics/net-worth-history.js';
import type { Clock } from '../shared/ports/clock.js';
import type { Llm } from '../shared/ports/llm.js';
import { chatTurn, type ChatAnswer } from '../shared/usecases/ai/chat.usecase.js';
import { buildReadModels, istDate, snapshotOf } from '../shared/usecases/read-models.js';
import { ASKED_AT, chatDeps, personaWorld, replayedSnapshots, SYNCED_AT, tickingClock, type PersonaWorld } from './fixture.js';
import { QUESTIONS, truthOf, type Expectation, type ExpectedUnit, type Question, type QuestionCategory, type Truth } from './questions.js';
import { RecordingLlm, toolResultsOf } from './recording-llm.js';
import { ScriptedGeminiModel, type Plant } from './scripted-gemini.js';

/**
 * Runs the eval questions through the real `chatTurn` (tools over in-memory stores, the
 * grounding check, the retry, the footer) with one provider, and scores every turn against
 * the ground truth. Figures, not pass/fail: the caller decides what to assert.
 */

export type ProviderName = 'local' | 'scripted-gemini';
export const PROVIDERS: readonly ProviderName[] = ['local', 'scripted-gemini'];

/** Report categories: the question's, and `follow-up` for every turn after a conversation's first. */
export type ReportCategory = QuestionCategory | 'follow-up';

export interface TurnOutcome {
  readonly provider: ProviderName;
  readonly questionId: string;
  readonly persona: string;
  readonly category: ReportCategory;
  /** Position among all turns of the run (0-based), and within its conversation. */
  readonly turn: number;
  readonly step: number;
  readonly message: string;
  readonly expect: Expectation;
  /** The answer as the user sees it, and without the code-written footer. */
  readonly answer: string;
  readonly body: string;
  readonly degraded: boolean;
  readonly tools: readonly string[];
  readonly toolRounds: number;
  readonly modelCalls: number;
  readonly usage: ChatAnswer['usage'];
  /** As `chatTurn` reported it: `ungrounded` counts figures that failed after the retry (and were removed). */
  readonly grounding: ChatAnswer['grounding'];
  readonly figures: readonly Figure[];
  /** For a figure expectation: the figure of the answer that matched it, or null. */
  readonly matchedRaw: string | null;
  /** No figures, and words of refusal or of missing data. */
  readonly refused: boolean;
  readonly saysUnavailable: boolean;
  readonly correct: boolean;
  /** The grounding check re-run on the final text against this turn's tool results. */
  readonly finalUngrounded: readonly string[];
  /** Figures of the final text that match no ground-truth value (recounted without the checker). */
  readonly untraceable: readonly string[];
  readonly plant: (Plant & { readonly reachedFinal: boolean }) | null;
}

export interface Stats {
  readonly turns: number;
  readonly figureTurns: number;
  readonly matched: number;
  readonly correct: number;
  readonly unanswerable: number;
  readonly refusedUnanswerable: number;
  /** Of those, refused in so many words (not by the generic redirect). */
  readonly refusedExplicitly: number;
  /** Figure expectations answered rather than refused. */
  readonly notRefused: number;
  readonly missing: number;
  readonly saidUnavailable: number;
  /** Σ `grounding.ungrounded` (removed after a failed retry). */
  readonly checkerUngrounded: number;
  readonly retried: number;
  /** Σ ungrounded figures left in final texts (checker re-run). */
  readonly finalUngrounded: number;
  /** Σ untraceable figures in final texts (independent recount). */
  readonly untraceable: number;
  readonly degraded: number;
  readonly inputTokens: { readonly mean: number; readonly median: number };
  readonly outputTokens: { readonly mean: number; readonly median: number };
  readonly rounds: { readonly mean: number; readonly median: number; readonly max: number };
}

export interface PlantStats {
  readonly planted: number;
  readonly retried: number;
  readonly fixedByRetry: number;
  /** Still bad after the retry: the failing sentences were removed. */
  readonly removed: number;
  /** Removal left nothing, so the answer is the use case's "could not check" message. */
  readonly fallback: number;
  readonly reachedFinal: number;
  readonly byKind: Readonly<Record<string, number>>;
}

/** What went over the wire to the fake Gemini server (scripted-gemini only). */
export interface WireStats {
  readonly requests: number;
  /** Requests the fake refused as the real API would (401/400: bad auth, empty contents, missing thought signatures...). */
  readonly rejected: number;
  readonly steps: ScriptedGeminiModel['steps'];
}

export interface EvalReport {
  readonly provider: ProviderName;
  readonly model: string;
  readonly wire: WireStats | null;
  readonly turns: readonly TurnOutcome[];
  readonly byCategory: ReadonlyArray<readonly [ReportCategory, Stats]>;
  readonly totals: Stats;
  readonly plants: PlantStats | null;
  readonly elapsedMs: number;
}

// ---------------------------------------------------------------------------------------
// Reading answers

/** The footer `chatTurn` adds (data age, tools, provider label) is written by code; the rest is the model's. */
export const bodyOf = (answer: string): string => answer.replace(/\n\n_[^\n]*_\s*$/, '').trim();

/** Words of a refusal; the local rules' generic redirect ("I can answer questions about …") counts, and is told apart as not explicit. */
const REFUSAL = /\b(?:can(?:'|’)?t|cannot|can only answer|unable|not able|won(?:'|’)t|outside|I can answer questions about|not something)\b/i;
const EXPLICIT_REFUSAL = /\b(?:can(?:'|’)?t|cannot|can only answer|unable|not able|won(?:'|’)t)\b/i;
const UNAVAILABLE = /\b(?:no data|not available|isn(?:'|’)t available|unavailable|not (?:been )?(?:synced|linked|connected|granted)|don(?:'|’)t have|do not have|found nothing|nothing (?:for|on) (?:this|that))\b/i;

const UNIT_OK: Readonly<Record<ExpectedUnit, ReadonlyArray<Figure['unit']>>> = { inr: ['inr'], percent: ['percent'], months: ['months', 'years'], plain: ['plain'] };

/** A rupee figure in Indian style: lakh/crore words, or 1,23,456 grouping (or under a thousand). */
const indianStyle = (f: Figure): boolean => {
  if (f.unit !== 'inr') return true;
  if (/lakh|lac|crore|\bcr\b|\bL\b/i.test(f.raw)) return true;
  const digits = /\d[\d,]*(?:\.\d+)?/.exec(f.raw)?.[0] ?? '';
  const whole = digits.split('.')[0] ?? '';
  return Math.abs(f.value) < 1000 ? !whole.includes(',') : /^\d{1,2}(?:,\d{2})*,\d{3}$/.test(whole);
};

const inBase = (f: Figure, unit: ExpectedUnit): number => (unit === 'months' && f.unit === 'years' ? f.value * 12 : f.value);
/** Within half the shown precision (scaled the same way for years read as months); signs are carried by the wording. */
const near = (shown: number, step: number, value: number): boolean => Math.abs(Math.abs(shown) - Math.abs(value)) <= step / 2 + 1e-9 * Math.max(1, Math.abs(value));

/** The first figure of `figures` that is the expected one, in Indian formatting, within its shown precision. */
export function matchFigure(figures: readonly Figure[], expect: Extract<Expectation, { kind: 'figure' }>): Figure | null {
  return figures.find((f) => UNIT_OK[expect.unit].includes(f.unit) && indianStyle(f) && near(inBase(f, expect.unit), expect.unit === 'months' && f.unit === 'years' ? f.step * 12 : f.step, expect.value)) ?? null;
}

// ---------------------------------------------------------------------------------------
// The independent recount: every figure of an answer must trace to a value of the persona's data

type ValueUnit = 'inr' | 'percent' | 'months' | 'years' | 'plain';
interface TruthValue {
  readonly value: number;
  readonly unit: ValueUnit;
}

const unitOfTruthKey = (key: string): ValueUnit | 'paise' | null =>
  /Paise$/.test(key) ? 'paise' : /Rupees$/.test(key) ? 'inr' : /(?:^p|P)ercent$|Pp$/.test(key) ? 'percent' : /Months$|^months$/.test(key) ? 'months' : /Years$|^years$/.test(key) ? 'years' : null;

/** Every number in the persona's data and analytics (paise as rupees), array lengths as counts. */
function truthValues(t: Truth, extra: readonly unknown[]): TruthValue[] {
  const out: TruthValue[] = [];
  const walk = (node: unknown, unit: ValueUnit | 'paise' | null, depth: number): void => {
    if (depth > 30) return;
    if (typeof node === 'number' && Number.isFinite(node)) {
      out.push(unit === 'paise' ? { value: node / 100, unit: 'inr' } : { value: node, unit: unit ?? 'plain' });
      return;
    }
    if (Array.isArray(node)) {
      out.push({ value: node.length, unit: 'plain' });
      for (const x of node) walk(x, unit, depth + 1);
      return;
    }
    if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, unitOfTruthKey(k) ?? unit, depth + 1);
  };
  const { transactions, ...withoutRows } = t.input;
  walk(withoutRows, null, 0);
  walk(t.analytics, null, 0);
  for (const kind of ['bank', 'mf', 'stock'] as const) out.push({ value: transactions.filter((x) => x.kind === kind).length, unit: 'plain' });
  walk(extra, null, 0);
  return out;
}

function untraceable(figures: readonly Figure[], values: readonly TruthValue[]): string[] {
  return figures
    .filter((f) => {
      const ok = (v: TruthValue): boolean => {
        if (f.unit === 'plain') return near(f.value, f.step, v.value);
        if (f.unit === 'months') return (v.unit === 'months' && near(f.value, f.step, v.value)) || (v.unit === 'years' && near(f.value, f.step, v.value * 12));
        if (f.unit === 'years') return (v.unit === 'years' && near(f.value, f.step, v.value)) || (v.unit === 'months' && near(f.value, f.step, v.value / 12));
        return v.unit === f.unit && near(f.value, f.step, v.value);
      };
      return !values.some(ok);
    })
    .map((f) => f.raw);
}

/**
 * Also ground truth: the read models built from the persona (sums such as the holdings'
 * value), the net-worth series of every period the history tool offers, and the data's age
 * in days (answers say how old the data is).
 */
function derivedTruth(t: Truth): unknown[] {
  const data = { committedGen: 1, sources: {}, accounts: t.input.accounts, holdings: t.input.holdings, netWorth: t.input.netWorth, creditReport: t.input.creditReport, epf: t.input.epf };
  const views = buildReadModels(data, new Date(SYNCED_AT), t.input.transactions);
  const synced = snapshotOf(data, new Date(SYNCED_AT));
  const daily = [...replayedSnapshots(t.input, SYNCED_AT), ...(synced ? [synced] : [])];
  const today = istDate(new Date(ASKED_AT));
  const periods: NetWorthPeriod[] = ['1m', '3m', '6m', '1y', 'all'];
  const ageDays = Math.floor((Date.parse(ASKED_AT) - Date.parse(SYNCED_AT)) / 86_400_000);
  return [views, ...periods.map((p) => netWorthSeries(p, today, daily, monthlyRollups(daily))), ageDays];
}

const truthSetCache = new Map<string, TruthValue[]>();
const truthSetOf = (phone: string): TruthValue[] => {
  let values = truthSetCache.get(phone);
  if (!values) {
    const truth = truthOf(phone);
    values = truthValues(truth, derivedTruth(truth));
    truthSetCache.set(phone, values);
  }
  return values;
};

/** The independent recount on its own: figures of `text` that no value of persona `phone`'s data or analytics accounts for. */
export const untraceableFigures = (text: string, phone: string): string[] => untraceable(extractFigures(bodyOf(text)), truthSetOf(phone));

// ---------------------------------------------------------------------------------------
// Running

interface Provider {
  readonly llm: RecordingLlm;
  readonly scripted: ScriptedGeminiModel | null;
  wire(): WireStats | null;
  close(): Promise<void>;
}

async function providerFor(name: ProviderName, clock: Clock): Promise<Provider> {
  if (name === 'local') return { llm: new RecordingLlm(new LocalLlm({ clock })), scripted: null, wire: () => null, close: async () => undefined };
  const scripted = new ScriptedGeminiModel(clock);
  const fake = await startFakeGemini({ script: scripted.script });
  const gemini: Llm = new GeminiLlm({
    project: 'eval-project',
    location: 'asia-south1',
    model: 'gemini-3-flash',
    baseUrl: fake.url,
    timeoutMs: 10_000,
    maxRetries: 0,
    authClient: { getRequestHeaders: async () => new Headers({ Authorization: 'Bearer x' }) },
  });
  return {
    llm: new RecordingLlm(gemini),
    scripted,
    wire: () => ({ requests: fake.requests.length, rejected: fake.requests.filter((r) => r.rejected !== undefined).length, steps: { ...scripted.steps } }),
    close: () => fake.close(),
  };
}

export interface EvalOptions {
  readonly provider: ProviderName;
  /** Default: every question. */
  readonly questions?: readonly Question[];
}

/** Runs the questions with one provider; fresh stores for every run. Throws only on a crash. */
export async function runEval(options: EvalOptions): Promise<EvalReport> {
  const started = performance.now();
  const clock = tickingClock(ASKED_AT);
  const provider = await providerFor(options.provider, clock);
  const worlds = new Map<string, PersonaWorld>();
  const turns: TurnOutcome[] = [];
  let wire: WireStats | null = null;
  try {
    for (const q of options.questions ?? QUESTIONS) {
      let world = worlds.get(q.persona);
      if (!world) {
        world = await personaWorld(q.persona);
        worlds.set(q.persona, world);
      }
      const truth = truthOf(q.persona);
      const values = truthSetOf(q.persona);
      const deps = chatDeps(world, provider.llm, clock);
      let conversationId: string | undefined;
      for (const [step, t] of q.turns.entries()) {
        const turn = turns.length;
        const message = typeof t.message === 'string' ? t.message : t.message(truth);
        provider.scripted?.beginTurn(turn);
        provider.llm.take();
        const answer = await chatTurn(deps, world.uid, { message, ...(conversationId ? { conversationId } : {}) });
        conversationId = answer.conversationId;
        const calls = provider.llm.take();
        turns.push(score({ provider: options.provider, q, step, turn, message, expect: t.expect(truth), answer, calls: calls.length, results: toolResultsOf(calls), values, plant: provider.scripted?.plantOf(turn) ?? null }));
      }
    }
    wire = provider.wire();
  } finally {
    await provider.close();
  }
  return { provider: options.provider, model: provider.llm.model, wire, turns, byCategory: byCategory(turns), totals: stats(turns), plants: provider.scripted ? plantStats(turns) : null, elapsedMs: Math.round(performance.now() - started) };
}

function score(x: { provider: ProviderName; q: Question; step: number; turn: number; message: string; expect: Expectation; answer: ChatAnswer; calls: number; results: readonly unknown[]; values: readonly TruthValue[]; plant: Plant | null }): TurnOutcome {
  const { answer, expect } = x;
  const body = bodyOf(answer.answer);
  const figures = extractFigures(body);
  const noFigures = figures.length === 0;
  const refused = noFigures && (REFUSAL.test(body) || UNAVAILABLE.test(body));
  const saysUnavailable = noFigures && UNAVAILABLE.test(body);
  const matched = expect.kind === 'figure' ? matchFigure(figures, expect) : null;
  const correct = !answer.degraded && (expect.kind === 'figure' ? matched !== null : expect.kind === 'refusal' ? noFigures && REFUSAL.test(body) : saysUnavailable);
  const finalUngrounded = checkGrounding(body, groundValuesFrom(x.results)).ungrounded.map((f) => f.raw);
  return {
    provider: x.provider,
    questionId: x.q.id,
    persona: x.q.persona,
    category: x.step === 0 ? x.q.category : 'follow-up',
    turn: x.turn,
    step: x.step,
    message: x.message,
    expect,
    answer: answer.answer,
    body,
    degraded: answer.degraded,
    tools: answer.tools.map((t) => `${t.name}${t.ok ? '' : ' (failed)'}`),
    toolRounds: answer.toolRounds,
    modelCalls: x.calls,
    usage: answer.usage,
    grounding: answer.grounding,
    figures,
    matchedRaw: matched?.raw ?? null,
    refused,
    saysUnavailable,
    correct,
    finalUngrounded,
    untraceable: untraceable(figures, x.values),
    plant: x.plant ? { ...x.plant, reachedFinal: answer.answer.includes(x.plant.raw) || finalUngrounded.length > 0 } : null,
  };
}

// ---------------------------------------------------------------------------------------
// Aggregates

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
export function median(xs: readonly number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function stats(turns: readonly TurnOutcome[]): Stats {
  const figureTurns = turns.filter((t) => t.expect.kind === 'figure');
  const unanswerable = turns.filter((t) => t.expect.kind === 'refusal');
  const missing = turns.filter((t) => t.expect.kind === 'not-available');
  const inputs = turns.map((t) => t.usage.inputTokens);
  const outputs = turns.map((t) => t.usage.outputTokens);
  const rounds = turns.map((t) => t.toolRounds);
  return {
    turns: turns.length,
    figureTurns: figureTurns.length,
    matched: figureTurns.filter((t) => t.matchedRaw !== null).length,
    correct: turns.filter((t) => t.correct).length,
    unanswerable: unanswerable.length,
    refusedUnanswerable: unanswerable.filter((t) => t.correct).length,
    refusedExplicitly: unanswerable.filter((t) => t.correct && EXPLICIT_REFUSAL.test(t.body)).length,
    notRefused: figureTurns.filter((t) => !t.refused).length,
    missing: missing.length,
    saidUnavailable: missing.filter((t) => t.correct).length,
    checkerUngrounded: turns.reduce((n, t) => n + t.grounding.ungrounded, 0),
    retried: turns.filter((t) => t.grounding.retried).length,
    finalUngrounded: turns.reduce((n, t) => n + t.finalUngrounded.length, 0),
    untraceable: turns.reduce((n, t) => n + t.untraceable.length, 0),
    degraded: turns.filter((t) => t.degraded).length,
    inputTokens: { mean: mean(inputs), median: median(inputs) },
    outputTokens: { mean: mean(outputs), median: median(outputs) },
    rounds: { mean: mean(rounds), median: median(rounds), max: Math.max(0, ...rounds) },
  };
}

const CATEGORY_ORDER: readonly ReportCategory[] = ['net-worth', 'allocation', 'returns', 'spending', 'cash-flow', 'credit', 'epf', 'debt', 'history', 'follow-up', 'unanswerable', 'missing-data'];

function byCategory(turns: readonly TurnOutcome[]): Array<readonly [ReportCategory, Stats]> {
  return CATEGORY_ORDER.map((c) => [c, turns.filter((t) => t.category === c)] as const)
    .filter(([, ts]) => ts.length > 0)
    .map(([c, ts]) => [c, stats(ts)] as const);
}

function plantStats(turns: readonly TurnOutcome[]): PlantStats {
  const planted = turns.filter((t) => t.plant !== null);
  const byKind: Record<string, number> = {};
  for (const t of planted) byKind[`${t.plant!.kind}/${t.plant!.onRetry}`] = (byKind[`${t.plant!.kind}/${t.plant!.onRetry}`] ?? 0) + 1;
  return {
    planted: planted.length,
    retried: planted.filter((t) => t.grounding.retried).length,
    fixedByRetry: planted.filter((t) => t.grounding.retried && t.grounding.ungrounded === 0).length,
    removed: planted.filter((t) => t.grounding.ungrounded > 0).length,
    fallback: planted.filter((t) => t.grounding.ungrounded > 0 && t.figures.length === 0 && /could not check the figures/.test(t.body)).length,
    reachedFinal: planted.filter((t) => t.plant!.reachedFinal).length,
    byKind,
  };
}
