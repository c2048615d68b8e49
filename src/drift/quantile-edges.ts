// Bin edges at the quantiles of a sample, so each bin of the baseline holds about the same share.

/**
 * Interior edges for about `bins` equally populated bins of the ascending `sorted` values: the
 * values at ranks ⌊j·n/bins⌋ for j = 1 … bins − 1, without duplicates and without the minimum.
 * With the bins (−∞, e₁), [e₁, e₂), …, [eₘ, +∞) every bin then holds at least one sample value
 * (each edge is itself a value, and the first edge is above the minimum), so no baseline bin is
 * empty. Ties (discrete data) merge bins: a column of 0s and 1s gets the single edge 1.
 * Contract: `sorted` is ascending, finite and non-empty; `bins` ≥ 1. Returns ≤ bins − 1 edges.
 */
export function quantileEdges(sorted: ArrayLike<number>, bins: number): number[] {
  const n = sorted.length;
  const min = sorted[0]!;
  const edges: number[] = [];
  for (let j = 1; j < bins; j++) {
    const edge = sorted[Math.min(n - 1, Math.floor((j * n) / bins))]!;
    if (edge > min && edge !== edges.at(-1)) edges.push(edge);
  }
  return edges;
}
