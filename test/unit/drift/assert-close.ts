// Floating-point comparison for the drift tests.
import { strict as assert } from "node:assert";

/** Asserts |actual − expected| ≤ tolerance · max(1, |expected|). */
export function assertClose(actual: number, expected: number, tolerance = 1e-12, message?: string): void {
  const bound = tolerance * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= bound, `${message ?? ""} expected ${expected}, got ${actual} (|Δ| = ${Math.abs(actual - expected)} > ${bound})`);
}

/** Asserts |actual − expected| / |expected| ≤ tolerance: for values far below 1. */
export function assertRelative(actual: number, expected: number, tolerance: number, message?: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.abs(expected), `${message ?? ""} expected ${expected}, got ${actual}`);
}
