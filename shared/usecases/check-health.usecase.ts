import type { Clock } from '../ports/clock.js';
import type { DependencyHealth, HealthProbe } from '../ports/health.js';

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly checkedAt: string;
  readonly dependencies: Readonly<Record<string, DependencyHealth>>;
}

/** Runs every probe concurrently; the report is `ok` only if every dependency is. */
export async function checkHealth(probes: readonly HealthProbe[], clock: Clock): Promise<HealthReport> {
  const results = await Promise.all(probes.map((p) => p.check()));
  return {
    status: results.every((r) => r.ok) ? 'ok' : 'degraded',
    checkedAt: clock.now().toISOString(),
    dependencies: Object.fromEntries(results.map((r) => [r.name, r])),
  };
}
