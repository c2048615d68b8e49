// The χ² distribution's survival function, for the homogeneity test (homogeneity.ts).
import { regularizedGammaQ } from "./gamma.ts";

/**
 * Survival function of the χ² distribution with `degreesOfFreedom` (> 0) degrees of freedom:
 * P(X ≥ statistic) = Q(df/2, statistic/2), Q the regularised upper incomplete gamma function.
 */
export function chiSquarePValue(statistic: number, degreesOfFreedom: number): number {
  return regularizedGammaQ(degreesOfFreedom / 2, statistic / 2);
}
