import type { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import { loadConfig, type Config } from '../shared/config/config.js';
import { systemClock, type Clock } from '../shared/ports/clock.js';
import type { AuditLog } from '../shared/ports/audit-log.js';
import type { EventBus } from '../shared/ports/event-bus.js';
import type { HealthProbe } from '../shared/ports/health.js';
import type { IdempotencyStore } from '../shared/ports/idempotency.js';
import type { Logger } from '../shared/ports/logger.js';
import type { SyncRunRepo } from '../shared/ports/sync-runs.js';
import type { ConsentRepo } from '../shared/ports/consents.js';
import type { ConnectionRepo } from '../shared/ports/connections.js';
import type { FinancialStore } from '../shared/ports/financial-store.js';
import type { FiSource } from '../shared/ports/fi-source.js';
import type { SecretBox } from '../shared/ports/key-wrapper.js';
import type { SecretSource } from '../shared/ports/secret-source.js';
import type { IdentityProvider, PreAuthStore } from '../shared/ports/identity.js';
import type { RateLimiter } from '../shared/ports/rate-limiter.js';
import { AppError } from '../shared/domain/errors.js';
import type { SessionPolicy, SessionStore, UserRepo } from '../shared/ports/sessions.js';
import type { Llm } from '../shared/ports/llm.js';
import type { ConversationRepo } from '../shared/ports/conversations.js';
import type { InsightRepo } from '../shared/ports/insights.js';
import type { AiBudget } from '../shared/usecases/ai/ai-budget.js';

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
  healthProbes(): Promise<readonly HealthProbe[]>;
  readonly sessionPolicy: SessionPolicy;
  sessions(): Promise<SessionStore>;
  users(): Promise<UserRepo>;
  consents(): Promise<ConsentRepo>;
  connections(): Promise<ConnectionRepo>;
  financial(): Promise<FinancialStore>;
  fiSource(): Promise<FiSource>;
  secrets(): Promise<SecretBox>;
  /** Deployment secrets by name (e.g. `oauth-client-secret`); values are never logged. */
  secretSource(): Promise<SecretSource>;
  /** Shared (cross-instance) request counters for the HTTP shell's rate limits. */
  rateLimiter(): Promise<RateLimiter>;
  identity(): Promise<IdentityProvider>;
  preAuth(): Promise<PreAuthStore>;
  /** Gemini (Vertex AI) or the deterministic local provider, per `config.ai.provider`. */
  llm(): Promise<Llm>;
  conversations(): Promise<ConversationRepo>;
  insights(): Promise<InsightRepo>;
  /** The per-user daily token budget and its ledger. */
  aiBudget(): Promise<AiBudget>;
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
  // Adapter modules (and the SDKs and libraries they pull in) load on first use, so a
  // cold start pays only for what the invoked function needs.
  const logger = lazy(async () => {
    const { createLogger } = await import('../shared/adapters/logging/winston-logger.js');
    return createLogger({ level: config.log.level, format: config.log.format, service: 'future-finance-ai', projectId: config.projectId, stream: overrides.logStream });
  });
  const firestore = lazy(async (): Promise<Firestore> => {
    const { createFirestore } = await import('../shared/adapters/firestore/client.js');
    return createFirestore({ projectId: config.projectId, emulatorHost: config.firestoreEmulatorHost });
  });
  const pubsub = lazy(async (): Promise<PubSub> => {
    const { createPubSub } = await import('../shared/adapters/pubsub/client.js');
    return createPubSub({ projectId: config.projectId, emulatorHost: config.pubsubEmulatorHost });
  });
  const eventBus = lazy(async (): Promise<EventBus> => {
    const { PubSubEventBus } = await import('../shared/adapters/pubsub/pubsub-event.bus.js');
    return new PubSubEventBus(await pubsub());
  });
  const idempotency = lazy(async (): Promise<IdempotencyStore> => {
    const { FirestoreIdempotencyStore } = await import('../shared/adapters/firestore/firestore-idempotency.store.js');
    return new FirestoreIdempotencyStore(await firestore(), clock);
  });
  const syncRuns = lazy(async (): Promise<SyncRunRepo> => {
    const { FirestoreSyncRunRepo } = await import('../shared/adapters/firestore/firestore-sync-run.repo.js');
    return new FirestoreSyncRunRepo(await firestore());
  });
  const audit = lazy(async (): Promise<AuditLog> => {
    const { FirestoreAuditLog } = await import('../shared/adapters/firestore/firestore-audit.log.js');
    return new FirestoreAuditLog(await firestore());
  });
  const probes = lazy(async (): Promise<HealthProbe[]> => {
    const { firestoreProbe, httpProbe, pubsubProbe } = await import('../shared/adapters/health-probes.js');
    return [
      firestoreProbe(firestore, config.firestoreEmulatorHost ?? 'google-cloud'),
      pubsubProbe(pubsub, config.pubsubEmulatorHost ?? 'google-cloud'),
      ...(config.isLocal && config.fiMcpUrl ? [httpProbe('fiMcp', new URL('/health', config.fiMcpUrl).toString())] : []),
      ...(config.isLocal && config.oidc.clientId ? [httpProbe('oidc', `${config.oidc.issuer}/.well-known/openid-configuration`)] : []),
    ];
  });
  const sessions = lazy(async (): Promise<SessionStore> => {
    const { FirestoreSessionStore } = await import('../shared/adapters/firestore/firestore-session.store.js');
    return new FirestoreSessionStore(await firestore());
  });
  const users = lazy(async (): Promise<UserRepo> => {
    const { FirestoreUserRepo } = await import('../shared/adapters/firestore/firestore-user.repo.js');
    return new FirestoreUserRepo(await firestore());
  });
  const consents = lazy(async (): Promise<ConsentRepo> => {
    const { FirestoreConsentRepo } = await import('../shared/adapters/firestore/firestore-consent.repo.js');
    return new FirestoreConsentRepo(await firestore());
  });
  const connections = lazy(async (): Promise<ConnectionRepo> => {
    const { FirestoreConnectionRepo } = await import('../shared/adapters/firestore/firestore-connection.repo.js');
    return new FirestoreConnectionRepo(await firestore());
  });
  const financial = lazy(async (): Promise<FinancialStore> => {
    const { FirestoreFinancialStore } = await import('../shared/adapters/firestore/firestore-financial.store.js');
    return new FirestoreFinancialStore(await firestore());
  });
  const fiSource = lazy(async (): Promise<FiSource> => {
    if (!config.fiMcpUrl) throw new AppError('DEPENDENCY.UNAVAILABLE', 'Fi MCP is not configured (FI_MCP_URL)', { retryable: false });
    const { FiMcpSource } = await import('../shared/adapters/fi-mcp/fi-mcp.source.js');
    return new FiMcpSource({ url: config.fiMcpUrl, logger: await logger() });
  });
  const secrets = lazy(async (): Promise<SecretBox> => {
    // Production wraps data keys with Cloud KMS (loadConfig requires KMS_KEY_NAME there);
    // local and test modes with the local keyring (loadConfig refuses KMS_KEY_NAME there).
    const { EnvelopeSecretBox } = await import('../shared/adapters/crypto/envelope.js');
    if (config.kmsKeyName) {
      const { KmsKeyWrapper } = await import('../shared/adapters/crypto/kms-key-wrapper.js');
      return new EnvelopeSecretBox(new KmsKeyWrapper({ keyName: config.kmsKeyName }));
    }
    if (!config.isLocal) throw new AppError('DEPENDENCY.UNAVAILABLE', 'no key wrapper is configured: set KMS_KEY_NAME', { retryable: false });
    const { LocalKeyWrapper } = await import('../shared/adapters/crypto/local-key-wrapper.js');
    return new EnvelopeSecretBox(new LocalKeyWrapper({ dir: config.localKeyDir }));
  });
  const secretSource = lazy(async (): Promise<SecretSource> => {
    // Secrets bound to the function by reference (Terraform secret_environment_variables)
    // arrive as environment variables; production reads any other from Secret Manager.
    // Local and test modes read the environment only and never reach Secret Manager.
    const { EnvFirstSecretSource, EnvSecretSource } = await import('../shared/adapters/secrets/env-secret.source.js');
    const env = new EnvSecretSource(process.env);
    if (config.isLocal) return env;
    const { SecretManagerSource } = await import('../shared/adapters/secrets/secret-manager.source.js');
    return new EnvFirstSecretSource(env, new SecretManagerSource({ projectId: config.projectId }));
  });
  const rateLimiter = lazy(async (): Promise<RateLimiter> => {
    const { FirestoreRateLimiter, assertGoogleCredentials } = await import('../shared/adapters/firestore/firestore-rate-limiter.js');
    if (!config.firestoreEmulatorHost) await assertGoogleCredentials();
    return new FirestoreRateLimiter(await firestore(), clock);
  });
  const sessionPolicy: SessionPolicy = { idleMs: config.session.idleMinutes * 60_000, absoluteMs: config.session.absoluteHours * 3_600_000 };
  const identity = lazy(async (): Promise<IdentityProvider> => {
    const o = config.oidc;
    if (!o.clientId || !o.redirectUri) throw new AppError('DEPENDENCY.UNAVAILABLE', 'sign-in is not configured (OIDC_CLIENT_ID, OIDC_REDIRECT_URI)', { retryable: false });
    const clientSecret = await (await secretSource()).get('oauth-client-secret');
    const { OidcIdentityProvider } = await import('../shared/adapters/oauth/oidc-identity.provider.js');
    return OidcIdentityProvider.create({
      issuer: o.issuer,
      clientId: o.clientId,
      clientSecret,
      redirectUri: o.redirectUri,
      authorizationEndpoint: o.authorizationEndpoint,
      tokenEndpoint: o.tokenEndpoint,
      pemCertsUrl: o.certsUrl,
    });
  });
  const preAuth = lazy(async (): Promise<PreAuthStore> => {
    const { FirestorePreAuthStore } = await import('../shared/adapters/firestore/firestore-preauth.store.js');
    return new FirestorePreAuthStore(await firestore());
  });
  const llm = lazy(async (): Promise<Llm> => {
    if (config.ai.provider === 'local') {
      const { LocalLlm } = await import('../shared/adapters/local-llm/local.llm.js');
      return new LocalLlm({ clock });
    }
    const { GeminiLlm } = await import('../shared/adapters/gemini/gemini.llm.js');
    const g = config.ai.gemini;
    // A local fake (loopback, local and test modes only) takes a static token: there are no credentials offline.
    const authClient = g.baseUrl && config.appEnv !== 'production' ? { getRequestHeaders: async () => new Headers({ Authorization: 'Bearer local-fake-gemini' }) } : undefined;
    return new GeminiLlm({ project: config.projectId, location: g.location, model: g.model, timeoutMs: g.timeoutMs, maxRetries: g.maxRetries, ...(g.baseUrl ? { baseUrl: g.baseUrl } : {}), ...(authClient ? { authClient } : {}) });
  });
  const conversations = lazy(async (): Promise<ConversationRepo> => {
    const { FirestoreConversationRepo } = await import('../shared/adapters/firestore/firestore-conversation.repo.js');
    return new FirestoreConversationRepo(await firestore());
  });
  const insights = lazy(async (): Promise<InsightRepo> => {
    const { FirestoreInsightRepo } = await import('../shared/adapters/firestore/firestore-insight.repo.js');
    return new FirestoreInsightRepo(await firestore());
  });
  const aiBudget = lazy(async (): Promise<AiBudget> => {
    const { FirestoreAiUsageLedger } = await import('../shared/adapters/firestore/firestore-ai-usage.ledger.js');
    return {
      ledger: new FirestoreAiUsageLedger(await firestore()),
      clock,
      dailyTokens: config.ai.dailyTokenBudget,
      inputUsdPerMtok: config.ai.usdPerMillionTokens.input,
      outputUsdPerMtok: config.ai.usdPerMillionTokens.output,
    };
  });
  return { config, clock, logger, eventBus, idempotency, syncRuns, audit, healthProbes: probes, sessionPolicy, sessions, users, consents, connections, financial, fiSource, secrets, secretSource, rateLimiter, identity, preAuth, llm, conversations, insights, aiBudget };
}

let instance: Deps | undefined;

/** The process-wide dependencies, from the environment, built on first call. */
export const getDeps: GetDeps = () => (instance ??= createDeps(loadConfig(process.env)));
