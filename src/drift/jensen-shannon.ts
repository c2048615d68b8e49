// Jensen–Shannon distance.
import { assertSameBins } from "./proportions.ts";

/**
 * Jensen–Shannon distance between two distributions over the same bins, in base 2, so in [0, 1]:
 *
 *   M  = (P + Q) / 2
 *   JS = √( ½·KL(P‖M) + ½·KL(Q‖M) ),   KL(X‖M) = Σᵢ xᵢ · log₂(xᵢ / mᵢ),   0 · log 0 = 0
 *
 * No smoothing is needed: mᵢ > 0 wherever pᵢ > 0 or qᵢ > 0. It is 0 for identical distributions
 * and 1 for distributions with disjoint support, symmetric, and a metric (unlike PSI).
 * Throws a RangeError when the bin counts differ; NaN in, NaN out.
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  assertSameBins(p, q);
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] ?? 0;
    const qi = q[i] ?? 0;
    const mi = (pi + qi) / 2;
    if (Number.isNaN(mi)) return Number.NaN;
    if (pi > 0) divergence += pi * Math.log2(pi / mi);
    if (qi > 0) divergence += qi * Math.log2(qi / mi);
  }
  // Rounding can leave a tiny negative or a value a hair above 1; the true value is in [0, 1].
  return Math.sqrt(Math.min(Math.max(divergence / 2, 0), 1));
}
