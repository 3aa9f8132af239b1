import { createFirestore } from '../shared/adapters/firestore/client.js';

export const DEMO_USER = {
  uid: 'demo-user-0001',
  email: 'demo@futurefinance.local',
  displayName: 'Asha Demo',
} as const;

const SEED_VERSION = 1;

/**
 * Seeds demo data once per data directory: the marker `_meta/seed` is created in the same
 * transaction as the data, so a crash can never leave half a seed, and a restart (whose
 * data was kept) does not seed again.
 * @returns true when it seeded now, false when the data was already there.
 */
export async function seedDemoData(options: { projectId: string; emulatorHost: string; now?: Date }): Promise<boolean> {
  const db = await createFirestore({ projectId: options.projectId, emulatorHost: options.emulatorHost });
  const now = (options.now ?? new Date()).toISOString();
  try {
    return await db.runTransaction(async (tx) => {
      const marker = db.collection('_meta').doc('seed');
      if ((await tx.get(marker)).exists) return false;
      const user = db.collection('users').doc(DEMO_USER.uid);
      tx.create(user, { email: DEMO_USER.email, displayName: DEMO_USER.displayName, createdAt: now, demo: true });
      tx.create(user.collection('audit').doc(), { at: now, action: 'demo.seeded', cause: 'npm start', details: { version: SEED_VERSION } });
      tx.create(marker, { version: SEED_VERSION, seededAt: now });
      return true;
    });
  } finally {
    await db.terminate();
  }
}
