import { sha256Hex } from '../sha256.js';

/** Length of our deterministic ids: 80 bits of SHA-256, ample for one user's documents. */
export const ID_HEX_LENGTH = 20;

/**
 * A deterministic id for some content: the first 20 hex characters of SHA-256 over a JSON
 * encoding of `[namespace, ...parts]` (unambiguous, so `["a","bc"]` and `["ab","c"]` differ).
 * Same input, same id, on every machine and every run.
 */
export function contentId(namespace: string, parts: readonly (string | number | boolean | null | undefined)[]): string {
  return sha256Hex(JSON.stringify([namespace, ...parts.map((p) => (p === undefined ? null : p))])).slice(0, ID_HEX_LENGTH);
}

/**
 * Gives each content key its occurrence number among equal keys seen so far (0, 1, 2...).
 * Identical rows are interchangeable, so whatever order they arrive in, a document always
 * yields the same set of `(key, occurrence)` pairs: ids built from both are distinct for
 * distinct rows and stable under re-ordering.
 */
export class OccurrenceCounter {
  private readonly seen = new Map<string, number>();

  next(key: string): number {
    const n = this.seen.get(key) ?? 0;
    this.seen.set(key, n + 1);
    return n;
  }
}
