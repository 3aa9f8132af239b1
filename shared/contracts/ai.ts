import { z } from 'zod';

/**
 * Contracts of the AI features: the chat tools' names and result shape, the facts given to
 * the model, and the insight the model must return. Figures handed to a model are in rupees
 * (`...Rupees`, 2 decimals at most), percent (`...Percent`), months, years or plain counts;
 * the key's suffix names the unit, which is how the grounding check reads them back.
 */

/** The read-only tools the chat may call: an allowlist; anything else is refused. */
export const CHAT_TOOLS = [
  'get_overview',
  'get_holdings',
  'get_returns',
  'get_allocation',
  'get_transactions',
  'get_cash_flow',
  'get_credit',
  'get_epf',
  'get_debt_plan',
  'get_net_worth_history',
  'run_simulation',
] as const;
export type ChatToolName = (typeof CHAT_TOOLS)[number];

/** Scalar figures only: what answers quote. */
export type FigureValue = number | string | boolean | null;

/**
 * What a tool returns to the model. `figures` are the headline numbers (keys carry units:
 * `netWorthRupees`, `savingsRatePercent`, `emergencyFundMonths`); `items` are compact rows
 * (at most 25, third-party text capped and marked). Errors are results too, so the model can
 * read and explain them.
 */
export type ToolResult =
  | {
      readonly ok: true;
      readonly tool: ChatToolName;
      /** When the data behind it was fetched from Fi (ISO), null without data. */
      readonly asOf: string | null;
      /** Which Fi sources the figures come from. */
      readonly sources: readonly string[];
      readonly figures: Readonly<Record<string, FigureValue>>;
      readonly items?: ReadonlyArray<Readonly<Record<string, FigureValue>>>;
      readonly note?: string;
    }
  | { readonly ok: false; readonly tool: string; readonly error: string; readonly code: 'consent-required' | 'no-data' | 'invalid-arguments' | 'unknown-tool' | 'failed' };

/** One computed fact an insight may cite (figures as above). */
export interface Fact {
  /** Stable within a generation, e.g. `cashflow.savingsRatePercent`; insights cite these ids. */
  readonly id: string;
  readonly label: string;
  readonly value: FigureValue;
  /** `inr` figures are rupees. */
  readonly unit: 'inr' | 'percent' | 'months' | 'years' | 'count' | 'score' | 'days' | 'date' | 'text';
  readonly category: InsightCategory;
  /** `YYYY-MM-DD` or ISO; null when unknown. */
  readonly asOf: string | null;
  readonly source: string;
}

export const INSIGHT_CATEGORIES = ['spending', 'budget', 'investments', 'savings', 'debt', 'credit', 'epf'] as const;
export type InsightCategory = (typeof INSIGHT_CATEGORIES)[number];

/** What the model must return for insights (validated; then every number is checked against the facts). */
export const ModelInsight = z.strictObject({
  title: z.string().min(3).max(120),
  description: z.string().min(10).max(600),
  category: z.enum(INSIGHT_CATEGORIES),
  impact: z.enum(['positive', 'negative', 'neutral']),
  severity: z.enum(['info', 'low', 'medium', 'high']),
  confidence: z.number().min(0).max(1),
  /** Fact ids the insight rests on; at least one, each must exist. */
  sourceFactIds: z.array(z.string().max(100)).min(1).max(10),
  /** Days the insight stays relevant. */
  expiresInDays: z.number().int().min(1).max(90),
});
export type ModelInsight = z.infer<typeof ModelInsight>;

export const ModelInsights = z.strictObject({ insights: z.array(ModelInsight).max(10) });
export type ModelInsights = z.infer<typeof ModelInsights>;

/** `POST /api/chat`. */
export const ChatBody = z.strictObject({
  message: z
    .string({ error: 'expected the question as text' })
    .trim()
    .min(1, 'must not be empty')
    .max(2000, 'at most 2,000 characters')
    // A lone surrogate cannot be stored or sent on as UTF-8.
    .refine((s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s), 'must be valid Unicode text'),
  conversationId: z.string().regex(/^c[0-9a-f]{20}$/, 'expected a conversation id from a previous answer').optional(),
});
export type ChatBody = z.infer<typeof ChatBody>;

export const ConversationId = z.string().regex(/^c[0-9a-f]{20}$/, 'expected a conversation id');

/** `GET /api/insights` query. */
export const InsightsQuery = z.strictObject({
  category: z.enum(INSIGHT_CATEGORIES, { error: `expected one of ${INSIGHT_CATEGORIES.join(', ')}` }).optional(),
  limit: z.coerce.number({ error: 'expected a number' }).int('expected an integer').min(1, 'at least 1').max(50, 'at most 50').default(20),
});

/** `POST /api/insights/:id/actions`. */
export const InsightActionBody = z.discriminatedUnion(
  'action',
  [
    z.strictObject({ action: z.literal('dismiss') }),
    z.strictObject({ action: z.literal('implement') }),
    z.strictObject({ action: z.literal('snooze'), until: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 timestamp' }) }),
    z.strictObject({ action: z.literal('export') }),
  ],
  { error: 'expected action: dismiss, implement, snooze (with until) or export' },
);
export type InsightActionBody = z.infer<typeof InsightActionBody>;
