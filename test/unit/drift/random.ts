// A seeded pseudo-random source for the drift tests: same seed, same numbers, on every machine.

/** Uniform numbers in [0, 1) from a 32-bit xorshift generator (Marsaglia's 13/17/5 triple). */
export function uniform(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

/** Standard normal numbers by the Box–Muller transform of two uniforms. */
export function normal(next: () => number): () => number {
  return () => {
    const u = 1 - next(); // in (0, 1], so the logarithm is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
}
