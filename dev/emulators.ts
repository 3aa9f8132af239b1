import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startChild, waitFor, type Child } from './processes.js';

/**
 * Finds and runs the real Firestore and Pub/Sub emulators.
 *
 * Order: explicit `FIRESTORE_EMULATOR_BINARY_PATH` + `PUBSUB_EMULATOR_BINARY_PATH`; the
 * emulators installed with the Google Cloud CLI; else `firebase-tools` (a devDependency),
 * which downloads them on a machine with internet. Both need Java. When nothing can run,
 * {@link EmulatorSetupError} says what to install.
 */
export class EmulatorSetupError extends Error {
  override name = 'EmulatorSetupError';
}

export type EmulatorSource =
  | { readonly kind: 'binaries'; readonly firestore: string; readonly pubsub: string; readonly from: string }
  | { readonly kind: 'firebase-tools'; readonly cli: string };

/** Set FFAI_EMULATORS=firebase-tools to use firebase-tools even where the Cloud CLI's are installed. */

const GCLOUD_HINT =
  'Install the Google Cloud CLI emulators (`gcloud components install cloud-firestore-emulator pubsub-emulator beta`, ' +
  'or the Debian/Ubuntu packages google-cloud-cli-firestore-emulator and google-cloud-cli-pubsub-emulator)';

/** The Java major version on PATH (or $JAVA), or undefined when there is none. */
export function javaVersion(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const out = spawnSync(env.JAVA ?? 'java', ['-version'], { encoding: 'utf8', env });
  if (out.error || out.status !== 0) return undefined;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 ? Number(m[2]) : major;
}

function sdkRoots(env: NodeJS.ProcessEnv): string[] {
  const roots: string[] = [];
  if (env.CLOUDSDK_ROOT_DIR) roots.push(env.CLOUDSDK_ROOT_DIR);
  const which = spawnSync('sh', ['-c', 'command -v gcloud'], { encoding: 'utf8', env });
  const gcloud = which.status === 0 ? which.stdout.trim() : '';
  if (gcloud) {
    try {
      roots.push(resolve(dirname(realpathSync(gcloud)), '..'));
    } catch {
      // Broken link: ignore.
    }
  }
  roots.push('/usr/lib/google-cloud-sdk', '/usr/share/google-cloud-sdk', '/opt/google-cloud-sdk', join(homedir(), 'google-cloud-sdk'));
  return [...new Set(roots)];
}

/** Where the emulators are; throws {@link EmulatorSetupError} with what to install. */
export function locateEmulators(env: NodeJS.ProcessEnv = process.env, projectRoot = process.cwd()): EmulatorSource {
  const java = javaVersion(env);
  if (java === undefined) {
    throw new EmulatorSetupError(
      'Java was not found. The Firestore and Pub/Sub emulators run on Java: install a JDK 17 or newer ' +
        '(e.g. `sudo apt-get install openjdk-17-jre-headless`, or Temurin from adoptium.net), then run `npm start` again.',
    );
  }
  if (java < 11) throw new EmulatorSetupError(`Java ${java} is too old for the emulators: install Java 17 or newer.`);

  if (env.FIRESTORE_EMULATOR_BINARY_PATH && env.PUBSUB_EMULATOR_BINARY_PATH) {
    for (const key of ['FIRESTORE_EMULATOR_BINARY_PATH', 'PUBSUB_EMULATOR_BINARY_PATH'] as const) {
      if (!existsSync(env[key]!)) throw new EmulatorSetupError(`${key} points to ${env[key]}, which does not exist.`);
    }
    return { kind: 'binaries', firestore: env.FIRESTORE_EMULATOR_BINARY_PATH, pubsub: env.PUBSUB_EMULATOR_BINARY_PATH, from: 'environment' };
  }
  const preferFirebase = env.FFAI_EMULATORS === 'firebase-tools';
  for (const root of preferFirebase ? [] : sdkRoots(env)) {
    const firestore = join(root, 'platform/cloud-firestore-emulator/cloud_firestore_emulator');
    const pubsub = join(root, 'platform/pubsub-emulator/bin/cloud-pubsub-emulator');
    if (existsSync(firestore) && existsSync(pubsub)) return { kind: 'binaries', firestore, pubsub, from: `Google Cloud CLI (${root})` };
  }
  const cli = join(projectRoot, 'node_modules/.bin/firebase');
  if (existsSync(cli)) {
    // firebase-tools 14 (pinned) runs the emulators on Java 11+; version 15 would need 21.
    return { kind: 'firebase-tools', cli };
  }
  throw new EmulatorSetupError(`No Firestore/Pub/Sub emulators found. ${GCLOUD_HINT}, or run \`npm ci\` to get firebase-tools.`);
}

export interface EmulatorOptions {
  readonly source: EmulatorSource;
  readonly projectId: string;
  readonly firestorePort: number;
  readonly pubsubPort: number;
  /** Persisted Firestore data (export/import). Omit for a throwaway database (tests). */
  readonly dataDir?: string;
  readonly rulesFile?: string;
  readonly onProgress?: (message: string) => void;
  readonly timeoutMs?: number;
}

