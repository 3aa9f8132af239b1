import { FirestoreAuditLog } from '../shared/adapters/firestore/firestore-audit.log.js';
import { createFirestore } from '../shared/adapters/firestore/client.js';
import { FirestoreIdempotencyStore } from '../shared/adapters/firestore/firestore-idempotency.store.js';
import { FirestoreSyncRunRepo } from '../shared/adapters/firestore/firestore-sync-run.repo.js';
import { firestoreProbe, httpProbe, pubsubProbe } from '../shared/adapters/health-probes.js';
import { createLogger } from '../shared/adapters/logging/winston-logger.js';
import { createPubSub } from '../shared/adapters/pubsub/client.js';
import { PubSubEventBus } from '../shared/adapters/pubsub/pubsub-event.bus.js';
import { loadConfig, type Config } from '../shared/config/config.js';
import { systemClock, type Clock } from '../shared/ports/clock.js';
import type { AuditLog } from '../shared/ports/audit-log.js';
import type { EventBus } from '../shared/ports/event-bus.js';
import type { HealthProbe } from '../shared/ports/health.js';
import type { IdempotencyStore } from '../shared/ports/idempotency.js';
import type { Logger } from '../shared/ports/logger.js';
import type { SyncRunRepo } from '../shared/ports/sync-runs.js';

/**
 * The composition root: the only place that knows which adapter implements which port.
 * Nothing is built at import time; each dependency is built on first use and cached for
 * the instance, and a failed build is not cached, so the next request tries again.
 */
export interface Deps {
  readonly config: Config;
  readonly clock: Clock;
  logger(): Promise<Logger>;
  eventBus(): Promise<EventBus>;
  idempotency(): Promise<IdempotencyStore>;
  syncRuns(): Promise<SyncRunRepo>;
  audit(): Promise<AuditLog>;
  healthProbes(): readonly HealthProbe[];
}

export type GetDeps = () => Deps;

/** Caches a promise; drops it if it rejects so a later call can retry. */
export function lazy<T>(build: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    cached ??= build().catch((e: unknown) => {
      cached = undefined;
      throw e;
    });
    return cached;
  };
}

export interface DepsOverrides {
  readonly clock?: Clock;
  /** Where log lines go (tests collect them); defaults to stdout. */
  readonly logStream?: NodeJS.WritableStream;
}

export function createDeps(config: Config, overrides: DepsOverrides = {}): Deps {
  const clock = overrides.clock ?? systemClock;
  const logger = lazy(() =>
    createLogger({ level: config.log.level, format: config.log.format, service: 'future-finance-ai', projectId: config.projectId, stream: overrides.logStream }),
  );
  const firestore = lazy(() => createFirestore({ projectId: config.projectId, emulatorHost: config.firestoreEmulatorHost }));
  const pubsub = lazy(() => createPubSub({ projectId: config.projectId, emulatorHost: config.pubsubEmulatorHost }));
  const eventBus = lazy(async () => new PubSubEventBus(await pubsub()));
  const idempotency = lazy(async () => new FirestoreIdempotencyStore(await firestore(), clock));
  const syncRuns = lazy(async () => new FirestoreSyncRunRepo(await firestore()));
  const audit = lazy(async () => new FirestoreAuditLog(await firestore()));
  const probes: HealthProbe[] = [
    firestoreProbe(firestore, config.firestoreEmulatorHost ?? 'google-cloud'),
    pubsubProbe(pubsub, config.pubsubEmulatorHost ?? 'google-cloud'),
    ...(config.isLocal && config.fiMcpUrl ? [httpProbe('fiMcp', new URL('/health', config.fiMcpUrl).toString())] : []),
  ];
  return { config, clock, logger, eventBus, idempotency, syncRuns, audit, healthProbes: () => probes };
}

let instance: Deps | undefined;

/** The process-wide dependencies, from the environment, built on first call. */
export const getDeps: GetDeps = () => (instance ??= createDeps(loadConfig(process.env)));
