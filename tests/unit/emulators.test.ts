import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmulatorSetupError, locateEmulators } from '../../dev/emulators.js';

const empty = mkdtempSync(join(tmpdir(), 'ffai-noproj-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('locateEmulators', () => {
  it('stops with one clear message saying what to install when there is no Java', () => {
    expect(() => locateEmulators({ ...process.env, JAVA: join(empty, 'no-java') }, empty)).toThrow(EmulatorSetupError);
    expect(() => locateEmulators({ ...process.env, JAVA: join(empty, 'no-java') }, empty)).toThrow(/Java was not found.*install a JDK 17 or newer/);
  });

  it('names a configured emulator path that does not exist', () => {
    const env = { ...process.env, FIRESTORE_EMULATOR_BINARY_PATH: join(empty, 'fs'), PUBSUB_EMULATOR_BINARY_PATH: join(empty, 'ps') };
    expect(() => locateEmulators(env, empty)).toThrow(/FIRESTORE_EMULATOR_BINARY_PATH points to .*, which does not exist/);
  });

  it('says what to install when neither the Cloud CLI emulators nor firebase-tools are there', () => {
    const env = { ...process.env, FFAI_EMULATORS: 'firebase-tools' };
    expect(() => locateEmulators(env, empty)).toThrow(/No Firestore\/Pub\/Sub emulators found\. Install the Google Cloud CLI emulators/);
  });

  it('finds the emulators installed with the Google Cloud CLI on this machine', () => {
    const found = locateEmulators(process.env, process.cwd());
    expect(found.kind).toBe('binaries');
    if (found.kind === 'binaries') {
      expect(found.firestore).toMatch(/cloud-firestore-emulator\/cloud_firestore_emulator$/);
      expect(found.pubsub).toMatch(/pubsub-emulator\/bin\/cloud-pubsub-emulator$/);
    }
  });

  it('falls back to firebase-tools (a devDependency) when asked', () => {
    expect(locateEmulators({ ...process.env, FFAI_EMULATORS: 'firebase-tools' }, process.cwd())).toMatchObject({ kind: 'firebase-tools' });
  });
});
