import { beforeAll, describe, expect, it } from 'vitest';
import { runEval, untraceableFigures, type EvalReport, type TurnOutcome } from '../../eval/harness.js';
import { QUESTIONS } from '../../eval/questions.js';
import { formatReport } from '../../eval/report.js';
import { providersFrom } from '../../eval/run.js';
import { AppError } from '../../shared/domain/errors.js';
import type { Transaction } from '../../shared/domain/fi/types.js';
import type { Views } from '../../shared/ports/financial-store.js';
import { InMemoryConversationRepo, InMemoryFinancialStore } from '../support/memory-stores.js';

/**
 * The chat eval (eval/) run in full with both providers (about 3 s together), asserting what
 * must hold whatever the wording: no figure in a final answer that the turn's tools did not
 * give (checked by the grounding check re-run and by an independent recount against the
 * persona's analytics), unanswerable questions refused without figures, missing data said to
 * be missing, and the scripted model's planted errors never shown. Accuracy has a floor at
 * what the local rules achieve today (86 of 88 figures, 97.7%); the local misses are the two
 * follow-ups the rules cannot place alone ("and on UPI?", "how did it change over the last
 * month?": the local provider reads only the last question), listed in `npm run eval`.
 */

/** What the local provider achieves on the full question set (86/88 = 97.7%; 85/88 would fail): no regression allowed. */
const LOCAL_ACCURACY_FLOOR = 86 / 88;
/**
 * The scripted model shares the rules and reads follow-ups with the previous question; it
 * misses "and on UPI?" (read with "rent", whose rule wins) and D-fees, whose planted error
 * persists and costs the whole answer (86/88 = 97.7% today).
 */
const SCRIPTED_ACCURACY_FLOOR = 86 / 88;

const describeTurn = (t: TurnOutcome) => `${t.questionId}#${t.step} "${t.message}" → ${t.body.slice(0, 160)}`;

let local: EvalReport;
let scripted: EvalReport;

beforeAll(async () => {
  [local, scripted] = await Promise.all([runEval({ provider: 'local' }), runEval({ provider: 'scripted-gemini' })]);
}, 60_000);

describe.each([
  ['local', () => local],
  ['scripted-gemini', () => scripted],
] as const)('chat eval, %s provider', (name, report) => {
  it('asks every question, without a crash or a degraded answer', () => {
    const r = report();
    expect(r.turns).toHaveLength(QUESTIONS.reduce((n, q) => n + q.turns.length, 0));
    expect(r.totals.degraded).toBe(0);
    expect(r.turns.every((t) => (name === 'local' ? t.answer.includes('local rules provider') : !t.answer.includes('local rules provider')))).toBe(true);
  });

  it('leaves no ungrounded figure in any final answer (checker re-run, and an independent recount against the ground truth)', () => {
    const r = report();
    expect(r.turns.filter((t) => t.finalUngrounded.length > 0).map(describeTurn)).toEqual([]);
    expect(r.turns.filter((t) => t.untraceable.length > 0).map((t) => `${describeTurn(t)} [${t.untraceable.join(', ')}]`)).toEqual([]);
  });

  it('refuses every unanswerable question with no figures', () => {
    const wrong = report().turns.filter((t) => t.expect.kind === 'refusal' && !t.correct);
    expect(wrong.map(describeTurn)).toEqual([]);
  });

  it('says "not available", with no figures, for every question the persona has no data for', () => {
    const missing = report().turns.filter((t) => t.expect.kind === 'not-available');
    expect(missing.length).toBeGreaterThanOrEqual(8);
    expect(missing.filter((t) => !t.correct).map(describeTurn)).toEqual([]);
  });

  it('quotes the expected figure, as the tool gives it, at least as often as today', () => {
    const t = report().totals;
    expect(t.figureTurns).toBeGreaterThanOrEqual(80);
    expect(t.matched / t.figureTurns).toBeGreaterThanOrEqual(name === 'local' ? LOCAL_ACCURACY_FLOOR : SCRIPTED_ACCURACY_FLOOR);
  });

  it('answers rather than refuses an answerable question (the misses are questions the rules cannot place)', () => {
    const t = report().totals;
    expect(t.notRefused / t.figureTurns).toBeGreaterThanOrEqual(name === 'local' ? 0.96 : 0.98);
  });
});

