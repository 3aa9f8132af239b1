import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * A child process started in its own process group, so that stopping it also stops what
 * it started (the Firestore emulator's launcher script does not `exec` its JVM).
 */
export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** The last lines it printed, for error messages. */
  tail(): string;
  /** SIGTERM to the group, then SIGKILL after `graceMs`; resolves when the process exited. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<Child>();

export function startChild(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Child {
  const proc = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  if (proc.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const lines: string[] = [];
  const keep = (buf: Buffer) => {
    for (const line of buf.toString().split('\n')) if (line.trim()) lines.push(line);
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const pid = proc.pid;
  const child: Child = {
    name,
    pid,
    process: proc,
    tail: () => lines.slice(-15).join('\n'),
    async stop(graceMs = 5_000) {
      live.delete(child);
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // The launcher may exit before its JVM: make sure nothing of the group is left.
      signalGroup(pid, 'SIGKILL');
    },
  };
  live.add(child);
  proc.once('exit', () => live.delete(child));
  return child;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Last resort on process exit: no child group outlives us, even on an unexpected exit. */
process.once('exit', () => {
  for (const child of live) signalGroup(child.pid, 'SIGKILL');
});

/** True if nothing listens on host:port. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** A port the OS considers free right now (for tests; a race with other processes is possible). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it resolves true, or rejects after `timeoutMs` (or when `alive` says the process died). */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; alive?: () => boolean; onTick?: (elapsedMs: number) => void },
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe().catch(() => false)) return Date.now() - started;
    if (options.alive && !options.alive()) throw new Error(`${what} exited before it was ready`);
    const elapsed = Date.now() - started;
    if (elapsed > options.timeoutMs) throw new Error(`${what} was not ready after ${Math.round(elapsed / 1000)} s`);
    options.onTick?.(elapsed);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 150));
  }
}
