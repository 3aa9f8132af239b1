import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, killStack, npmStart as startStack, stopStack, waitHealthy, type Stack, type StackPorts } from '../support/stack.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ffai-e2e-'));
let ports: StackPorts;
const npmStart = () => startStack(ports, dataDir);

/** Every process whose process group is `pgid` (the stack and anything it left behind). */
const groupMembers = (pgid: number): string[] =>
  spawnSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l.trim().split(/\s+/)[1] === String(pgid));

/** Processes still listening with our emulator ports on their command line. */
const emulatorLeftovers = (): string[] =>
  spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l.includes('java') && (l.includes(`--port=${ports.pubsub}`) || l.includes(`--port ${ports.firestore}`)));

const stop = stopStack;

let first: Stack | undefined;

beforeAll(async () => {
  ports = await freePorts();
});

afterAll(async () => {
  // Only if a test failed half-way: end what this file started, by its group id.
  await killStack(first);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start (the local stack)', () => {
  it('starts, reports every dependency healthy, refuses a second start, and stops cleanly on Ctrl-C', async () => {
    first = npmStart();
    const { body } = await waitHealthy(first);
    expect(body).toMatchObject({
      status: 'ok',
      dependencies: {
        firestore: { ok: true, target: `127.0.0.1:${ports.firestore}` },
        pubsub: { ok: true, target: `127.0.0.1:${ports.pubsub}` },
        fiMcp: { ok: true, target: `127.0.0.1:${ports.fi}` },
        oidc: { ok: true, target: `127.0.0.1:${ports.oidc}` },
      },
    });
    expect(first.output()).toContain(`http://127.0.0.1:${ports.api}`);
    expect(first.output()).toContain('demo data seeded');

    // The event functions are reachable over HTTP (an empty POST is a malformed event: acknowledged).
    const ev = await fetch(`http://127.0.0.1:${ports.api}/events/fiSync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(ev.status).toBe(204);

    // A body that is not JSON is refused before our code runs: a 4xx, and no stack trace.
    const bad = await fetch(`http://127.0.0.1:${ports.api}/api/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toMatch(/at JSON\.parse|node_modules|\/work\//);

    // A second start on the same data fails clearly and leaves the first one running.
    const second = npmStart();
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toMatch(/already running \(pid \d+/);
    expect((await fetch(`http://127.0.0.1:${ports.api}/health`)).status).toBe(200);

    const pgid = first.proc.pid!;
    expect([0, 'SIGINT']).toContain(await stop(first));
    expect(first.output()).toContain('all processes stopped');
    await new Promise((r) => setTimeout(r, 500));
    expect(groupMembers(pgid)).toEqual([]);
    expect(emulatorLeftovers()).toEqual([]);
  });

  it('keeps its data across a restart (no second seed)', async () => {
    expect(first?.proc.exitCode ?? first?.proc.signalCode, 'the first stack must have stopped').not.toBeNull();
    first = npmStart();
    await waitHealthy(first);
    expect(first.output()).toContain('demo data kept from the last run');
    expect(first.output()).toMatch(/Firestore: importing saved data/);
    expect([0, 'SIGINT']).toContain(await stop(first));
    expect(first.output()).toContain('all processes stopped');
    expect(emulatorLeftovers()).toEqual([]);
  });
});
