/**
 * When the dependencies cannot be built (an invalid configuration, most often), there is no
 * logger to report it with. This writes one structured line to stderr, which Cloud Logging
 * reads as a CRITICAL entry: the error's own message (a ConfigError lists keys, never
 * values) and no stack trace.
 */
export function reportStartupFailure(where: string, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'STARTUP.FAILED';
  process.stderr.write(`${JSON.stringify({ severity: 'CRITICAL', message: `${where} cannot start: ${message}`, errorCode: code })}\n`);
}
