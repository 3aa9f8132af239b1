import type { FiTool } from '../contracts/fi.js';
import type { Clock } from '../ports/clock.js';
import type { FinancialStore } from '../ports/financial-store.js';
import type { InsightRepo } from '../ports/insights.js';
import { buildReadModels } from './read-models.js';

/**
 * Erases what was stored from `tools` and rebuilds every read model from what remains, so
 * no view keeps showing erased data. Insights were written from the data as a whole, so they
 * go too (the next sync writes new ones from what is still consented). Idempotent.
 */
export async function eraseFiData(deps: { store: FinancialStore; clock: Clock; insights?: Pick<InsightRepo, 'deleteAll'> }, uid: string, tools: readonly FiTool[]): Promise<void> {
  if (!tools.length) return;
  await deps.store.erase(uid, tools);
  await deps.insights?.deleteAll(uid);
  const data = await deps.store.read(uid);
  const transactions = await deps.store.allTransactions(uid, data.committedGen);
  await deps.store.commit(uid, { gen: data.committedGen, data, views: buildReadModels(data, deps.clock.now(), transactions), snapshot: null });
}
