// The drift check's verdict from a provider's evidence. Bonferroni over the interval's tests: a
// test flags when p × tests < falseAlarmRate (and its PSI is above maxPSI, when set), so under no
// drift the chance that any of them flags is at most falseAlarmRate. Windows under minWindow rows
// decide nothing; agents that send no bin counts are judged by the PSI rule. Pure.
import type { AnalysisSpec } from "../api/analysis.ts";
import type { Verdict } from "../rollout/verdict.ts";
import type { Check } from "./checks.ts";
import type { DriftEvidence, DriftTest } from "./drift-evidence.ts";
import type { Reading } from "./provider.ts";
import { FAIL_REASONS, NO_DATA_REASONS, PASS_REASONS } from "./reasons.ts";
import { formatNumber, judge, noData, roundValue } from "./verdicts.ts";

export type DriftCheckSpec = NonNullable<AnalysisSpec["drift"]>;

/** PSI rule for agents that send no bin counts, when maxPSI is unset. */
export const LEGACY_MAX_PSI = 0.25;
/** Tests named in a message at most. */
const SHOWN = 3;

/**
 * The verdict of `check` (kind drift, threshold `{ min: falseAlarmRate }`). Its value is the
 * smallest Bonferroni-adjusted p-value, min(1, p × tests), over the tests whose PSI clears the
 * floor (1 when none does): the check fails when it is below falseAlarmRate.
 */
export function driftVerdict(check: Check, reading: Reading<DriftEvidence>, spec: DriftCheckSpec): Verdict {
  if (!reading.ok) return noData(check, reading.reason, reading.message);
  const { rows, maxPSI, tests, testable } = reading.value;
  const note = reading.note === undefined ? "" : `; ${reading.note}`;
  if (!testable) {
    const legacy: Check = { ...check, threshold: { max: spec.maxPSI ?? LEGACY_MAX_PSI } };
    return judge(legacy, maxPSI, `the agents sent no bin counts to test, so the PSI rule decides${note}`);
  }
  if (rows < spec.minWindow) {
    return noData(check, NO_DATA_REASONS.windowTooSmall, `the canary's windows have ${rows} rows, fewer than minWindow ${spec.minWindow}${note}`);
  }
  const family = tests.length;
  const floor = spec.maxPSI ?? 0;
  const adjusted = (t: DriftTest): number => Math.min(1, t.pValue * family);
  const eligible = tests.filter((t) => t.psi > floor || floor === 0).sort((a, b) => a.pValue - b.pValue);
  const value = eligible[0] === undefined ? 1 : adjusted(eligible[0]);
  const alpha = spec.falseAlarmRate;
  const rule = `${family} tests at false-alarm rate ${formatNumber(alpha)}${spec.maxPSI === undefined ? "" : `, PSI above ${formatNumber(spec.maxPSI)}`}`;
  const base = { check: check.name, value: roundValue(value), threshold: check.threshold };
  const window = `window ${rows} rows`;
  if (value < alpha) {
    const flagged = eligible.filter((t) => adjusted(t) < alpha);
    const shown = flagged.slice(0, SHOWN).map(describe).join(", ");
    const more = flagged.length > SHOWN ? ` and ${flagged.length - SHOWN} more` : "";
    return {
      ...base, status: "fail", reason: FAIL_REASONS.driftTest,
      message: `drift detected, adjusted p-value ${formatNumber(value)} is below ${formatNumber(alpha)}: ${shown}${more} (${rule}; ${window}${note})`,
    };
  }
  const strongest = eligible[0] === undefined ? "no test cleared the PSI floor" : `strongest ${describe(eligible[0])}`;
  return {
    ...base, status: "pass", reason: PASS_REASONS.driftTest,
    message: `no drift detected, adjusted p-value ${formatNumber(value)} is at least ${formatNumber(alpha)}: ${strongest} (${rule}; ${window}${note})`,
  };
}

function describe(t: DriftTest): string {
  return `${t.feature} vs ${t.against === "baseline" ? "the baseline" : "the stable revision"}${t.pod === undefined ? "" : ` on ${t.pod}`} (p ${formatNumber(t.pValue)}, PSI ${formatNumber(t.psi)})`;
}
