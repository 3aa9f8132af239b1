/**
 * A small seeded pseudo-random generator for the simulations: xoshiro128** (Blackman and
 * Vigna, 2018; 128 bits of state, period 2^128 - 1), written from the published algorithm.
 * The four state words are derived from the 32-bit seed with the MurmurHash3 32-bit
 * finaliser applied to seed + i * golden ratio, so nearby seeds give unrelated streams and
 * the state is never all zero.
 *
 * Deterministic: the same seed gives the same sequence on every platform (only 32-bit
 * integer operations and IEEE doubles are used). Not for cryptography.
 */

const GOLDEN = 0x9e3779b9;
const TWO_PI = 2 * Math.PI;
const INV_2_32 = 1 / 4_294_967_296;

function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  /** `seed`: any number; its integer part modulo 2^32 is used. */
  constructor(seed: number) {
    const base = Number.isFinite(seed) ? Math.trunc(seed) >>> 0 : 0;
    this.s0 = fmix32(base + GOLDEN);
    this.s1 = fmix32(base + 2 * GOLDEN);
    this.s2 = fmix32(base + 3 * GOLDEN);
    this.s3 = fmix32(base + 4 * GOLDEN);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result >>> 0;
  }

  /** Uniform on [0, 1), in steps of 2^-32. */
  uniform(): number {
    return this.nextUint32() * INV_2_32;
  }

  /** Standard normal (mean 0, variance 1), by the Box-Muller transform; the second value of each pair is kept for the next call. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    // 1 - u is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = TWO_PI * this.uniform();
    this.spare = radius * Math.sin(angle);
    this.hasSpare = true;
    return radius * Math.cos(angle);
  }
}

/** A generator for `seed` (see `Rng`). */
export const createRng = (seed: number): Rng => new Rng(seed);
