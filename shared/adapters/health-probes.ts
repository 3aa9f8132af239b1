import type { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import type { DependencyHealth, HealthProbe } from '../ports/health.js';

const describe = (e: unknown): string => {
  const msg = e instanceof Error ? e.message : String(e);
  // First line only, bounded: health output is public and must not carry internals.
  return (msg.split('\n')[0] ?? '').slice(0, 160);
};

async function timed(name: string, target: string, timeoutMs: number, op: () => Promise<unknown>): Promise<DependencyHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      op(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { name, ok: true, target, latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    return { name, ok: false, target, latencyMs: Math.round(performance.now() - started), error: describe(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** Reads one document that need not exist: proves the connection and the credentials. */
export const firestoreProbe = (db: () => Promise<Firestore>, target: string, timeoutMs = 2_000): HealthProbe => ({
  name: 'firestore',
  check: () => timed('firestore', target, timeoutMs, async () => (await db()).collection('_health').doc('probe').get()),
});

/** Lists at most one topic: proves the connection without publishing anything. */
export const pubsubProbe = (pubsub: () => Promise<PubSub>, target: string, timeoutMs = 2_000): HealthProbe => ({
  name: 'pubsub',
  check: () => timed('pubsub', target, timeoutMs, async () => (await pubsub()).getTopics({ pageSize: 1, autoPaginate: false })),
});

/** Any HTTP dependency (the Fi MCP server, the local OIDC server). */
export const httpProbe = (name: string, url: string, timeoutMs = 2_000): HealthProbe => ({
  name,
  check: () =>
    timed(name, new URL(url).host, timeoutMs, async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      await res.body?.cancel();
      if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
    }),
});
