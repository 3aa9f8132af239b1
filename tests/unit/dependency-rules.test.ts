import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The dependency checker must fail on each forbidden direction. Each case builds a tiny
 * project with the repository's real rules and one offending import, and runs the real
 * dependency-cruiser CLI on it.
 */
const root = process.cwd();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function cruise(files: Record<string, string>): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ffai-deps-'));
  dirs.push(dir);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  cpSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  cpSync(join(root, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const run = spawnSync(join(root, 'node_modules/.bin/depcruise'), ['functions', 'shared', '--config', '.dependency-cruiser.cjs'], { cwd: dir, encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

const base = {
  'shared/domain/money.ts': 'export const paise = (r: number): number => Math.round(r * 100);\n',
  'shared/ports/repo.ts': 'export interface Repo { get(id: string): Promise<string | null> }\n',
  'shared/adapters/firestore-repo.ts': "import { Firestore } from '@google-cloud/firestore';\nexport const make = () => new Firestore();\n",
  'functions/deps.ts': "import { make } from '../shared/adapters/firestore-repo.js';\nexport const deps = { make };\n",
  'functions/index.ts': "import { deps } from './deps.js';\nexport default deps;\n",
};

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  it('accepts a project that follows them', () => {
    const r = cruise(base);
    expect(r.output).toContain('no dependency violations');
    expect(r.ok).toBe(true);
  });

  it.each([
    ['domain-is-pure', 'shared/domain imports a port', { 'shared/domain/bad.ts': "import type { Repo } from '../ports/repo.js';\nexport type R = Repo;\n" }],
    ['domain-is-pure', 'shared/domain imports node:crypto', { 'shared/domain/bad.ts': "import { randomUUID } from 'node:crypto';\nexport const id = randomUUID;\n" }],
    ['core-no-adapters', 'a use case imports an adapter', { 'shared/usecases/bad.ts': "import { make } from '../adapters/firestore-repo.js';\nexport const x = make;\n" }],
    ['sdk-only-in-adapters', 'a use case imports a Google SDK', { 'shared/usecases/bad.ts': "import { PubSub } from '@google-cloud/pubsub';\nexport const x = PubSub;\n" }],
    ['sdk-only-in-adapters', 'a handler imports the MCP SDK', { 'functions/http/bad.ts': "import { Client } from '@modelcontextprotocol/sdk/client/index.js';\nexport const x = Client;\n" }],
    ['sdk-types-only-in-adapters', 'a port leaks an SDK type', { 'shared/ports/bad.ts': "import type { Firestore } from '@google-cloud/firestore';\nexport type X = Firestore;\n" }],
    ['only-composition-root-wires-adapters', 'a handler imports an adapter', { 'functions/http/bad.ts': "import { make } from '../../shared/adapters/firestore-repo.js';\nexport const x = make;\n" }],
    ['shared-never-imports-functions', 'shared imports functions/', { 'shared/usecases/bad.ts': "import { deps } from '../../functions/deps.js';\nexport const x = deps;\n" }],
  ])('fails on %s (%s)', (rule, _label, extra) => {
    const r = cruise({ ...base, ...extra });
    expect(r.ok).toBe(false);
    expect(r.output).toContain(rule);
  });
});
