import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreAiUsageLedger } from '../../shared/adapters/firestore/firestore-ai-usage.ledger.js';
import { FirestoreConversationRepo } from '../../shared/adapters/firestore/firestore-conversation.repo.js';
import { FirestoreInsightRepo } from '../../shared/adapters/firestore/firestore-insight.repo.js';
import type { AiUsageEntry } from '../../shared/ports/ai-usage.js';
import type { Conversation, StoredChatMessage } from '../../shared/ports/conversations.js';
import type { StoredInsight } from '../../shared/ports/insights.js';
import { testFirestore, testProjectId } from '../support/emulator-env.js';

/** The AI features' Firestore adapters on their own, against the emulator: atomicity, order, isolation. */

let db: Firestore;
beforeAll(async () => {
  db = await testFirestore(testProjectId('ai-adapters'));
});
afterAll(async () => db?.terminate());

const anEntry = (over: Partial<AiUsageEntry> = {}): AiUsageEntry => ({ at: '2026-11-24T04:00:00.000Z', provider: 'gemini', model: 'gemini-3.8-flash', purpose: 'chat', inputTokens: 100, outputTokens: 20, costUsd: 0.0001, ...over });

const aConversation = (id: string, over: Partial<Conversation> = {}): Conversation => ({ id, title: 'A question', createdAt: '2026-11-24T04:00:00.000Z', updatedAt: '2026-11-24T04:00:00.000Z', messageCount: 2, ...over });
const aMessage = (position: number, role: StoredChatMessage['role'] = position % 2 ? 'assistant' : 'user', at = '2026-11-24T04:00:00.000Z'): StoredChatMessage => ({
  id: `m${String(position).padStart(6, '0')}-${Date.parse(at)}-${(position * 7919).toString(16).padStart(8, '0')}`,
  role,
  text: `message ${position}`,
  at,
});

const anInsight = (id: string, over: Partial<StoredInsight> = {}): StoredInsight => ({
  id,
  title: `Insight ${id}`,
  description: 'Something worth knowing about your money.',
  category: 'savings',
  impact: 'neutral',
  severity: 'info',
  confidence: 0.8,
  sources: [{ factId: 'networth.totalRupees', label: 'Net worth', value: 1000, asOf: '2026-11-24' }],
  provider: 'local',
  model: 'local-rules-v1',
  jobId: 'job-1',
  createdAt: '2026-11-24T04:00:00.000Z',
  expiresAt: '2026-12-24T04:00:00.000Z',
  status: 'active',
  ...over,
});

describe('FirestoreAiUsageLedger', () => {
  it('counts concurrent calls exactly, per user and day', async () => {
    const ledger = new FirestoreAiUsageLedger(db);
    await Promise.all(Array.from({ length: 25 }, (_, i) => ledger.record('u-ledger-1', '2026-11-24', anEntry({ inputTokens: 100 + i, outputTokens: 10, costUsd: 0.001 }))));
    const day = await ledger.day('u-ledger-1', '2026-11-24');
    expect(day).toMatchObject({ day: '2026-11-24', calls: 25, inputTokens: 25 * 100 + (24 * 25) / 2, outputTokens: 250 });
    expect(day.costUsd).toBeCloseTo(0.025, 9);
    expect((await db.collection('users/u-ledger-1/aiUsage/2026-11-24/calls').get()).size).toBe(25);
    expect(await ledger.day('u-ledger-1', '2026-11-25')).toEqual({ day: '2026-11-25', inputTokens: 0, outputTokens: 0, calls: 0, costUsd: 0, reserved: 0 });
    expect(await ledger.day('u-ledger-2', '2026-11-24')).toMatchObject({ calls: 0 });
  });

  it('reserves atomically: of concurrent reservations, only as many as the room allows are granted', async () => {
    const ledger = new FirestoreAiUsageLedger(db);
    await ledger.record('u-ledger-reserve', '2026-11-24', anEntry({ inputTokens: 999, outputTokens: 0 }));
    // 1 token of 1,000 left: ceil(1 / 4,000) = 1 grant.
    const one = await Promise.all(Array.from({ length: 10 }, () => ledger.reserve('u-ledger-reserve', '2026-11-24', 4_000, 1_000)));
    expect(one.filter(Boolean)).toHaveLength(1);
    expect(await ledger.day('u-ledger-reserve', '2026-11-24')).toMatchObject({ inputTokens: 999, reserved: 4_000 });

    // 10,000 of room, 3,000 each: ceil(10,000 / 3,000) = 4 grants.
    const many = await Promise.all(Array.from({ length: 10 }, () => ledger.reserve('u-ledger-room', '2026-11-24', 3_000, 10_000)));
    expect(many.filter(Boolean)).toHaveLength(4);
    expect((await ledger.day('u-ledger-room', '2026-11-24')).reserved).toBe(12_000);
  });

  it('turns a reservation into recorded usage on record, and frees the rest on release', async () => {
    const ledger = new FirestoreAiUsageLedger(db);
    expect(await ledger.reserve('u-ledger-hold', '2026-11-24', 4_000, 10_000)).toBe(true);
    const after = await ledger.record('u-ledger-hold', '2026-11-24', anEntry({ inputTokens: 1_000, outputTokens: 200 }), 1_200);
    expect(after).toMatchObject({ inputTokens: 1_000, outputTokens: 200, calls: 1, reserved: 2_800 });
    await ledger.release('u-ledger-hold', '2026-11-24', 2_800);
    expect(await ledger.day('u-ledger-hold', '2026-11-24')).toMatchObject({ reserved: 0, calls: 1 });
    // With the room used up by records, the next reservation is refused and holds nothing.
    await ledger.record('u-ledger-hold', '2026-11-24', anEntry({ inputTokens: 9_000, outputTokens: 0 }));
    expect(await ledger.reserve('u-ledger-hold', '2026-11-24', 4_000, 10_000)).toBe(false);
    expect((await ledger.day('u-ledger-hold', '2026-11-24')).reserved).toBe(0);
  });
});

