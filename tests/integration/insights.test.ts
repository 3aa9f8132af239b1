import type { Firestore } from '@google-cloud/firestore';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGemini, type FakeGeminiScript } from '../../dev/fake-gemini/server.js';
import { scriptedGemini } from '../support/scripted-gemini.js';
import { FirestoreAiUsageLedger } from '../../shared/adapters/firestore/firestore-ai-usage.ledger.js';
import { FirestoreConsentRepo } from '../../shared/adapters/firestore/firestore-consent.repo.js';
import { FirestoreFinancialStore } from '../../shared/adapters/firestore/firestore-financial.store.js';
import { FirestoreInsightRepo } from '../../shared/adapters/firestore/firestore-insight.repo.js';
import { FirestoreUserRepo } from '../../shared/adapters/firestore/firestore-user.repo.js';
import { LocalLlm } from '../../shared/adapters/local-llm/local.llm.js';
import { INSIGHT_CATEGORIES, type Fact, type ModelInsight } from '../../shared/contracts/ai.js';
import type { ConsentScope } from '../../shared/contracts/consents.js';
import { InsightsRequestedV1, Topics } from '../../shared/contracts/events.js';
import { buildFacts, formatFigure, type AnalyticsLike, type OverviewLike } from '../../shared/domain/ai/facts.js';
import { checkGrounding, extractFigures, groundValuesFrom } from '../../shared/domain/ai/grounding.js';
import { AppError } from '../../shared/domain/errors.js';
import type { Llm } from '../../shared/ports/llm.js';
import type { StoredInsight } from '../../shared/ports/insights.js';
import { handleInsightsRequested, requestInsights } from '../../shared/usecases/ai/insight-jobs.usecase.js';
import { actOnInsight, generateInsights, INSIGHT_JOB_ERRORS, INSIGHTS_SYSTEM_PROMPT, type InsightsDeps } from '../../shared/usecases/ai/insights.usecase.js';
import { istDate } from '../../shared/usecases/read-models.js';
import { seedPersona, type SeededUser } from '../support/ai-fixtures.js';
import { testFirestore, testProjectId } from '../support/emulator-env.js';
import { ManualClock, MemoryLogger, RecordingBus } from '../support/in-memory.js';

/**
 * Insight generation against the real Firestore emulator: committed persona data, the real
 * repositories, the local provider and the real GeminiLlm over loopback to the fake Gemini
 * REST server (scripted JSON answers, malformed JSON, outages).
 */

const START = Date.parse('2026-11-24T04:00:00Z');
let db: Firestore;
let n = 0;
const fakes: FakeGemini[] = [];

beforeAll(async () => {
  db = await testFirestore(testProjectId('insights'));
});
afterAll(async () => db?.terminate());
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

function depsFor(llm: Llm, clock: ManualClock, options: { dailyTokens?: number; log?: MemoryLogger } = {}): InsightsDeps {
  return {
    llm,
    store: new FirestoreFinancialStore(db),
    consents: new FirestoreConsentRepo(db),
    insights: new FirestoreInsightRepo(db),
    budget: { ledger: new FirestoreAiUsageLedger(db), clock, dailyTokens: options.dailyTokens ?? 10_000_000, inputUsdPerMtok: 0.75, outputUsdPerMtok: 3.75 },
    clock,
    log: options.log ?? new MemoryLogger(),
  };
}

const gemini = (script: FakeGeminiScript) => scriptedGemini(script, fakes, { project: 'demo-insights' });

/** A fresh user with a persona's data, and the facts the use case will build from it. */
async function aUser(phone: string, clock: ManualClock, scopes?: readonly ConsentScope[]): Promise<{ user: SeededUser; facts: Fact[] }> {
  const user = await seedPersona(db, clock, `user-ins-${phone}-${++n}`, phone, scopes);
  const facts = buildFacts({ overview: user.views.overview as OverviewLike, analytics: user.views.analytics as AnalyticsLike }) as Fact[];
  return { user, facts };
}

const aJob = (jobId: string, clock: ManualClock) => ({ jobId, reason: 'user' as const, requestedAt: clock.now().toISOString() });
const allInsights = async (uid: string): Promise<StoredInsight[]> => (await db.collection(`users/${uid}/insights`).get()).docs.map((d) => d.data() as StoredInsight);

