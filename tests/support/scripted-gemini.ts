import { startFakeGemini, type FakeGemini, type FakeGeminiScript } from '../../dev/fake-gemini/server.js';
import { GeminiLlm } from '../../shared/adapters/gemini/gemini.llm.js';

/** A static bearer token: the fake Gemini only checks that one is present (offline, no credentials). */
export const staticTokenAuth = { getRequestHeaders: async () => new Headers({ Authorization: 'Bearer t' }) };

/**
 * The real Gemini adapter (and SDK) against a fake Gemini REST server on loopback that plays
 * `script`. The fake is pushed onto `started` so the test file closes it; backoff sleeps are
 * recorded instead of waited, and jitter is fixed.
 */
export async function scriptedGemini(script: FakeGeminiScript, started: FakeGemini[], options: { project?: string; maxRetries?: number } = {}): Promise<{ fake: FakeGemini; llm: GeminiLlm; sleeps: number[] }> {
  const fake = await startFakeGemini({ script });
  started.push(fake);
  const sleeps: number[] = [];
  const llm = new GeminiLlm({
    project: options.project ?? 'demo-ai-tests',
    location: 'asia-south1',
    model: 'gemini-3.8-flash',
    baseUrl: fake.url,
    timeoutMs: 5_000,
    maxRetries: options.maxRetries ?? 0,
    authClient: staticTokenAuth,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
  });
  return { fake, llm, sleeps };
}
