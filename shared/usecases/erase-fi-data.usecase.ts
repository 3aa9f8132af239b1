import type { FiTool } from '../contracts/fi.js';
import type { Clock } from '../ports/clock.js';
import type { FinancialStore } from '../ports/financial-store.js';
import type { InsightRepo } from '../ports/insights.js';
import type { ConversationRepo } from '../ports/conversations.js';
import { buildReadModels } from './read-models.js';

/**
 * Erases what was stored from `tools` and rebuilds every read model from what remains, so
 * no view keeps showing erased data. Insights and chat conversations were written from the
 * data as a whole (answers quote it, and a conversation's history goes back to the model), so
 * they go too; the next sync writes new insights from what is still consented. Idempotent.
 */
export async function eraseFiData(
  deps: { store: FinancialStore; clock: Clock; insights?: Pick<InsightRepo, 'deleteAll'>; conversations?: Pick<ConversationRepo, 'deleteAll'> },
  uid: string,
  tools: readonly FiTool[],
): Promise<void> {
  if (!tools.length) return;
  await deps.store.erase(uid, tools);
  await deps.insights?.deleteAll(uid);
  await deps.conversations?.deleteAll(uid);
  const data = await deps.store.read(uid);
  const transactions = await deps.store.allTransactions(uid, data.committedGen);
  await deps.store.commit(uid, { gen: data.committedGen, data, views: buildReadModels(data, deps.clock.now(), transactions), snapshot: null });
}
