import { AppError } from '../../domain/errors.js';
import type { AiUsageEntry, AiUsageLedger } from '../../ports/ai-usage.js';
import type { Clock } from '../../ports/clock.js';
import type { LlmResponse } from '../../ports/llm.js';
import { istDate } from '../read-models.js';

export interface AiBudget {
  readonly ledger: AiUsageLedger;
  readonly clock: Clock;
  /** Tokens (input + output) per user per IST day. */
  readonly dailyTokens: number;
  readonly inputUsdPerMtok: number;
  readonly outputUsdPerMtok: number;
}

/**
 * Refuses a new piece of AI work when the user's tokens for today (IST) are used up. A turn
 * already under way may finish past the line (its calls are still recorded).
 * @throws AppError `AI.BUDGET_EXHAUSTED` (HTTP 429)
 */
export async function assertBudget(b: AiBudget, uid: string): Promise<void> {
  const day = await b.ledger.day(uid, istDate(b.clock.now()));
  const used = day.inputTokens + day.outputTokens;
  if (used >= b.dailyTokens) {
    throw new AppError('AI.BUDGET_EXHAUSTED', `You have used today's AI allowance (${b.dailyTokens.toLocaleString('en-IN')} tokens). It resets at midnight India time; your figures and dashboards still work.`);
  }
}

/** Records one model call in the ledger (tokens and estimated cost). */
export async function recordUsage(b: AiBudget, uid: string, purpose: AiUsageEntry['purpose'], r: Pick<LlmResponse, 'provider' | 'model' | 'usage'>): Promise<void> {
  const costUsd = r.provider === 'local' ? 0 : (r.usage.inputTokens * b.inputUsdPerMtok + r.usage.outputTokens * b.outputUsdPerMtok) / 1_000_000;
  await b.ledger.record(uid, istDate(b.clock.now()), {
    at: b.clock.now().toISOString(),
    provider: r.provider,
    model: r.model,
    purpose,
    inputTokens: r.usage.inputTokens,
    outputTokens: r.usage.outputTokens,
    costUsd: Math.round(costUsd * 1e6) / 1e6,
  });
}
