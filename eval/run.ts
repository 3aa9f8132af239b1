import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PROVIDERS, runEval, type ProviderName } from './harness.js';
import { formatReport } from './report.js';

/**
 * `npm run eval [-- --provider local|scripted-gemini|all]`: the chat eval (see harness.ts).
 * Prints figures per category and in total. Exits non-zero only when the run crashes; the
 * figures are measurements, not a verdict.
 */

/** The providers `--provider` names (default `local`; `all` for every one). @throws Error on an unknown name. */
export function providersFrom(args: readonly string[]): ProviderName[] {
  const { values } = parseArgs({ args: [...args], options: { provider: { type: 'string', default: 'local' } } });
  const choice = values.provider;
  const providers = choice === 'all' ? [...PROVIDERS] : PROVIDERS.filter((p) => p === choice);
  if (!providers.length) throw new Error(`--provider must be local, scripted-gemini or all (got ${JSON.stringify(choice)})`);
  return providers;
}

export async function main(args: readonly string[]): Promise<void> {
  for (const provider of providersFrom(args)) process.stdout.write(`${formatReport(await runEval({ provider }))}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
