/**
 * `npm start`: the whole local stack on 127.0.0.1 with one command.
 * Firestore + Pub/Sub emulators (real ones), the dev Fi MCP server, the HTTP and event
 * functions behind one port with Pub/Sub push delivered as Eventarc CloudEvents, and demo
 * data on first start. Data persists in `.local/` across restarts; Ctrl-C stops everything.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Topics } from '../shared/contracts/events.js';
import { ConfigError, loadConfig } from '../shared/config/config.js';
import { EmulatorSetupError, locateEmulators, startEmulators, type RunningEmulators } from './emulators.js';
import { startFiDevServer, type FiDevServer } from './fi-mcp/server.js';
import { startLocalFunctions, type LocalFunctions } from './local-functions.js';
import { startOidcServer, type OidcServer } from './oidc-server.js';
import { isPortFree } from './processes.js';
import { provisionPubSub } from './pubsub-setup.js';
import { DEMO_USER, seedDemoData } from './seed.js';

const root = process.cwd();
if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));

const env = process.env;
const num = (key: string, fallback: number): number => {
  const v = env[key];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) fail(`${key}=${v} is not a port number (1-65535).`);
  return n;
};

function fail(message: string): never {
  process.stderr.write(`\n✖ npm start: ${message}\n`);
  process.exit(1);
}

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line: string) => process.stdout.write(`${line}\n`);
let lastProgress = 0;
const progress = (line: string) => {
  // Throttled, so slow starts show life without flooding the terminal.
  if (/ready|importing|downloads/.test(line) || Date.now() - lastProgress > 2_000) {
    lastProgress = Date.now();
    say(`  … ${line}`);
  }
};

const ports = {
  api: num('PORT', 8080),
  firestore: num('FIRESTORE_EMULATOR_PORT', 8180),
  pubsub: num('PUBSUB_EMULATOR_PORT', 8185),
  fiMcp: num('FI_MCP_PORT', 8484),
  oidc: num('OIDC_PORT', 8585),
};
const projectId = env.GCP_PROJECT_ID || 'demo-future-finance';
const dataDir = resolve(root, env.LOCAL_DATA_DIR || '.local');
const personasDir = resolve(root, env.FI_MCP_DATA_DIR || 'dev/fi-mcp/personas');
const lockFile = join(dataDir, 'start.lock');

/** One stack per data directory: a second `npm start` must not share (and corrupt) its data. */
function takeLock(): void {
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    let alive = false;
    try {
      if (pid > 0) process.kill(pid, 0);
      alive = pid > 0;
    } catch {
      alive = false;
    }
    if (alive) fail(`the local stack is already running (pid ${pid}, data in ${dataDir}). Stop it with Ctrl-C first, or use another LOCAL_DATA_DIR and ports.`);
    rmSync(lockFile, { force: true });
  }
  try {
    const fd = openSync(lockFile, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
  } catch {
    fail(`another npm start is starting right now (lock ${lockFile}).`);
  }
}

let emulators: RunningEmulators | undefined;
let fi: FiDevServer | undefined;
let oidc: OidcServer | undefined;
let functions: LocalFunctions | undefined;
let stopping = false;
let signals = 0;

/** A Ctrl-C reaches us twice (from the terminal's process group and from npm): only a third one forces. */
function onSignal(): void {
  signals += 1;
  if (signals >= 3) {
    say('Forced stop.');
    process.exit(130); // the exit hook in processes.ts still kills every child group
  }
  void shutdown(0);
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('\nStopping the local stack…');
  if (emulators) {
    await emulators.exportData().then(
      () => say('  ✓ Firestore data saved'),
      (e: unknown) => say(`  ! could not save Firestore data: ${(e as Error).message}`),
    );
  }
  await functions?.close().catch(() => {});
  await fi?.close().catch(() => {});
  await oidc?.close().catch(() => {});
  await emulators?.stop().catch(() => {});
  rmSync(lockFile, { force: true });
  say('  ✓ all processes stopped');
  process.exit(code);
}

