// Seeded random numbers for the drift benchmark: xoshiro128** (Blackman and Vigna), 32-bit
// arithmetic, period 2^128 − 1 — the run draws about 10^9 numbers, too many for a 32-bit xorshift.
import { regularizedGammaP } from "../../src/drift/gamma.ts";

export type Uniform = () => number;

/** Uniform numbers in [0, 1) from xoshiro128**, seeded by splitmix32 from `seed`. */
export function xoshiro128(seed: number): Uniform {
  let x = seed >>> 0;
  const splitmix = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result / 4294967296;
  };
}

function rotl(v: number, k: number): number {
  return (v << k) | (v >>> (32 - k));
}

/** Standard normal numbers (Box–Muller). */
export function normal(next: Uniform): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** Φ(z), the standard normal distribution function, through erf(x) = P(1/2, x²). */
export function normalCdf(z: number): number {
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  const erf = regularizedGammaP(0.5, (z * z) / 2);
  return z >= 0 ? 0.5 + erf / 2 : 0.5 - erf / 2;
}

/** Counts of `n` draws from the distribution with `cumulative` probabilities (last = 1), added into `out`. */
export function drawCounts(next: Uniform, cumulative: Float64Array, n: number, out: Float64Array): void {
  const last = cumulative.length - 1;
  for (let r = 0; r < n; r++) {
    const u = next();
    let i = 0;
    while (i < last && u >= cumulative[i]!) i++;
    out[i]! += 1;
  }
}
