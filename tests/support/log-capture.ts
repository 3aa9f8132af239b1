/**
 * Collects what the process writes to stdout (where our JSON logs go) so a test can read
 * the log lines its code produced. JSON log lines are kept here instead of printed, so the
 * test output stays readable; anything else still reaches the terminal.
 */
export function captureStdout(): { lines: () => Array<Record<string, unknown>>; raw: () => string; restore: () => void } {
  const original = process.stdout.write.bind(process.stdout);
  let buffer = '';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    buffer += text;
    if (text.startsWith('{')) {
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  return {
    raw: () => buffer,
    lines: () =>
      buffer
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            const entry = JSON.parse(l) as Record<string, unknown>;
            // Cloud Logging entries (logging-winston) carry our fields under `metadata`.
            const metadata = typeof entry.metadata === 'object' && entry.metadata !== null ? entry.metadata : {};
            return [{ ...entry, ...metadata }];
          } catch {
            return [];
          }
        }),
    restore: () => {
      process.stdout.write = original;
    },
  };
}
