import { FI_TOOLS, type FiTool } from '../contracts/fi.js';
import { Topics } from '../contracts/events.js';
import type { Connection, SyncRun } from '../contracts/documents.js';
import type { Account, CreditReportSummary, EpfResult, Holding, NetWorthSummary } from '../domain/fi/types.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { ConnectionRepo } from '../ports/connections.js';
import type { ConsentRepo } from '../ports/consents.js';
import type { EventBus } from '../ports/event-bus.js';
import type { FinancialData, FinancialStore, SourceState } from '../ports/financial-store.js';
import type { FiSource } from '../ports/fi-source.js';
import type { SecretBox } from '../ports/key-wrapper.js';
import type { Logger } from '../ports/logger.js';
import type { SyncRunRepo } from '../ports/sync-runs.js';
import { grantedTools } from './consents.usecase.js';
import { normaliseFiDocument } from './normalise-fi.js';
import { buildReadModels, snapshotOf } from './read-models.js';
import { eraseFiData } from './erase-fi-data.usecase.js';
import { FI_SESSION_PURPOSE, rethrowUnlessPermanent } from './fi-session.js';


export interface RunFiSyncDeps {
  readonly syncRuns: SyncRunRepo;
  readonly connections: ConnectionRepo;
  readonly consents: ConsentRepo;
  readonly store: FinancialStore;
  readonly fi: FiSource;
  readonly secrets: SecretBox;
  readonly bus: EventBus;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly log: Logger;
}

const TERMINAL = new Set<SyncRun['status']>(['succeeded', 'partial', 'failed']);

type RunSources = SyncRun['sources'];

/**
 * Runs one sync: fetches every consented Fi source over the user's stored MCP session,
 * normalises it, stages new transactions invisibly, then commits the new generation (small
 * documents, views, the day's snapshot) in one atomic batch. A source that fails keeps its
 * previous data; a source Fi reports as not connected (`{}`) is emptied. Consent is checked
 * now, at fetch time. Records the run's progress and outcome and publishes
 * `fi-sync-completed-v1`.
 *
 * Idempotent per run: a run already finished is left alone; a retry after a crash reuses the
 * same uncommitted generation, and staging writes only transactions not stored yet.
 * @throws retryable AppErrors (Firestore, Pub/Sub) so the event is redelivered.
 */
