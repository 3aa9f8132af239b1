import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreConsentRepo } from '../../shared/adapters/firestore/firestore-consent.repo.js';
import { FirestoreConversationRepo } from '../../shared/adapters/firestore/firestore-conversation.repo.js';
import { FirestoreFinancialStore } from '../../shared/adapters/firestore/firestore-financial.store.js';
import { FirestoreInsightRepo } from '../../shared/adapters/firestore/firestore-insight.repo.js';
import { eraseFiData } from '../../shared/usecases/erase-fi-data.usecase.js';
import { runSimulation } from '../../shared/usecases/simulate.usecase.js';
import { testFirestore, testProjectId } from '../support/emulator-env.js';
import { seedPersona } from '../support/ai-fixtures.js';
import { ManualClock } from '../support/in-memory.js';

/**
 * What is derived from a user's data follows its consent: simulations take the user's own
 * figures only under an active consent, and erasing data (a revocation) takes the chat
 * conversations and insights built on it with it.
 */
let db: Firestore;
beforeAll(async () => {
  db = await testFirestore(testProjectId('derived'));
});
afterAll(async () => db?.terminate());

describe('derived data follows consent (Firestore emulator)', () => {
  it('a simulation uses the user’s figures under consent, and none once the consent has expired', async () => {
    const clock = new ManualClock(Date.parse('2026-11-24T04:00:00Z'));
    const user = await seedPersona(db, clock, 'user-derived-sim', '2222222222');
    const deps = { store: new FirestoreFinancialStore(db), consents: new FirestoreConsentRepo(db), clock };
    const under = await runSimulation(deps, user.uid, { type: 'emergency-fund' });
    expect(under.result.assumptions).toContainEqual(expect.objectContaining({ name: 'monthlyExpensesPaise', source: 'your data' }));

    clock.advance(31 * 86_400_000);
    // Without consent the figure is not known: the request must give it (400 at the edge).
    await expect(runSimulation(deps, user.uid, { type: 'emergency-fund' })).rejects.toMatchObject({ code: 'VALIDATION.INVALID_INPUT' });
    const given = await runSimulation(deps, user.uid, { type: 'emergency-fund', monthlyExpensesPaise: 50_000_00, currentLiquidPaise: 1_00_000_00, monthlySavingPaise: 20_000_00 });
    expect(given.result.assumptions.filter((a) => a.source === 'your data')).toEqual([]);
  });

  it('erasing data removes the conversations and insights derived from it', async () => {
    const clock = new ManualClock(Date.parse('2026-11-24T04:00:00Z'));
    const user = await seedPersona(db, clock, 'user-derived-erase', '2222222222');
    const conversations = new FirestoreConversationRepo(db);
    const insights = new FirestoreInsightRepo(db);
    const at = clock.now().toISOString();
    await conversations.append(user.uid, { id: 'c0123456789abcdef0123', title: 'net worth', createdAt: at, updatedAt: at, messageCount: 0 }, [
      { id: 'm000001-1', role: 'user', text: 'What is my net worth?', at },
      { id: 'm000002-1', role: 'assistant', text: 'Your net worth is ₹95,17,979.47 (get_overview).', at },
    ]);
    await insights.saveNew(user.uid, [
      { id: 'i0123', title: 'Emergency fund', description: 'You have 3.5 months of spending in liquid money.', category: 'savings', impact: 'neutral', severity: 'info', confidence: 0.8, sources: [], provider: 'local', model: 'm', jobId: 'job-000001', createdAt: at, expiresAt: '2027-01-01T00:00:00.000Z', status: 'active' },
    ]);
    expect(await conversations.list(user.uid, 10)).toHaveLength(1);

    await eraseFiData({ store: new FirestoreFinancialStore(db), clock, insights, conversations }, user.uid, ['fetch_credit_report']);
    expect(await conversations.list(user.uid, 10)).toEqual([]);
    expect(await conversations.messages(user.uid, 'c0123456789abcdef0123', 10)).toEqual([]);
    expect(await insights.list(user.uid, { limit: 10, now: at })).toEqual([]);
  });
});