export interface RunningEmulators {
  readonly firestoreHost: string;
  readonly pubsubHost: string;
  readonly children: readonly Child[];
  /** Writes the Firestore data to `dataDir` (no-op without one). */
  exportData(): Promise<void>;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/** The newest export's metadata file under `dir`, if any. */
export function latestExport(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const exports = readdirSync(dir)
    .filter((d) => d.startsWith('firestore_export_'))
    .map((d) => join(dir, d, `${d}.overall_export_metadata`))
    .filter((f) => existsSync(f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return exports[0];
}

async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
  await res.body?.cancel();
  return res.ok;
}

/** Starts both emulators on 127.0.0.1 and waits until each answers. */
export async function startEmulators(o: EmulatorOptions): Promise<RunningEmulators> {
  const progress = o.onProgress ?? (() => {});
  const timeoutMs = o.timeoutMs ?? 90_000;
  const firestoreHost = `${HOST}:${o.firestorePort}`;
  const pubsubHost = `${HOST}:${o.pubsubPort}`;
  const firestoreData = o.dataDir ? join(o.dataDir, 'firestore') : undefined;
  const children: Child[] = [];

  if (o.source.kind === 'binaries') {
    const importFrom = firestoreData ? latestExport(firestoreData) : undefined;
    children.push(
      startChild('firestore-emulator', o.source.firestore, [
        '--host', HOST, '--port', String(o.firestorePort), '--project_id', o.projectId,
        ...(o.rulesFile ? ['--rules', o.rulesFile] : []),
        ...(importFrom ? ['--import-data', importFrom] : []),
      ]),
      // The Pub/Sub emulator only understands the `--flag=value` form.
      startChild('pubsub-emulator', o.source.pubsub, [`--host=${HOST}`, `--port=${o.pubsubPort}`]),
    );
    if (importFrom) progress(`Firestore: importing saved data from ${importFrom}`);
  } else {
    // firebase-tools reads ports from a config file: write one for these ports.
    const dir = o.dataDir ?? join(process.cwd(), '.local/tmp');
    mkdirSync(dir, { recursive: true });
    const config = join(dir, 'firebase.emulators.json');
    writeFileSync(
      config,
      JSON.stringify({
        firestore: { rules: o.rulesFile ?? 'firestore.rules' },
        emulators: {
          firestore: { host: HOST, port: o.firestorePort },
          pubsub: { host: HOST, port: o.pubsubPort },
          ui: { enabled: false },
          hub: { host: HOST },
          logging: { host: HOST },
        },
      }),
    );
    const args = ['emulators:start', '--only', 'firestore,pubsub', '--project', o.projectId, '--config', config];
    if (firestoreData && latestExport(firestoreData)) args.push('--import', firestoreData);
    children.push(startChild('firebase-emulators', o.source.cli, args));
    progress('firebase-tools: starting emulators (the first run downloads them)');
  }

  const stop = async () => {
    await Promise.all(children.map((c) => c.stop()));
  };

  try {
    const running = (c: Child | undefined) => c !== undefined && c.process.exitCode === null && c.process.signalCode === null;
    // With firebase-tools one child runs both emulators.
    const firestoreChild = children[0];
    const pubsubChild = children[1] ?? children[0];
    await Promise.all([
      waitFor('Firestore emulator', () => httpOk(`http://${firestoreHost}/`), {
        timeoutMs,
        alive: () => running(firestoreChild),
        onTick: (ms) => progress(`Firestore emulator starting… ${(ms / 1000).toFixed(0)} s`),
      }).then((ms) => progress(`Firestore emulator ready on ${firestoreHost} (${(ms / 1000).toFixed(1)} s)`)),
      waitFor('Pub/Sub emulator', () => httpOk(`http://${pubsubHost}/`), {
        timeoutMs,
        alive: () => running(pubsubChild),
        onTick: (ms) => progress(`Pub/Sub emulator starting… ${(ms / 1000).toFixed(0)} s`),
      }).then((ms) => progress(`Pub/Sub emulator ready on ${pubsubHost} (${(ms / 1000).toFixed(1)} s)`)),
    ]);
  } catch (e) {
    const tails = children.map((c) => `--- ${c.name} ---\n${c.tail()}`).join('\n');
    await stop();
    throw new EmulatorSetupError(`${(e as Error).message}\n${tails}`);
  }

  return {
    firestoreHost,
    pubsubHost,
    children,
    async exportData() {
      if (!firestoreData) return;
      mkdirSync(firestoreData, { recursive: true });
      const before = readdirSync(firestoreData);
      const res = await fetch(`http://${firestoreHost}/emulator/v1/projects/${o.projectId}:export`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ database: `projects/${o.projectId}/databases/(default)`, export_directory: resolve(firestoreData) }),
        signal: AbortSignal.timeout(30_000),
      });
      if (!res.ok) throw new Error(`Firestore export failed: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
      // Keep only the newest export, once it is complete.
      const newest = latestExport(firestoreData);
      for (const d of before) {
        const full = join(firestoreData, d);
        if (newest && !newest.startsWith(full)) rmSync(full, { recursive: true, force: true });
      }
    },
    stop,
  };
}
