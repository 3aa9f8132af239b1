import { describe, expect, it } from 'vitest';
import { buildAnalytics } from '../../shared/domain/analytics/analytics.js';
import type { AnalyticsInput } from '../../shared/domain/analytics/input.js';
import { createRng } from '../../shared/domain/analytics/random.js';
import { PERSONAS, personaInput } from '../support/persona-data.js';

/**
 * The analytics read lists the store returns in no particular order (transactions, accounts,
 * holdings). Whatever that order, the figures, labels and lists must be the same.
 */

/** Fisher-Yates with the seeded generator, so a failure replays. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rng = createRng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const reordered = (input: AnalyticsInput, how: (xs: readonly unknown[], salt: number) => unknown[]): AnalyticsInput => ({
  ...input,
  transactions: how(input.transactions, 1) as AnalyticsInput['transactions'],
  accounts: how(input.accounts, 2) as AnalyticsInput['accounts'],
  holdings: how(input.holdings, 3) as AnalyticsInput['holdings'],
});

describe.each(PERSONAS)('persona %s: analytics do not depend on input order', (phone) => {
  const input = personaInput(phone);
  const expected = buildAnalytics(input);

  it.each([
    ['reversed', (xs: readonly unknown[]) => [...xs].reverse()],
    ['shuffled (seed 1)', (xs: readonly unknown[], salt: number) => shuffled(xs, 1_000 + salt)],
    ['shuffled (seed 2)', (xs: readonly unknown[], salt: number) => shuffled(xs, 2_000 + salt)],
    ['shuffled (seed 3)', (xs: readonly unknown[], salt: number) => shuffled(xs, 3_000 + salt)],
  ])('%s', (_label, how) => {
    expect(buildAnalytics(reordered(input, how))).toEqual(expected);
  });
});
