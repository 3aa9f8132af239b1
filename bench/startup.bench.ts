/**
 * `npm run bench:startup`: figures for the foundation.
 * 1. Time from `npm start` to a healthy `/health` (fresh data directory each run), median of 3.
 * 2. Cold import time of each function entry point (compiled, as deployed) versus a bare
 *    functions-framework hello-world, median of 9 fresh processes each, and the ratio.
 * Prints figures; asserts nothing (these machines are shared and noisy: read the ratios).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../dev/processes.js';

const root = process.cwd();
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function startToHealthy(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ffai-bench-'));
  const ports = { PORT: await freePort(), FIRESTORE_EMULATOR_PORT: await freePort(), PUBSUB_EMULATOR_PORT: await freePort(), FI_MCP_PORT: await freePort(), OIDC_PORT: await freePort() };
  const started = performance.now();
  const proc = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), LOCAL_DATA_DIR: dataDir },
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  try {
    for (;;) {
      if (performance.now() - started > 180_000) throw new Error('not healthy within 180 s');
      try {
        const res = await fetch(`http://127.0.0.1:${ports.PORT}/health`, { signal: AbortSignal.timeout(1_000) });
        await res.body?.cancel();
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    process.kill(-proc.pid!, 'SIGINT');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Milliseconds a fresh Node process spends importing `specifier` (node boot excluded). */
function importTime(specifier: string, runs = 9): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, METADATA_SERVER_DETECTION: 'none' } });
    if (r.status !== 0) throw new Error(`import of ${specifier} failed: ${r.stderr}`);
    times.push(Number(r.stdout));
  }
  return median(times);
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  console.log('\n== build (tsc -p tsconfig.build.json)');
  const build = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(build.stdout + build.stderr);

  const helloDir = mkdtempSync(join(tmpdir(), 'ffai-hello-'));
  const hello = join(helloDir, 'hello.mjs');
  writeFileSync(hello, `import { http } from ${JSON.stringify(join(root, 'node_modules/@google-cloud/functions-framework/build/src/index.js'))};\nhttp('hello', (req, res) => res.send('hi'));\n`);

  console.log('\n== cold import, median of 9 fresh processes');
  const base = importTime(hello);
  console.log(`  bare functions-framework hello-world   ${fmt(base)}`);
  const entries: Array<[string, string]> = [
    ['functions/index.js (registers all)', './dist/functions/index.js'],
    ['api (functions/http/api.http.js)', './dist/functions/http/api.http.js'],
    ['fiSync (functions/events/fi-sync.event.js)', './dist/functions/events/fi-sync.event.js'],
  ];
  for (const [label, spec] of entries) {
    const t = importTime(spec);
    console.log(`  ${label.padEnd(40)} ${fmt(t)}  ratio ${(t / base).toFixed(2)}x`);
  }
  rmSync(helloDir, { recursive: true, force: true });

  console.log('\n== npm start -> healthy /health (fresh data dir), 3 runs');
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const ms = await startToHealthy();
    runs.push(ms);
    console.log(`  run ${i + 1}: ${(ms / 1000).toFixed(2)} s`);
  }
  console.log(`  median: ${(median(runs) / 1000).toFixed(2)} s`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