/** What every stored insight must satisfy: shape, cited facts as built, and only their figures quoted. */
function expectValid(insight: StoredInsight, facts: readonly Fact[]): void {
  const byId = new Map(facts.map((f) => [f.id, f]));
  expect(INSIGHT_CATEGORIES).toContain(insight.category);
  expect(['positive', 'negative', 'neutral']).toContain(insight.impact);
  expect(['info', 'low', 'medium', 'high']).toContain(insight.severity);
  expect(insight.confidence).toBeGreaterThanOrEqual(0);
  expect(insight.confidence).toBeLessThanOrEqual(1);
  expect(insight.title.length).toBeGreaterThanOrEqual(3);
  expect(insight.description.length).toBeGreaterThanOrEqual(10);
  expect(insight.sources.length).toBeGreaterThan(0);
  expect(insight.status).toBe('active');
  expect(Date.parse(insight.expiresAt)).toBeGreaterThan(Date.parse(insight.createdAt));
  const cited = insight.sources.map((s) => {
    const fact = byId.get(s.factId);
    expect(fact, `${insight.id} cites ${s.factId}`).toBeDefined();
    expect(s.value).toEqual(fact!.value);
    expect(s.label).toBe(fact!.label);
    return fact!;
  });
  const text = `${insight.title}\n${insight.description}`;
  const check = checkGrounding(text, groundValuesFrom(cited));
  expect(check.ungrounded.map((f) => f.raw), `${insight.title}: ${insight.description}`).toEqual([]);
  expect(text).not.toMatch(/https?:|www\.|!\[|\]\(|<[a-z]/i);
}

describe('generateInsights with the local provider', () => {
  it.each(['2222222222', '6666666666', '9000000010'])('persona %s: stored insights are valid, quote only their cited facts, and a rerun stores nothing new', async (phone) => {
    const clock = new ManualClock(START);
    const { user, facts } = await aUser(phone, clock);
    const deps = depsFor(new LocalLlm({ clock }), clock);
    const first = await generateInsights(deps, user.uid, aJob('job-first', clock));
    expect(first).toMatchObject({ provider: 'local', dropped: 0 });
    expect(first.stored).toBeGreaterThanOrEqual(3);
    expect(first.stored).toBe(first.generated);
    const stored = await allInsights(user.uid);
    expect(stored).toHaveLength(first.stored);
    for (const insight of stored) {
      expectValid(insight, facts);
      expect(insight).toMatchObject({ provider: 'local', model: 'local-rules-v1', jobId: 'job-first' });
    }
    expect(await deps.insights.getJob(user.uid, 'job-first')).toMatchObject({ status: 'succeeded', stored: first.stored, dropped: 0, provider: 'local', reason: 'user' });

    clock.advance(3_600_000);
    const again = await generateInsights(deps, user.uid, aJob('job-again', clock));
    expect(again).toMatchObject({ stored: 0, generated: first.generated, dropped: 0 });
    expect(await allInsights(user.uid)).toHaveLength(first.stored);
    expect(await deps.insights.getJob(user.uid, 'job-again')).toMatchObject({ status: 'succeeded', stored: 0 });
  });

  it('a user without synced data gets no insights and a job that says why', async () => {
    const clock = new ManualClock(START);
    const deps = depsFor(new LocalLlm({ clock }), clock);
    const out = await generateInsights(deps, 'user-ins-nodata', aJob('job-nodata', clock));
    expect(out).toMatchObject({ stored: 0, generated: 0, reason: 'no synced data yet' });
    expect(await deps.insights.getJob('user-ins-nodata', 'job-nodata')).toMatchObject({ status: 'succeeded', stored: 0, error: 'no synced data yet' });
  });

  it('refuses the model call when the day’s budget is spent: the job fails with the reason', async () => {
    const clock = new ManualClock(START);
    const { user } = await aUser('2222222222', clock);
    await new FirestoreAiUsageLedger(db).record(user.uid, istDate(clock.now()), { at: clock.now().toISOString(), provider: 'gemini', model: 'm', purpose: 'chat', inputTokens: 5_000, outputTokens: 0, costUsd: 0 });
    const { fake, llm } = await gemini([{ json: { insights: [] } }]);
    const out = await generateInsights(depsFor(llm, clock, { dailyTokens: 5_000 }), user.uid, aJob('job-budget', clock));
    expect(out.stored).toBe(0);
    expect(fake.requests).toHaveLength(0);
    expect(await new FirestoreInsightRepo(db).getJob(user.uid, 'job-budget')).toMatchObject({ status: 'failed', error: expect.stringMatching(/allowance/) });
  });
});

describe('consent at generation time', () => {
  it('sends nothing to the model once the consent has expired (the data is still there until swept)', async () => {
    const clock = new ManualClock(START);
    const { user } = await aUser('2222222222', clock);
    clock.advance(31 * 86_400_000);
    const { fake, llm } = await gemini([{ json: { insights: [] } }]);
    const out = await generateInsights(depsFor(llm, clock), user.uid, aJob('job-expired', clock));
    expect(out).toMatchObject({ stored: 0, reason: 'no active consent covers the data' });
    expect(fake.requests).toHaveLength(0);
    expect(await new FirestoreInsightRepo(db).getJob(user.uid, 'job-expired')).toMatchObject({ status: 'succeeded', error: 'no active consent covers the data' });
  });

  it('sends only the facts whose sources are consented', async () => {
    const clock = new ManualClock(START);
    const { user, facts } = await aUser('2222222222', clock, ['net_worth']);
    expect(facts.some((f) => f.source !== 'fetch_net_worth')).toBe(true);
    const { fake, llm } = await gemini([{ json: { insights: [] } }]);
    await generateInsights(depsFor(llm, clock), user.uid, aJob('job-partial', clock));
    const sent = JSON.stringify(fake.requests[0]!.body.contents);
    for (const f of facts) {
      if (f.source === 'fetch_net_worth') expect(sent).toContain(`"id\\":\\"${f.id}\\"`);
      else expect(sent, f.id).not.toContain(`\\"${f.id}\\"`);
    }
  });
});

describe('generateInsights with scripted Gemini answers', () => {
  /** Facts of the kinds the script quotes. */
  const pick = (facts: readonly Fact[]) => {
    const inr = facts.filter((f) => f.unit === 'inr' && typeof f.value === 'number' && Math.abs(f.value) >= 1000);
    const pct = facts.filter((f) => f.unit === 'percent' && typeof f.value === 'number');
    expect(inr.length).toBeGreaterThanOrEqual(2);
    expect(pct.length).toBeGreaterThanOrEqual(1);
    return { a: inr[0]!, b: inr[1]!, p: pct[0]! };
  };
  const show = (f: Fact) => formatFigure(f.value, f.unit);
  const anInsight = (over: Partial<ModelInsight> & Pick<ModelInsight, 'title' | 'description' | 'sourceFactIds'>): Record<string, unknown> => ({
    category: 'savings',
    impact: 'neutral',
    severity: 'info',
    confidence: 0.8,
    expiresInDays: 30,
    ...over,
  });

  it('keeps the grounded insights and drops the one with a wrong number, the one citing an unknown fact, the one with a link and the malformed one', async () => {
    const clock = new ManualClock(START);
    const { user, facts } = await aUser('2222222222', clock);
    const { a, b, p } = pick(facts);
    const script = {
      insights: [
        anInsight({ title: 'A figure worth knowing', description: `${a.label} stands at ${show(a)}, as computed from your data.`, sourceFactIds: [a.id] }),
        anInsight({ title: 'A rate worth watching', description: `${p.label} is ${show(p)} right now; keep an eye on it.`, sourceFactIds: [p.id], category: 'investments' }),
        anInsight({ title: 'A made-up number', description: `${a.label} stands at ₹1,11,11,111, which is not what we computed.`, sourceFactIds: [a.id] }),
        anInsight({ title: 'A number from a fact not cited', description: `${b.label} is ${show(b)}, but this insight cites only another fact.`, sourceFactIds: [p.id] }),
        anInsight({ title: 'An unknown fact', description: `Something about ${show(a)} that rests on a fact we never gave.`, sourceFactIds: [a.id, 'networth.imaginaryRupees'] }),
        anInsight({ title: 'A link to click', description: `${a.label} stands at ${show(a)}. [Read more](https://evil.example/claim) to improve it.`, sourceFactIds: [a.id] }),
        anInsight({ title: 'An image', description: `${a.label} stands at ${show(a)}. ![x](https://evil.example/p?d=1)`, sourceFactIds: [a.id] }),
        anInsight({ title: 'A bad severity', description: `${a.label} stands at ${show(a)} and this is critical.`, sourceFactIds: [a.id], severity: 'critical' as ModelInsight['severity'] }),
      ],
    };
    const { fake, llm } = await gemini([{ json: script }]);
    const log = new MemoryLogger();
    const out = await generateInsights(depsFor(llm, clock, { log }), user.uid, aJob('job-gemini', clock));

    expect(out).toEqual({ stored: 2, generated: 8, dropped: 6, provider: 'gemini' });
    const stored = await allInsights(user.uid);
    expect(stored.map((i) => i.title).sort()).toEqual(['A figure worth knowing', 'A rate worth watching']);
    for (const insight of stored) {
      expectValid(insight, facts);
      expect(insight).toMatchObject({ provider: 'gemini', model: 'gemini-3.8-flash' });
    }
    expect(await new FirestoreInsightRepo(db).getJob(user.uid, 'job-gemini')).toMatchObject({ status: 'succeeded', stored: 2, dropped: 6, provider: 'gemini' });
    expect(log.lines.some((l) => l.level === 'warn' && l.fields['dropped'] === 6)).toBe(true);

    // What went to the model: our instructions as the system prompt, the facts as the user's data, JSON mode.
    const request = fake.requests[0]!;
    expect((request.body.systemInstruction?.parts ?? []).map((x) => x.text).join('')).toBe(INSIGHTS_SYSTEM_PROMPT);
    expect(request.body.generationConfig).toMatchObject({ responseMimeType: 'application/json' });
    const userText = JSON.stringify(request.body.contents);
    expect(userText).toContain(a.id);
    // Usage recorded for the call, with a cost.
    const day = await new FirestoreAiUsageLedger(db).day(user.uid, istDate(clock.now()));
    expect(day.calls).toBe(1);
    expect(day.costUsd).toBeGreaterThan(0);
  });

  it('malformed JSON fails the job with the reason and stores nothing', async () => {
    const clock = new ManualClock(START);
    const { user } = await aUser('2222222222', clock);
    const { llm } = await gemini([{ malformedJson: true }]);
    const out = await generateInsights(depsFor(llm, clock), user.uid, aJob('job-malformed', clock));
    expect(out).toMatchObject({ stored: 0, provider: 'gemini' });
    expect(out.reason).toBe(INSIGHT_JOB_ERRORS.invalidJson);
    expect(await allInsights(user.uid)).toEqual([]);
    expect(await new FirestoreInsightRepo(db).getJob(user.uid, 'job-malformed')).toMatchObject({ status: 'failed', error: INSIGHT_JOB_ERRORS.invalidJson });
  });

  it('JSON of the wrong shape fails the job with the reason and stores nothing', async () => {
    const clock = new ManualClock(START);
    const { user } = await aUser('2222222222', clock);
    const { llm } = await gemini([{ json: { headline: 'not the schema' } }]);
    const out = await generateInsights(depsFor(llm, clock), user.uid, aJob('job-shape', clock));
    expect(out.stored).toBe(0);
    expect(await allInsights(user.uid)).toEqual([]);
    // Our phrase, not the schema's message (which would quote the model's keys).
    expect(await new FirestoreInsightRepo(db).getJob(user.uid, 'job-shape')).toMatchObject({ status: 'failed', error: INSIGHT_JOB_ERRORS.wrongShape });
  });

  it.each([401, 403, 404])('a configuration error (HTTP %i) fails the job with a fixed reason instead of redelivering forever; its usage is zero', async (status) => {
    const clock = new ManualClock(START);
    const { user } = await aUser('2222222222', clock);
    const { fake, llm } = await gemini([{ status }]);
    const out = await generateInsights(depsFor(llm, clock), user.uid, aJob(`job-config-${status}`, clock));
    expect(out).toMatchObject({ stored: 0, provider: 'gemini', reason: INSIGHT_JOB_ERRORS.misconfigured });
    expect(fake.requests).toHaveLength(1);
    expect(await new FirestoreInsightRepo(db).getJob(user.uid, `job-config-${status}`)).toMatchObject({ status: 'failed', error: INSIGHT_JOB_ERRORS.misconfigured });
    expect(await new FirestoreAiUsageLedger(db).day(user.uid, istDate(clock.now()))).toMatchObject({ calls: 0, reserved: 0 });
  });

  it('a blocked answer fails the job and still records the tokens it used', async () => {
    const clock = new ManualClock(START);
    const { user } = await aUser('2222222222', clock);
    const { llm } = await gemini([{ finishReason: 'SAFETY' }]);
    const out = await generateInsights(depsFor(llm, clock), user.uid, aJob('job-blocked', clock));
    expect(out).toMatchObject({ stored: 0, reason: INSIGHT_JOB_ERRORS.blocked });
    const day = await new FirestoreAiUsageLedger(db).day(user.uid, istDate(clock.now()));
    expect(day).toMatchObject({ calls: 1, reserved: 0 });
    expect(day.inputTokens).toBeGreaterThan(0);
  });

  it('an outage (503) is a retryable error, so the event is redelivered; nothing is stored', async () => {
    const clock = new ManualClock(START);
    const { user } = await aUser('2222222222', clock);
    const { fake, llm } = await gemini([{ status: 503 }]);
    const err = await generateInsights(depsFor(llm, clock), user.uid, aJob('job-outage', clock)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'DEPENDENCY.UNAVAILABLE', retryable: true });
    expect(fake.requests).toHaveLength(1);
    expect(await allInsights(user.uid)).toEqual([]);
    // The job does not claim to be running forever: it waits for the redelivery, saying why.
    expect(await new FirestoreInsightRepo(db).getJob(user.uid, 'job-outage')).toMatchObject({ status: 'queued', error: expect.stringMatching(/unavailable/) });
  });
});

