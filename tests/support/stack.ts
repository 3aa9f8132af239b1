import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../dev/processes.js';

/**
 * `npm start` as a user runs it: a child in its own process group, on free ports and a
 * temporary data directory; stopped with SIGINT to the group (what Ctrl-C sends).
 */
export interface Stack {
  readonly proc: ChildProcess;
  readonly ports: StackPorts;
  readonly dataDir: string;
  readonly url: string;
  readonly output: () => string;
  /** The exit code, or the signal npm re-raises on itself after its script stopped. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
}

export interface StackPorts {
  readonly api: number;
  readonly firestore: number;
  readonly pubsub: number;
  readonly fi: number;
  readonly oidc: number;
}

export const freePorts = async (): Promise<StackPorts> => ({ api: await freePort(), firestore: await freePort(), pubsub: await freePort(), fi: await freePort(), oidc: await freePort() });

export function npmStart(ports: StackPorts, dataDir = mkdtempSync(join(tmpdir(), 'ffai-stack-')), env: Record<string, string> = {}): Stack {
  const proc = spawn('npm', ['start'], {
    cwd: process.cwd(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(ports.api),
      FIRESTORE_EMULATOR_PORT: String(ports.firestore),
      PUBSUB_EMULATOR_PORT: String(ports.pubsub),
      FI_MCP_PORT: String(ports.fi),
      OIDC_PORT: String(ports.oidc),
      LOCAL_DATA_DIR: dataDir,
      LOCAL_KEY_DIR: join(dataDir, 'keys'),
      ...env,
    },
  });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
  return { proc, ports, dataDir, url: `http://127.0.0.1:${ports.api}`, output: () => out, exited };
}

/** Waits for `/health` to answer 200 and for the start-up summary to be printed. */
export async function waitHealthy(stack: Stack, timeoutMs = 180_000): Promise<{ ms: number; body: Record<string, unknown> }> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (stack.proc.exitCode !== null) throw new Error(`npm start exited early:\n${stack.output()}`);
    try {
      const res = await fetch(`${stack.url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) {
        const ms = Date.now() - started;
        const body = (await res.json()) as Record<string, unknown>;
        while (!stack.output().includes('Press Ctrl-C to stop.') && Date.now() - started < timeoutMs) await new Promise((r) => setTimeout(r, 100));
        return { ms, body };
      }
      await res.body?.cancel();
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no healthy /health within ${timeoutMs} ms:\n${stack.output()}`);
}

export async function stopStack(stack: Stack): Promise<number | NodeJS.Signals | null> {
  if (stack.proc.exitCode === null && stack.proc.signalCode === null) process.kill(-stack.proc.pid!, 'SIGINT');
  return stack.exited;
}

/**
 * For a test that failed half-way: Ctrl-C first, so the stack stops its emulators (they run
 * in process groups of their own, which a SIGKILL of this group would orphan), then SIGKILL
 * if it is still there after 15 s.
 */
export async function killStack(stack: Stack | undefined): Promise<void> {
  if (!stack || stack.proc.exitCode !== null || stack.proc.signalCode !== null) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-stack.proc.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGINT');
  const stopped = await Promise.race([stack.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
  if (!stopped) signal('SIGKILL');
}

/** A tiny cookie-keeping HTTP client, as a browser on the PWA's origin would be. */
export class Browser {
  /** The session cookie this browser holds (`__session=...`), empty before sign-in. */
  cookie = '';
  constructor(private readonly base: string) {}

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; headers: Headers }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.cookie ? { cookie: this.cookie } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    const text = await res.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, json, headers: res.headers };
  }
}
