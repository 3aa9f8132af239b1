import { AppError, isAppError } from '../../domain/errors.js';
import type { AiUsageEntry, AiUsageLedger } from '../../ports/ai-usage.js';
import type { Clock } from '../../ports/clock.js';
import type { Llm, LlmResponse, LlmUsage } from '../../ports/llm.js';
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
 * Tokens reserved before a piece of AI work starts, by purpose: about what one such piece uses
 * (a chat turn: two or three calls of ~1,000 input tokens (prompt and tool declarations) plus
 * tool results and a short answer; insights: the facts prompt plus up to 2,048 output tokens;
 * a narration: one call, sometimes a retry, of up to 512 output tokens). The reservation only
 * decides admission: what the work really uses is recorded, whatever the estimate.
 */
export const RESERVED_TOKENS: Readonly<Record<AiUsageEntry['purpose'], number>> = { chat: 4_000, insights: 6_000, narration: 2_000 };

/** The usage of one piece of AI work: what it recorded, against the tokens it reserved. */
export interface AiSpend {
  /** Records one model response (tokens and estimated cost), using up the reservation first. */
  record(r: Pick<LlmResponse, 'provider' | 'model' | 'usage'>): Promise<void>;
  /**
   * Records the tokens a failed model call still used (the `usage` an `AI.*` AppError carries:
   * a blocked, withheld or unusable answer is billed). Returns them, or null when the error
   * carries none (timeouts, HTTP errors, anything else).
   */
  recordFailure(e: unknown, llm: Pick<Llm, 'provider' | 'model'>): Promise<LlmUsage | null>;
  /** Releases what is left of the reservation. Idempotent; call it in `finally`. */
  end(): Promise<void>;
}

/**
 * Admits a new piece of AI work for `uid` if today's (IST) tokens, recorded and reserved by
 * work under way, are below the daily limit, and reserves `RESERVED_TOKENS[purpose]` for it in
 * the same atomic step: concurrent requests cannot all pass one check. Work already admitted
 * may finish past the line (its calls are still recorded).
 * @throws AppError `AI.BUDGET_EXHAUSTED` (HTTP 429) when there is no room.
 */
export async function reserveBudget(b: AiBudget, uid: string, purpose: AiUsageEntry['purpose']): Promise<AiSpend> {
  const day = istDate(b.clock.now());
  const estimate = RESERVED_TOKENS[purpose];
  if (!(await b.ledger.reserve(uid, day, estimate, b.dailyTokens))) {
    throw new AppError('AI.BUDGET_EXHAUSTED', `You have used today's AI allowance (${b.dailyTokens.toLocaleString('en-IN')} tokens). It resets at midnight India time; your figures and dashboards still work.`);
  }
  let held = estimate;
  const record = async (r: Pick<LlmResponse, 'provider' | 'model' | 'usage'>): Promise<void> => {
    const now = b.clock.now();
    const today = istDate(now);
    const tokens = r.usage.inputTokens + r.usage.outputTokens;
    // Past midnight the reservation belongs to another day's document: it is released at the end.
    const release = today === day ? Math.min(held, tokens) : 0;
    held -= release;
    const costUsd = r.provider === 'local' ? 0 : (r.usage.inputTokens * b.inputUsdPerMtok + r.usage.outputTokens * b.outputUsdPerMtok) / 1_000_000;
    await b.ledger.record(
      uid,
      today,
      { at: now.toISOString(), provider: r.provider, model: r.model, purpose, inputTokens: r.usage.inputTokens, outputTokens: r.usage.outputTokens, costUsd: Math.round(costUsd * 1e6) / 1e6 },
      release,
    );
  };
  return {
    record,
    async recordFailure(e, llm) {
      const usage = isAppError(e) && e.code.startsWith('AI.') ? e.options.usage : undefined;
      if (!usage || usage.inputTokens + usage.outputTokens <= 0) return null;
      await record({ provider: llm.provider, model: llm.model, usage });
      return usage;
    },
    async end() {
      const rest = held;
      held = 0;
      if (rest > 0) await b.ledger.release(uid, day, rest);
    },
  };
}
