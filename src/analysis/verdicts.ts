// Verdicts of single checks: a measured value judged against the check's threshold, or a
// `noData` verdict that says why nothing was measured. Pure.
import type { Verdict } from "../rollout/verdict.ts";
import type { Check, CheckKind } from "./checks.ts";
import { FAIL_REASONS, PASS_REASONS } from "./reasons.ts";

/** Rounds to 6 significant digits: enough for any threshold, short enough for status. */
export function roundValue(value: number): number {
  return Number(value.toPrecision(6));
}

/** A number for messages: at most 4 significant digits, no exponent for everyday magnitudes. */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** A count for messages: integers as they are, extrapolated (fractional) counts as formatNumber. */
export function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : formatNumber(n);
}

const SUBJECT: Record<CheckKind, string> = {
  successRate: "success rate",
  latencyP99: "p99 latency",
  drift: "largest feature PSI",
  groundTruth: "label score",
  agreement: "agreement",
  metric: "value",
};

function unit(kind: CheckKind): string {
  return kind === "latencyP99" ? " ms" : "";
}

/**
 * Judges `value` against the check's threshold: below `min` or above `max` fails, anything else
 * passes (bounds are inclusive). `detail` (e.g. "12 of 400 requests failed") ends the message.
 * A non-finite value is a programming error here: providers turn it into noData first.
 */
export function judge(check: Check, value: number, detail?: string): Verdict {
  if (!Number.isFinite(value)) throw new RangeError(`check ${check.name}: cannot judge the non-finite value ${value}`);
  const { min, max } = check.threshold;
  const subject = `${SUBJECT[check.kind]} ${formatNumber(value)}${unit(check.kind)}`;
  const suffix = detail === undefined || detail === "" ? "" : ` (${detail})`;
  const base = { check: check.name, value: roundValue(value), threshold: check.threshold };
  if (min !== undefined && value < min) {
    const reason = check.kind === "successRate" ? FAIL_REASONS.successRate : FAIL_REASONS.metricBelow;
    return { ...base, status: "fail", reason, message: `${subject} is below the minimum ${formatNumber(min)}${unit(check.kind)}${suffix}` };
  }
  if (max !== undefined && value > max) {
    const reason = check.kind === "latencyP99" ? FAIL_REASONS.latencyP99
      : check.kind === "drift" ? FAIL_REASONS.drift : FAIL_REASONS.metricAbove;
    return { ...base, status: "fail", reason, message: `${subject} is above the maximum ${formatNumber(max)}${unit(check.kind)}${suffix}` };
  }
  const reason = PASS_REASONS[check.kind];
  return { ...base, status: "pass", reason, message: `${subject} is within ${bounds(check)}${suffix}` };
}

/** An inconclusive verdict: nothing to judge, for `reason`. The message names the threshold too. */
export function noData(check: Check, reason: string, message: string): Verdict {
  return { check: check.name, status: "noData", threshold: check.threshold, reason, message: `${message}; threshold ${bounds(check)}` };
}

function bounds(check: Check): string {
  const { min, max } = check.threshold;
  const u = unit(check.kind);
  if (min !== undefined && max !== undefined) return `[${formatNumber(min)}, ${formatNumber(max)}]${u}`;
  if (min !== undefined) return `the minimum ${formatNumber(min)}${u}`;
  return `the maximum ${formatNumber(max ?? Number.NaN)}${u}`;
}