describe('chat eval, planted errors (scripted Gemini over the fake REST server)', () => {
  it('speaks the real Gemini wire format: the fake refuses none of the SDK requests', () => {
    const w = scripted.wire!;
    expect(w.requests).toBeGreaterThan(scripted.totals.turns);
    expect(w.rejected).toBe(0);
    expect(w.steps.functionCalls + w.steps.answers + w.steps.declines + w.steps.retries).toBe(w.requests);
  });

  it('plants errors on every seventh turn and each one triggers the retry', () => {
    const p = scripted.plants!;
    expect(p.planted).toBeGreaterThanOrEqual(10);
    expect(p.retried).toBe(p.planted);
    expect(Object.keys(p.byKind).length).toBeGreaterThanOrEqual(4);
  });

  it('exercises both outcomes: corrected by the retry, and removed after it', () => {
    const p = scripted.plants!;
    expect(p.fixedByRetry).toBeGreaterThan(0);
    expect(p.removed).toBeGreaterThan(0);
    expect(p.fixedByRetry + p.removed).toBe(p.planted);
  });

  it('never lets a planted figure reach the final text', () => {
    const planted = scripted.turns.filter((t) => t.plant);
    expect(planted.filter((t) => t.plant!.reachedFinal || t.answer.includes(t.plant!.raw)).map(describeTurn)).toEqual([]);
    // Each was bad by the grounding check when planted, and the recount sees it too (it has teeth).
    for (const t of planted) expect(untraceableFigures(t.plant!.planted, t.persona)).toContain(t.plant!.raw);
  });

  it('keeps the local rules clean: nothing retried, nothing removed', () => {
    expect(local.totals.retried).toBe(0);
    expect(local.totals.checkerUngrounded).toBe(0);
  });

  it('prints a report with both tables and the CLI reads its providers', () => {
    expect(formatReport(scripted)).toMatch(/Planted errors .*: \d+ planted/);
    expect(formatReport(local)).toMatch(/^TOTAL +\| +\d+ \|/m);
    expect(providersFrom([])).toEqual(['local']);
    expect(providersFrom(['--provider', 'all'])).toEqual(['local', 'scripted-gemini']);
    expect(() => providersFrom(['--provider', 'openai'])).toThrow(/--provider must be/);
  });
});

// ---------------------------------------------------------------------------------------
// The in-memory stores the eval runs on: the semantics the chat tools rely on

const aTxn = (i: number, date: string): Transaction => ({ id: `t${String(i).padStart(4, '0')}`, kind: 'bank', accountKey: 'acct', date, direction: 'debit', type: 'DEBIT', amountPaise: 100 * (i + 1), currency: 'INR' });
const NO_VIEWS = { overview: {}, assets: {}, liabilities: {}, credit: {}, epf: {}, analytics: {} } as Views;
const DATA = { committedGen: 0, sources: {}, accounts: [], holdings: [], netWorth: null, creditReport: null, epf: null };

describe('InMemoryFinancialStore.transactions', () => {
  it('pages newest first, every visible transaction exactly once, with filters', async () => {
    const store = new InMemoryFinancialStore();
    const txns = Array.from({ length: 237 }, (_, i) => aTxn(i, `2026-${String(9 + (i % 3)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`));
    await store.stageTransactions('u', 1, 'fetch_bank_transactions', txns);
    await store.commit('u', { gen: 1, data: DATA, views: NO_VIEWS, snapshot: null });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await store.transactions('u', { limit: 50, ...(cursor ? { cursor } : {}) });
      seen.push(...res.items.map((t) => `${t.date}|${t.id}`));
      if (!res.nextCursor) break;
      cursor = res.nextCursor;
    }
    expect(seen).toHaveLength(237);
    expect(new Set(seen).size).toBe(237);
    expect(seen).toEqual([...seen].sort().reverse());
    const october = await store.transactions('u', { limit: 500, from: '2026-10-01', to: '2026-10-31' });
    expect(october.items.length).toBe(txns.filter((t) => t.date.startsWith('2026-10')).length);
    expect(october.items.every((t) => t.source === 'fetch_bank_transactions')).toBe(true);
    expect((await store.transactions('u', { limit: 10, kind: 'mf' })).items).toEqual([]);
  });

  it('keeps a staged generation invisible until it is committed, and refuses a foreign cursor', async () => {
    const store = new InMemoryFinancialStore();
    await store.stageTransactions('u', 1, 'fetch_bank_transactions', [aTxn(1, '2026-10-01')]);
    expect((await store.transactions('u', { limit: 10 })).items).toEqual([]);
    await store.commit('u', { gen: 1, data: DATA, views: NO_VIEWS, snapshot: null });
    expect((await store.transactions('u', { limit: 10 })).items).toHaveLength(1);
    expect(await store.stageTransactions('u', 2, 'fetch_bank_transactions', [aTxn(1, '2026-10-01'), aTxn(2, '2026-10-02')])).toEqual({ written: 1, unchanged: 1 });
    expect((await store.transactions('u', { limit: 10 })).items).toHaveLength(1);
    await expect(store.transactions('u', { limit: 10, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(AppError);
  });
});

describe('InMemoryConversationRepo', () => {
  it('returns the last messages in id order and counts every appended message', async () => {
    const repo = new InMemoryConversationRepo();
    const conv = { id: 'c1', title: 't', createdAt: '2026-11-23T00:00:00Z', updatedAt: '2026-11-23T00:00:00Z', messageCount: 2 };
    const msg = (n: number, role: 'user' | 'assistant') => ({ id: `m${String(n).padStart(6, '0')}-1-aa`, role, text: `${n}`, at: '2026-11-23T00:00:00Z' });
    await repo.append('u', conv, [msg(0, 'user'), msg(1, 'assistant')]);
    await repo.append('u', { ...conv, messageCount: 4 }, [msg(2, 'user'), msg(3, 'assistant')]);
    expect((await repo.messages('u', 'c1', 3)).map((m) => m.text)).toEqual(['1', '2', '3']);
    expect((await repo.get('u', 'c1'))?.messageCount).toBe(4);
    expect(await repo.delete('u', 'c1')).toBe(true);
    expect(await repo.get('u', 'c1')).toBeNull();
  });
});
