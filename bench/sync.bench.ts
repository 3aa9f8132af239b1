/**
 * `npm run bench:sync`: the data path on the running local stack (`npm start`, real
 * emulators, the dev Fi MCP server), driven over HTTP as the PWA would.
 * 1. Sync latency for the largest persona: first sync of 5 fresh users and an unchanged
 *    re-sync of each (median of 5), from POST /api/financial/sync to a finished run.
 * 2. Firestore documents written by a first sync and by an unchanged re-sync.
 * 3. Read-model latency (GET /api/financial/overview, with the session check) versus
 *    GET /health under a bounded local load (fixed request count and concurrency).
 * Prints figures; asserts nothing.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, freePorts, npmStart, stopStack, waitHealthy } from '../tests/support/stack.js';

const personasDir = join(process.cwd(), 'dev/fi-mcp/personas');
const largest = readdirSync(personasDir)
  .filter((d) => /^\d{10}$/.test(d))
  .map((d) => ({ d, bytes: readdirSync(join(personasDir, d)).reduce((n, f) => n + statSync(join(personasDir, d, f)).size, 0) }))
  .sort((a, b) => b.bytes - a.bytes)[0]!;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function linkedUser(base: string, i: number): Promise<Browser> {
  const b = new Browser(base);
  await b.call('POST', '/auth/dev/login', { email: `bench-${i}-${Date.now()}@example.com` });
  await b.call('POST', '/api/consents', { scopes: ['net_worth', 'transactions', 'credit_report', 'epf'], purpose: 'personal_finance_insights' });
  const link = await b.call('POST', '/api/connections/fi', {});
  const url = new URL(link.json.loginUrl);
  await fetch(new URL('/login', url), { method: 'POST', body: new URLSearchParams({ sessionId: url.searchParams.get('sessionId')!, phoneNumber: largest.d, otp: '000000' }) });
  await b.call('POST', '/api/connections/fi', {});
  return b;
}

async function timedSync(b: Browser): Promise<{ ms: number; run: any }> {
  const t = performance.now();
  const started = await b.call('POST', '/api/financial/sync', {});
  for (;;) {
    const run = await b.call('GET', started.json.statusUrl);
    if (['succeeded', 'partial', 'failed'].includes(run.json.status)) return { ms: performance.now() - t, run: run.json };
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function load(url: string, cookie: string | undefined, total: number, concurrency: number): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const t = performance.now();
        const res = await fetch(url, cookie ? { headers: { cookie } } : {});
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
        times.push(performance.now() - t);
      }
    }),
  );
  return times;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}; largest persona ${largest.d} (${(largest.bytes / 1024).toFixed(0)} KiB of Fi JSON)`);
  const stack = npmStart(await freePorts());
  try {
    await waitHealthy(stack);
    const first: number[] = [];
    const again: number[] = [];
    const writesFirst: number[] = [];
    const writesAgain: number[] = [];
    let user: Browser | undefined;
    for (let i = 0; i < 5; i++) {
      const b = await linkedUser(stack.url, i);
      user ??= b;
      const a = await timedSync(b);
      const r = await timedSync(b);
      if (a.run.status !== 'succeeded' || r.run.status !== 'succeeded') throw new Error(`sync ended ${a.run.status}/${r.run.status}`);
      first.push(a.ms);
      again.push(r.ms);
      writesFirst.push(a.run.documentsWritten);
      writesAgain.push(r.run.documentsWritten);
    }
    const counts = Object.entries((await user!.call('GET', '/api/financial/sync/' + (await timedSync(user!)).run.runId)).json.sources)
      .map(([t, s]: [string, any]) => `${t.replace('fetch_', '')}=${s.count}`)
      .join(' ');
    console.log(`\n== sync of ${largest.d} (${counts})`);
    console.log(`  first sync      median ${median(first).toFixed(0)} ms   (runs: ${first.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`  unchanged again median ${median(again).toFixed(0)} ms   (runs: ${again.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`  Firestore documents written: first sync ${median(writesFirst)}, unchanged re-sync ${median(writesAgain)} (views + snapshot + state; no transaction, account or holding)`);

    const cookie = user!.cookie;
    const total = 1_000;
    const concurrency = 8;
    await load(`${stack.url}/health`, undefined, 100, concurrency); // warm-up
    await load(`${stack.url}/api/financial/overview`, cookie, 100, concurrency);
    const health = await load(`${stack.url}/health`, undefined, total, concurrency);
    const overview = await load(`${stack.url}/api/financial/overview`, cookie, total, concurrency);
    console.log(`\n== bounded load: ${total} requests each, ${concurrency} concurrent, loopback`);
    console.log(`  GET /health                 p50 ${pct(health, 50).toFixed(1)} ms  p95 ${pct(health, 95).toFixed(1)} ms`);
    console.log(`  GET /api/financial/overview p50 ${pct(overview, 50).toFixed(1)} ms  p95 ${pct(overview, 95).toFixed(1)} ms`);
    console.log(`  ratio overview/health (p50)  ${(pct(overview, 50) / pct(health, 50)).toFixed(2)}x`);
    console.log('  (/health probes Firestore, Pub/Sub and the Fi server each time; the overview reads the session and one view document)');
  } finally {
    await stopStack(stack);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
