// The fields of a drift test that spec.monitoring.drift and spec.rollout.analysis.drift share:
// the family-wise false-alarm rate, the smallest window that decides, and the PSI floor.
import { z } from "zod";

/** Upper bound of PSI thresholds; PSI above 10 means "entirely different", so larger is a typo. */
export const MAX_PSI = 10;

/** A PSI threshold: greater than 0, at most MAX_PSI. */
export function psiThreshold(description: string) {
  return z.number().gt(0).max(MAX_PSI).describe(description);
}

/** α: the chance of an alarm when nothing drifted, per decision; default 0.01. */
export function falseAlarmRate(description: string) {
  return z.number().gt(0).max(0.2).default(0.01).describe(`${description} Above 0, at most 0.2; default 0.01.`);
}

/** Rows a decision needs; smaller windows never decide. Default 1000. */
export function minWindow(description: string) {
  return z.int().min(100).max(10_000_000).default(1000).describe(`${description} 100 to 10000000; default 1000.`);
}
