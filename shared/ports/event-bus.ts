import type { TopicName, TopicPayload } from '../contracts/events.js';

export interface PublishOptions {
  /** String attributes carried beside the payload (never secrets). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Publishes domain events. Implementations validate the payload with the topic's schema. */
export interface EventBus {
  /**
   * @returns the message id assigned by the broker.
   * @throws AppError `VALIDATION.INVALID_INPUT` for a payload that breaks the topic schema,
   *   `DEPENDENCY.UNAVAILABLE` (retryable) when the broker cannot be reached.
   */
  publish<T extends TopicName>(topic: T, payload: TopicPayload<T>, options?: PublishOptions): Promise<string>;
}