describe('FirestoreConversationRepo', () => {
  it('returns the last messages oldest first, by position even when timestamps tie or run backwards', async () => {
    const repo = new FirestoreConversationRepo(db);
    const id = 'c00000000000000000001';
    // Positions 0..11; timestamps all equal, then one clock step backwards halfway.
    const messages = Array.from({ length: 12 }, (_, i) => aMessage(i, undefined, i < 6 ? '2026-11-24T04:00:00.000Z' : '2026-11-24T03:59:00.000Z'));
    for (let i = 0; i < messages.length; i += 2) await repo.append('u-conv-1', aConversation(id), messages.slice(i, i + 2));
    expect((await repo.messages('u-conv-1', id, 100)).map((m) => m.text)).toEqual(messages.map((m) => m.text));
    expect((await repo.messages('u-conv-1', id, 4)).map((m) => m.text)).toEqual(messages.slice(-4).map((m) => m.text));
    expect(await repo.messages('u-conv-2', id, 100)).toEqual([]);
  });

  it('counts the messages of turns that race on one conversation', async () => {
    const repo = new FirestoreConversationRepo(db);
    const id = 'c00000000000000000002';
    await Promise.all(Array.from({ length: 5 }, (_, i) => repo.append('u-conv-race', aConversation(id, { messageCount: 2 }), [aMessage(2 * i), aMessage(2 * i + 1)])));
    expect((await repo.get('u-conv-race', id))?.messageCount).toBe(10);
    expect(await repo.messages('u-conv-race', id, 100)).toHaveLength(10);
  });

  it('lists newest first, limited; deletes a conversation with its messages; other users see nothing', async () => {
    const repo = new FirestoreConversationRepo(db);
    for (const [i, at] of ['2026-11-20', '2026-11-22', '2026-11-21'].entries()) {
      await repo.append('u-conv-list', aConversation(`c0000000000000000001${i}`, { updatedAt: `${at}T00:00:00.000Z` }), [aMessage(0), aMessage(1)]);
    }
    expect((await repo.list('u-conv-list', 10)).map((c) => c.id)).toEqual(['c00000000000000000011', 'c00000000000000000012', 'c00000000000000000010']);
    expect(await repo.list('u-conv-list', 1)).toHaveLength(1);
    expect(await repo.list('u-conv-other', 10)).toEqual([]);
    expect(await repo.get('u-conv-other', 'c00000000000000000010')).toBeNull();
    expect(await repo.delete('u-conv-other', 'c00000000000000000010')).toBe(false);
    expect(await repo.delete('u-conv-list', 'c00000000000000000010')).toBe(true);
    expect((await db.collection('users/u-conv-list/conversations/c00000000000000000010/messages').get()).size).toBe(0);
    expect((await repo.list('u-conv-list', 10)).map((c) => c.id)).toEqual(['c00000000000000000011', 'c00000000000000000012']);
  });
});

describe('FirestoreInsightRepo', () => {
  it('stores each insight once, even when generations race, and never overwrites one the user acted on', async () => {
    const repo = new FirestoreInsightRepo(db);
    const batch = ['i1', 'i2', 'i3', 'i4'].map((id) => anInsight(id));
    const counts = await Promise.all(Array.from({ length: 5 }, () => repo.saveNew('u-ins-race', batch)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4);
    await repo.update('u-ins-race', 'i1', { status: 'dismissed', statusChangedAt: '2026-11-25T00:00:00.000Z' });
    expect(await repo.saveNew('u-ins-race', [anInsight('i1', { jobId: 'job-2' }), anInsight('i5')])).toBe(1);
    expect(await repo.get('u-ins-race', 'i1')).toMatchObject({ status: 'dismissed', jobId: 'job-1' });
  });

  it('lists live insights by category, newest first; deleteAll removes insights but keeps jobs', async () => {
    const repo = new FirestoreInsightRepo(db);
    await repo.saveNew('u-ins-list', [
      anInsight('a', { category: 'debt', createdAt: '2026-11-24T01:00:00.000Z' }),
      anInsight('b', { category: 'savings', createdAt: '2026-11-24T02:00:00.000Z' }),
      anInsight('c', { category: 'debt', createdAt: '2026-11-24T03:00:00.000Z' }),
      anInsight('d', { category: 'debt', expiresAt: '2026-11-24T05:00:00.000Z' }),
    ]);
    await repo.saveJob('u-ins-list', { jobId: 'job-1', status: 'succeeded', reason: 'user', requestedAt: '2026-11-24T00:00:00.000Z' });
    const now = '2026-11-24T06:00:00.000Z';
    expect((await repo.list('u-ins-list', { limit: 10, now })).map((i) => i.id)).toEqual(['c', 'b', 'a']);
    expect((await repo.list('u-ins-list', { category: 'debt', limit: 10, now })).map((i) => i.id)).toEqual(['c', 'a']);
    expect((await repo.list('u-ins-list', { category: 'debt', limit: 1, now })).map((i) => i.id)).toEqual(['c']);
    expect(await repo.list('u-ins-other', { limit: 10, now })).toEqual([]);
    await repo.deleteAll('u-ins-list');
    expect(await repo.list('u-ins-list', { limit: 10, now })).toEqual([]);
    expect(await repo.getJob('u-ins-list', 'job-1')).toMatchObject({ status: 'succeeded' });
  });
});
