import type { TestProject } from 'vitest/node';
import { locateEmulators, startEmulators } from '../../dev/emulators.js';
import { freePort } from '../../dev/processes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    firestoreHost: string;
    pubsubHost: string;
  }
}

/**
 * Starts the real Firestore and Pub/Sub emulators once for the integration tier, on free
 * loopback ports, with a throwaway database; stops them (and their JVMs) at the end.
 * Test files isolate themselves with their own `demo-` project ids.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const source = locateEmulators(process.env, process.cwd());
  const [firestorePort, pubsubPort] = [await freePort(), await freePort()];
  const emulators = await startEmulators({
    source,
    projectId: 'demo-integration',
    firestorePort,
    pubsubPort,
    onProgress: () => {},
    timeoutMs: 120_000,
  });
  project.provide('firestoreHost', emulators.firestoreHost);
  project.provide('pubsubHost', emulators.pubsubHost);
  return () => emulators.stop();
}