async function main(): Promise<void> {
  takeLock();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);

  const busy = [];
  for (const [name, port] of Object.entries(ports)) if (!(await isPortFree(port))) busy.push(`${name} port ${port}`);
  if (busy.length) {
    rmSync(lockFile, { force: true });
    fail(`${busy.join(', ')} already in use. Free it, or choose others with PORT, FIRESTORE_EMULATOR_PORT, PUBSUB_EMULATOR_PORT, FI_MCP_PORT, OIDC_PORT.`);
  }

  let source;
  try {
    source = locateEmulators(env, root);
  } catch (e) {
    rmSync(lockFile, { force: true });
    if (e instanceof EmulatorSetupError) fail(e.message);
    throw e;
  }
  say(`Future Finance AI: starting the local stack (project ${projectId}, data in ${dataDir})`);
  say(`  emulators from ${source.kind === 'binaries' ? source.from : 'firebase-tools'}`);

  emulators = await startEmulators({
    source,
    projectId,
    firestorePort: ports.firestore,
    pubsubPort: ports.pubsub,
    dataDir,
    rulesFile: join(root, 'firestore.rules'),
    onProgress: progress,
  });

  fi = await startFiDevServer({ port: ports.fiMcp, dataDir: personasDir });
  say(`  … Fi MCP dev server ready (${fi.personas().length} personas from ${personasDir})`);

  oidc = await startOidcServer({ port: ports.oidc });
  say(`  … local OpenID Connect provider ready (stands in for Google sign-in)`);
  const apiOrigin = `http://127.0.0.1:${ports.api}`;

  Object.assign(process.env, {
    // Sign-in against the local provider. It does not check the client secret: a fresh
    // random one per start keeps real-looking secrets out of the repository.
    OIDC_ISSUER: oidc.issuer,
    OIDC_AUTHORIZATION_ENDPOINT: oidc.authorizationEndpoint,
    OIDC_TOKEN_ENDPOINT: oidc.tokenEndpoint,
    OIDC_CERTS_URL: oidc.pemCertsUrl,
    OIDC_CLIENT_ID: env.OIDC_CLIENT_ID || 'ffai-local',
    OIDC_REDIRECT_URI: `${apiOrigin}/auth/google/callback`,
    OAUTH_CLIENT_SECRET: randomBytes(24).toString('base64url'),
    FRONTEND_URL: env.FRONTEND_URL || apiOrigin,
    AUTH_REDIRECT_PATHS: env.AUTH_REDIRECT_PATHS || '/,/app,/auth/session',
    APP_ENV: env.APP_ENV || 'local',
    GCP_PROJECT_ID: projectId,
    FIRESTORE_EMULATOR_HOST: emulators.firestoreHost,
    PUBSUB_EMULATOR_HOST: emulators.pubsubHost,
    FI_MCP_URL: fi.mcpUrl,
    PORT: String(ports.api),
    LOCAL_KEY_DIR: env.LOCAL_KEY_DIR || join(dataDir, 'keys'),
    METADATA_SERVER_DETECTION: 'none',
    // As on Cloud Functions: the framework's own error pages (e.g. for a body that is not
    // JSON, which it rejects before our code runs) then carry no stack trace.
    NODE_ENV: 'production',
  });
  try {
    loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) process.stderr.write(`${e.message}\n`);
    throw e;
  }

  functions = await startLocalFunctions({ port: ports.api, projectId });
  const subs = await provisionPubSub({
    projectId,
    emulatorHost: emulators.pubsubHost,
    functionsUrl: functions.url,
    topics: Object.values(Topics),
  });
  say(`  … Pub/Sub: ${subs.length} topics, push → ${subs.filter((s) => s.subscription).map((s) => s.subscription).join(', ')}`);

  const seeded = await seedDemoData({ projectId, emulatorHost: emulators.firestoreHost });
  say(seeded ? `  … demo data seeded (user ${DEMO_USER.email})` : '  … demo data kept from the last run');

  const health = await fetch(`${functions.url}/health`).then((r) => r.json() as Promise<{ status: string }>);
  say('');
  say(`Ready in ${elapsed()} (health: ${health.status}). Listening on 127.0.0.1:`);
  say(`  API + functions     ${functions.url}        (GET /health, /api/**)`);
  say(`  event functions     ${functions.url}/events/<name>  (binary CloudEvents; Pub/Sub push via /_eventarc/<name>)`);
  say(`  Fi MCP (dev)        ${fi.mcpUrl}   (login page ${fi.url}/mockWebPage)`);
  say(`  OIDC (local Google) ${oidc.issuer}   (sign in: POST /auth/google/begin, or POST /auth/dev/login)`);
  say(`  Firestore emulator  ${emulators.firestoreHost}`);
  say(`  Pub/Sub emulator    ${emulators.pubsubHost}`);
  say('Press Ctrl-C to stop.');
}

main().catch(async (e: unknown) => {
  process.stderr.write(`\n✖ npm start failed: ${e instanceof Error ? e.message : String(e)}\n`);
  await shutdown(1);
});
