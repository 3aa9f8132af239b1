import type { z } from 'zod';
import { isAppError } from '../../shared/domain/errors.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { ClaimRequest, IdempotencyStore } from '../../shared/ports/idempotency.js';
import type { Logger } from '../../shared/ports/logger.js';
import { decodePubSubEvent, type IncomingCloudEvent } from './cloud-event.js';
import type { GetDeps } from '../deps.js';
import { reportStartupFailure } from './startup.js';

/** What every event function needs from the composition root. */
export interface EventRuntime {
  readonly log: Logger;
  readonly idempotency: IdempotencyStore;
  readonly clock: Clock;
  /** Events published longer ago than this are dropped (logged, acknowledged). */
  readonly maxAgeMs: number;
}

export interface EventContext {
  readonly eventId: string;
  /** A logger bound to the function name and the CloudEvent id. */
  readonly log: Logger;
}

export interface EventFunctionSpec<S extends z.ZodType> {
  readonly name: string;
  readonly schema: S;
  /** A key naming the effect itself, so a publisher retry (a new event id) is also deduped. */
  /** `undefined` for a payload whose effect is deduped downstream (e.g. a fan-out whose per-user events carry their own keys). */
  readonly businessKey?: (payload: z.infer<S>) => string | undefined;
  /** How long an unfinished claim blocks other deliveries; above the function timeout. */
  readonly leaseMs?: number;
  /** How long a done key is remembered. */
  readonly retainMs?: number;
  readonly handle: (payload: z.infer<S>, ctx: EventContext) => Promise<void>;
}

/**
 * An error that asks Pub/Sub to redeliver. Its stack is replaced by its message because
 * the functions framework prints `err.stack` for a thrown error, and stack traces (with
 * paths and internals) do not belong in our logs.
 */
export class RetryLater extends Error {
  constructor(readonly code: string) {
    super(`retry later: ${code}`);
    this.name = 'RetryLater';
    this.stack = this.message;
  }
}

const DEFAULT_LEASE_MS = 10 * 60_000;
const DEFAULT_RETAIN_MS = 7 * 24 * 3_600_000;

function businessKeys<S extends z.ZodType>(spec: EventFunctionSpec<S>, payload: z.infer<S>): string[] {
  const key = spec.businessKey?.(payload);
  return key === undefined ? [] : [`${spec.name}:${key}`];
}

const errorFields = (e: unknown): Record<string, unknown> =>
  isAppError(e)
    ? { errorCode: e.code, error: e.message, problems: e.problems }
    : { errorCode: 'INTERNAL', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };

/**
 * Wraps a use case as an idempotent Pub/Sub CloudEvent handler.
 *
 * Contract (Pub/Sub delivers at least once): returning acknowledges, throwing asks for a
 * redelivery. Malformed payloads, events older than `maxAgeMs` and permanent errors are
 * logged and acknowledged; transient errors release the claim and throw {@link RetryLater}.
 * The CloudEvent id and the business key are claimed together, atomically, before the
 * effect, so concurrent or repeated deliveries have one effect.
 */
export function eventFunction<S extends z.ZodType>(
  spec: EventFunctionSpec<S>,
  runtime: () => Promise<EventRuntime>,
): (event: IncomingCloudEvent) => Promise<void> {
  return async (event) => {
    let rt: EventRuntime;
    try {
      rt = await runtime();
    } catch (e) {
      // Not the event's fault: keep it for a redelivery once the service is fixed.
      reportStartupFailure(`event function ${spec.name}`, e);
      throw new RetryLater('SERVICE.MISCONFIGURED');
    }
    const eventId = typeof event.id === 'string' ? event.id.slice(0, 128) : 'unknown';
    const log = rt.log.child({ function: spec.name, eventId });

    let decoded;
    try {
      decoded = decodePubSubEvent(event, spec.schema);
    } catch (e) {
      log.warn('event dropped: malformed payload', errorFields(e));
      return;
    }
    const now = rt.clock.now().getTime();
    if (decoded.publishedAt && now - decoded.publishedAt.getTime() > rt.maxAgeMs) {
      log.warn('event dropped: too old', { publishedAt: decoded.publishedAt.toISOString(), maxAgeMs: rt.maxAgeMs });
      return;
    }

    const claim: ClaimRequest = {
      keys: [`event:${spec.name}:${decoded.id}`, ...businessKeys(spec, decoded.payload)],
      owner: decoded.id,
      leaseMs: spec.leaseMs ?? DEFAULT_LEASE_MS,
      retainMs: spec.retainMs ?? DEFAULT_RETAIN_MS,
    };
    let outcome;
    try {
      outcome = await rt.idempotency.claim(claim);
    } catch (e) {
      log.error('idempotency claim failed; will retry', errorFields(e));
      throw new RetryLater('DEPENDENCY.UNAVAILABLE');
    }
    if (outcome === 'duplicate') {
      log.info('event skipped: already handled');
      return;
    }
    if (outcome === 'in-progress') {
      log.info('event deferred: the same event is being handled');
      throw new RetryLater('EVENT.IN_PROGRESS');
    }

    try {
      await spec.handle(decoded.payload, { eventId: decoded.id, log });
    } catch (e) {
      if (isAppError(e) && !e.retryable) {
        log.warn('event failed permanently; acknowledged', errorFields(e));
        await rt.idempotency.complete(claim).catch((ce: unknown) => log.error('could not record completion', errorFields(ce)));
        return;
      }
      log.error('event failed; will retry', errorFields(e));
      await rt.idempotency.release(claim).catch((re: unknown) => log.error('could not release claim', errorFields(re)));
      throw new RetryLater(isAppError(e) ? e.code : 'INTERNAL');
    }
    try {
      await rt.idempotency.complete(claim);
    } catch (e) {
      // The effect happened; the claim will expire after its lease. Acknowledge.
      log.error('could not record completion', errorFields(e));
    }
    log.info('event handled');
  };
}


/** What every event function needs, from the process's dependencies (built on first event). */
export const eventRuntime = (getDeps: GetDeps) => async (): Promise<EventRuntime> => {
  const deps = getDeps();
  return { log: await deps.logger(), idempotency: await deps.idempotency(), clock: deps.clock, maxAgeMs: deps.config.eventMaxAgeMs };
};
