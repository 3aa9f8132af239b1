import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Firestore } from '@google-cloud/firestore';
import { createFirestore } from '../../shared/adapters/firestore/client.js';

/** A fresh `demo-` project id: each test file gets its own database and topics. */
export const testProjectId = (label: string): string => `demo-${label}-${randomBytes(3).toString('hex')}`.slice(0, 30);

/**
 * Points this worker's environment at the emulators for `projectId`, as the local stack
 * does, and returns it. Call before the first `getDeps()`.
 */
export function useEmulatorEnv(projectId: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  Object.assign(process.env, {
    APP_ENV: 'test',
    GCP_PROJECT_ID: projectId,
    FIRESTORE_EMULATOR_HOST: inject('firestoreHost'),
    PUBSUB_EMULATOR_HOST: inject('pubsubHost'),
    METADATA_SERVER_DETECTION: 'none',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'debug',
    // Nothing listens here unless a test starts the dev Fi server and overrides it.
    FI_MCP_URL: 'http://127.0.0.1:9/mcp/stream',
    LOCAL_KEY_DIR: mkdtempSync(join(tmpdir(), 'ffai-keys-')),
    ...extra,
  });
  return process.env;
}

export const testFirestore = (projectId: string): Promise<Firestore> =>
  createFirestore({ projectId, emulatorHost: inject('firestoreHost') });

/** Polls until `check` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
