// Deterministic iris-like feature rows for drift tests: normal samples around the iris means,
// optionally shifted by whole standard deviations per feature.

export const IRIS_FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
const MEANS = [5.8, 3.0, 3.8, 1.2];
const STDS = [0.8, 0.4, 1.7, 0.7];

/** Deterministic standard normal samples (xorshift32 + Box–Muller). */
function sampler(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = (): number => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return (s + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** `count` rows of the 4 iris features; `shift[i]` moves feature i by that many standard deviations. */
export function irisRows(count: number, seed: number, shift: number[] = [0, 0, 0, 0]): number[][] {
  const normal = sampler(seed);
  return Array.from({ length: count }, () => MEANS.map((m, i) => Math.max(0.1, m + STDS[i]! * (normal() + shift[i]!))));
}