export async function runFiSync(deps: RunFiSyncDeps, uid: string, runId: string, requestedAt: string): Promise<SyncRun> {
  const started = deps.clock.now();
  const existing = await deps.syncRuns.get(uid, runId);
  if (existing && TERMINAL.has(existing.status)) {
    deps.log.info('sync run already finished', { runId, status: existing.status });
    return existing;
  }
  let run: SyncRun = { runId, status: 'running', requestedAt: existing?.requestedAt ?? requestedAt, startedAt: started.toISOString(), sources: {} };
  await deps.syncRuns.save(uid, run);

  const finish = async (status: SyncRun['status'], sources: RunSources, error?: { code: string; message: string }): Promise<SyncRun> => {
    const end = deps.clock.now();
    run = { ...run, status, sources, finishedAt: end.toISOString(), durationMs: end.getTime() - started.getTime(), ...(error ? { error } : {}) };
    await deps.syncRuns.save(uid, run);
    const summary = Object.fromEntries(Object.entries(sources).map(([t, s]) => [t, s.status]));
    deps.log.info('sync run finished', { runId, status, durationMs: run.durationMs, sources: summary });
    await deps.audit.append(uid, { at: end.toISOString(), action: 'sync.finished', cause: runId, details: { status } });
    try {
      await deps.bus.publish(Topics.syncCompleted, { uid, runId, status: status === 'succeeded' ? 'succeeded' : status === 'partial' ? 'partial' : 'failed', completedAt: end.toISOString() });
    } catch (e) {
      deps.log.warn('could not publish sync completed', { runId, error: e instanceof Error ? e.message : String(e) });
    }
    return run;
  };

  const connection = await deps.connections.get(uid, 'fi');
  if (!connection) return finish('failed', {}, { code: 'FI.NOT_CONNECTED', message: 'Fi is not linked: POST /api/connections/fi first' });
  const tools = grantedTools(await deps.consents.list(uid), deps.clock.now());
  if (!tools.length) return finish('failed', {}, { code: 'CONSENT.REQUIRED', message: 'No active consent covers any Fi data' });

  const sessionId = await deps.secrets.open(connection.session, { uid, purpose: FI_SESSION_PURPOSE }).catch(rethrowUnlessPermanent);
  if (!sessionId) return finish('failed', {}, { code: 'FI.NOT_CONNECTED', message: 'The stored Fi session cannot be opened: link Fi again' });
  const current = await deps.store.read(uid);
  const gen = current.committedGen + 1;
  const fetchedAt = deps.clock.now().toISOString();

  const sources: Record<string, RunSources[string]> = {};
  const states: Partial<Record<FiTool, SourceState>> = { ...current.sources };
  let next: {
    accounts: readonly Account[];
    holdings: readonly Holding[];
    netWorth: NetWorthSummary | null;
    creditReport: CreditReportSummary | null;
    epf: EpfResult | null;
  } = { accounts: current.accounts, holdings: current.holdings, netWorth: current.netWorth, creditReport: current.creditReport, epf: current.epf };
  /** Financial documents written by this run (transactions, small documents, views, snapshot, state). */
  let written = 0;
  let loginProblem: { status: Connection['status']; loginUrl?: string; reason: string } | undefined;

  for (const tool of FI_TOOLS) {
    if (!tools.includes(tool)) {
      sources[tool] = { status: 'skipped', reason: 'no consent' };
      continue;
    }
    if (loginProblem) {
      sources[tool] = { status: 'failed', reason: loginProblem.reason };
      continue;
    }
    // Progress: the run shows each source as it completes.
    if (Object.keys(sources).length) await deps.syncRuns.save(uid, { ...run, sources: { ...sources } });
    const outcome = await deps.fi.fetchTool(sessionId, tool);
    switch (outcome.kind) {
      case 'document': {
        const slice = normaliseFiDocument(tool, outcome.document);
        if (slice.kind === 'net_worth') next = { ...next, accounts: slice.result.accounts, holdings: slice.result.holdings, netWorth: slice.result.netWorth };
        else if (slice.kind === 'credit') next = { ...next, creditReport: slice.result.reports[0] ?? null };
        else if (slice.kind === 'epf') next = { ...next, epf: slice.result };
        else {
          const staged = await deps.store.stageTransactions(uid, gen, tool, slice.result.transactions);
          written += staged.written;
          deps.log.debug('transactions staged', { tool, ...staged });
        }
        sources[tool] = { status: 'ok', count: slice.count, ...(slice.skipped ? { reason: `${slice.skipped} rows skipped` } : {}) };
        states[tool] = { status: 'ok', fetchedAt, count: slice.count };
        break;
      }
      case 'not-connected': {
        if (tool === 'fetch_net_worth') next = { ...next, accounts: [], holdings: [], netWorth: null };
        if (tool === 'fetch_credit_report') next = { ...next, creditReport: null };
        if (tool === 'fetch_epf_details') next = { ...next, epf: null };
        sources[tool] = { status: 'empty', count: 0 };
        states[tool] = { status: 'empty', fetchedAt, count: 0 };
        break;
      }
      case 'login_required':
        loginProblem = { status: 'login_required', loginUrl: outcome.loginUrl, reason: 'Fi login required' };
        sources[tool] = { status: 'failed', reason: loginProblem.reason };
        break;
      case 'session-expired':
        loginProblem = { status: 'error', reason: 'Fi session expired: link Fi again' };
        sources[tool] = { status: 'failed', reason: loginProblem.reason };
        break;
      default: {
        const reason = outcome.kind === 'failed' ? outcome.reason : `${outcome.kind}: ${outcome.reason}`;
        sources[tool] = { status: 'failed', reason: reason.slice(0, 300) };
        states[tool] = { ...(current.sources[tool] ?? {}), status: 'failed', reason: reason.slice(0, 300) };
      }
    }
  }

  const data: FinancialData = { committedGen: gen, sources: states, ...next };
  const now = deps.clock.now();
  const transactions = await deps.store.allTransactions(uid, gen);
  const snapshot = snapshotOf(data, now);
  written += (await deps.store.commit(uid, { gen, data, views: buildReadModels(data, now, transactions), snapshot })).written;
  run = { ...run, documentsWritten: written };
  // Derived work on the committed generation: the month's net-worth rollup and fresh insights.
  // Both have scheduled catch-ups (monthly, weekly), so a failed publish is logged, not fatal.
  const follow: Array<Promise<unknown>> = [
    ...(snapshot ? [deps.bus.publish(Topics.netWorthRollup, { uid, runId })] : []),
    deps.bus.publish(Topics.insightsRequested, { uid, jobId: runId, reason: 'sync-completed' }),
  ];
  for (const r of await Promise.allSettled(follow)) {
    if (r.status === 'rejected') deps.log.warn('could not publish follow-up work after the sync', { runId, error: r.reason instanceof Error ? r.reason.message : String(r.reason) });
  }

  // A consent revoked while we were fetching wins: erase what this run brought in for it.
  const stillGranted = grantedTools(await deps.consents.list(uid), deps.clock.now());
  const revokedMeanwhile = tools.filter((t) => !stillGranted.includes(t));
  if (revokedMeanwhile.length) {
    deps.log.info('consent revoked during the sync; erasing its data again', { runId, tools: revokedMeanwhile });
    await eraseFiData({ store: deps.store, clock: deps.clock }, uid, revokedMeanwhile);
  }

  const { lastError: _lastError, loginUrl: _loginUrl, ...base } = connection;
  await deps.connections.save(uid, {
    ...base,
    status: loginProblem?.status ?? 'connected',
    ...(loginProblem?.loginUrl ? { loginUrl: loginProblem.loginUrl } : {}),
    ...(loginProblem ? { lastError: loginProblem.reason } : { lastSyncAt: now.toISOString() }),
    updatedAt: now.toISOString(),
  });

  const attempted = Object.values(sources).filter((s) => s.status !== 'skipped');
  const failed = attempted.filter((s) => s.status === 'failed');
  const status: SyncRun['status'] = failed.length === 0 ? 'succeeded' : failed.length === attempted.length ? 'failed' : 'partial';
  return finish(status, sources, loginProblem ? { code: 'FI.LOGIN_REQUIRED', message: loginProblem.reason } : undefined);
}