describe('listing and acting on insights', () => {
  it('lists by category and limit, hides dismissed, implemented and snoozed ones (until the snooze ends), drops expired ones, and exports Markdown', async () => {
    const clock = new ManualClock(START);
    const { user, facts } = await aUser('6666666666', clock);
    const repo = new FirestoreInsightRepo(db);
    const deps = { insights: repo, clock };
    await generateInsights(depsFor(new LocalLlm({ clock }), clock), user.uid, aJob('job-list', clock));
    const now = () => clock.now().toISOString();
    const all = await repo.list(user.uid, { limit: 50, now: now() });
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const i of all) expectValid(i, facts);

    const categories = [...new Set(all.map((i) => i.category))];
    for (const category of categories) {
      const some = await repo.list(user.uid, { category, limit: 50, now: now() });
      expect(some.map((i) => i.id).sort()).toEqual(all.filter((i) => i.category === category).map((i) => i.id).sort());
    }
    expect(await repo.list(user.uid, { limit: 2, now: now() })).toEqual(all.slice(0, 2));

    const [first, second, third, fourth] = all as [StoredInsight, StoredInsight, StoredInsight, StoredInsight];
    expect((await actOnInsight(deps, user.uid, first.id, { action: 'dismiss' })).insight.status).toBe('dismissed');
    expect((await actOnInsight(deps, user.uid, second.id, { action: 'implement' })).insight.status).toBe('implemented');
    const until = new Date(clock.now().getTime() + 3_600_000).toISOString();
    expect((await actOnInsight(deps, user.uid, third.id, { action: 'snooze', until })).insight).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    const visible = (await repo.list(user.uid, { limit: 50, now: now() })).map((i) => i.id);
    expect(visible).not.toContain(first.id);
    expect(visible).not.toContain(second.id);
    expect(visible).not.toContain(third.id);
    expect(visible).toContain(fourth.id);
    expect(await repo.get(user.uid, first.id)).toMatchObject({ status: 'dismissed', statusChangedAt: now() });

    clock.advance(2 * 3_600_000);
    const later = (await repo.list(user.uid, { limit: 50, now: now() })).map((i) => i.id);
    expect(later).toContain(third.id);
    expect(later).not.toContain(first.id);

    const exported = await actOnInsight(deps, user.uid, fourth.id, { action: 'export' });
    expect(exported.export?.format).toBe('text/markdown');
    const md = exported.export!.content;
    expect(md.startsWith(`# ${fourth.title}\n`)).toBe(true);
    expect(md).toContain(fourth.description);
    expect(md).toContain('Based on:');
    for (const s of fourth.sources) expect(md).toContain(`- ${s.label}: ${String(s.value)}`);
    expect((await repo.get(user.uid, fourth.id))?.status).toBe('active');

    await expect(actOnInsight(deps, user.uid, 'i-not-there', { action: 'dismiss' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(actOnInsight(deps, 'user-someone-else', fourth.id, { action: 'export' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(actOnInsight(deps, user.uid, fourth.id, { action: 'snooze', until: new Date(START).toISOString() })).rejects.toMatchObject({ code: 'VALIDATION.INVALID_INPUT' });

    // Past every insight's expiry: nothing is listed, whatever its status.
    clock.advance(91 * 86_400_000);
    expect(await repo.list(user.uid, { limit: 50, now: now() })).toEqual([]);
  });
});

describe('insight jobs', () => {
  it('the weekly request fans out one event per user (paged), each keyed by the IST day', async () => {
    const fanDb = await testFirestore(testProjectId('fanout'));
    try {
      const clock = new ManualClock(START);
      const users = new FirestoreUserRepo(fanDb);
      const uids = ['user-fan-a', 'user-fan-b', 'user-fan-c', 'user-fan-d', 'user-fan-e'];
      for (const uid of uids) await users.ensure(uid, { email: `${uid}@example.com`, createdAt: clock.now().toISOString() });
      const bus = new RecordingBus();
      const log = new MemoryLogger();
      const out = await handleInsightsRequested({ ...depsFor(new LocalLlm({ clock }), clock, { log }), users, bus, pageSize: 2 }, { reason: 'weekly' });
      const jobId = `weekly-${istDate(clock.now())}`;
      expect(out).toEqual({ fannedOut: 5, jobId });
      expect(bus.published).toEqual(uids.map((uid) => ({ topic: Topics.insightsRequested, payload: { uid, jobId, reason: 'weekly' } })));
      for (const p of bus.published) expect(InsightsRequestedV1.safeParse(p.payload).success).toBe(true);
    } finally {
      await fanDb.terminate();
    }
  });

  it('a per-user request generates for that user under the job id it names', async () => {
    const clock = new ManualClock(START);
    const { user } = await aUser('2222222222', clock);
    const bus = new RecordingBus();
    const deps = { ...depsFor(new LocalLlm({ clock }), clock), users: new FirestoreUserRepo(db), bus };
    const out = await handleInsightsRequested(deps, { uid: user.uid, jobId: 'run-sync-1', reason: 'sync-completed' });
    expect(out).toMatchObject({ provider: 'local' });
    expect(bus.published).toEqual([]);
    expect(await deps.insights.getJob(user.uid, 'run-sync-1')).toMatchObject({ status: 'succeeded', reason: 'sync-completed' });
  });

  it('requestInsights records a queued job and publishes it', async () => {
    const clock = new ManualClock(START);
    const bus = new RecordingBus();
    const repo = new FirestoreInsightRepo(db);
    const job = await requestInsights({ insights: repo, bus, clock }, 'user-ins-request');
    expect(job).toMatchObject({ status: 'queued', reason: 'user', requestedAt: clock.now().toISOString() });
    expect(job.jobId).toMatch(/^user-[0-9a-f]{16}$/);
    expect(await repo.getJob('user-ins-request', job.jobId)).toEqual(job);
    expect(bus.published).toEqual([{ topic: Topics.insightsRequested, payload: { uid: 'user-ins-request', jobId: job.jobId, reason: 'user' } }]);
    expect(InsightsRequestedV1.safeParse(bus.published[0]!.payload).success).toBe(true);
  });
});

describe('the figures in stored insights', () => {
  it('every figure in a local insight is one of its cited facts, as the facts format it', async () => {
    const clock = new ManualClock(START);
    const { user, facts } = await aUser('9000000012', clock);
    await generateInsights(depsFor(new LocalLlm({ clock }), clock), user.uid, aJob('job-figures', clock));
    const byId = new Map(facts.map((f) => [f.id, f]));
    for (const insight of await allInsights(user.uid)) {
      const shown = insight.sources.map((s) => byId.get(s.factId)!).map((f) => formatFigure(f.value, f.unit));
      for (const figure of extractFigures(`${insight.title}\n${insight.description}`)) {
        if (figure.unit === 'plain' && Number.isInteger(figure.value) && Math.abs(figure.value) <= 10) continue;
        expect(shown.some((s) => s.includes(figure.raw.replace(/^-/, '')) || figure.raw.includes(s)), `${figure.raw} in "${insight.description}"`).toBe(true);
      }
    }
  });
});
