/**
 * Errors of the core carry a string code and no HTTP status: one mapper at each edge
 * (functions/platform) turns codes into responses. `retryable` tells event functions
 * whether a failure is transient (throw, so Pub/Sub redelivers) or permanent (log, ack).
 */
export type ErrorCode =
  | 'VALIDATION.INVALID_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'EVENT.MALFORMED'
  | 'EVENT.TOO_OLD'
  | 'EVENT.IN_PROGRESS'
  | 'DEPENDENCY.UNAVAILABLE'
  | 'CONSENT.REQUIRED'
  | 'FI.NOT_CONNECTED'
  | 'FI.LOGIN_REQUIRED'
  | 'AUTH.REQUIRED'
  | 'AUTH.STATE_MISMATCH'
  | 'AUTH.CODE_REJECTED'
  | 'AUTH.ID_TOKEN_INVALID'
  | 'AUTH.NONCE_MISMATCH'
  | 'AUTH.EMAIL_UNVERIFIED'
  | 'AUTH.REDIRECT_NOT_ALLOWED'
  | 'AUTH.PROVIDER_ERROR'
  | 'AI.UNAVAILABLE'
  | 'AI.BLOCKED'
  | 'AI.BAD_OUTPUT'
  | 'AI.BUDGET_EXHAUSTED'
  | 'INTERNAL';

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `message.data.uid`; empty for the whole input. */
  readonly field: string;
  readonly message: string;
}

/** Tokens a failed model call still used (billed), so callers can record them. */
export interface ErrorUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { readonly retryable?: boolean; readonly problems?: readonly FieldProblem[]; readonly cause?: unknown; readonly usage?: ErrorUsage } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get retryable(): boolean {
    return this.options.retryable ?? false;
  }

  get problems(): readonly FieldProblem[] {
    return this.options.problems ?? [];
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** A dependency (Firestore, Pub/Sub, Fi, Gemini) failed in a way worth retrying. */
export const unavailable = (what: string, cause?: unknown): AppError =>
  new AppError('DEPENDENCY.UNAVAILABLE', `${what} is unavailable`, { retryable: true, cause });
