// Drift monitoring of the stable revision, decided purely: what status.drift and the DataDrift
// condition say, and whether an action is due (spec.monitoring.drift.action, once per cooldown).
import type { DriftMonitoringSpec, ModelDeploymentStatus } from "../../../api/index.ts";
import { parseDuration } from "../../../api/index.ts";
import type { Reading, RevisionDrift } from "../../../analysis/index.ts";
import type { ConditionUpdate } from "../../../runtime/conditions.ts";
import { formatTime } from "../../../runtime/conditions.ts";
import { decideDrift } from "../../../drift/drift-decision.ts";

export type DriftStatus = NonNullable<ModelDeploymentStatus["drift"]>;
export type DriftAction = NonNullable<DriftStatus["lastAction"]>;

/** A reading of the stable revision's drift: the combined agent reports, or why there are none. */
export type DriftReading = Reading<RevisionDrift>;

export interface DriftAssessment {
  /** status.drift to write (the previous one when nothing new was measured). */
  drift: DriftStatus | undefined;
  condition: ConditionUpdate;
  /** The action due now, if any: drift above the threshold and the cooldown over. */
  action?: DriftAction;
}

export const DataDriftReasons = {
  DriftDetected: "DriftDetected",
  NoDrift: "NoDrift",
  NoData: "NoDriftData",
  WindowTooSmall: "WindowTooSmall",
} as const;

/** PSI threshold for agents that send no bin counts (before 2026-12) when psiThreshold is unset. */
const LEGACY_PSI_THRESHOLD = 0.25;

const DEFAULT_COOLDOWN_MS = 3_600_000;
/** status.drift.features is capped at this many in the CRD. */
const MAX_STATUS_FEATURES = 64;
/** PSI values are written with this many decimals, so noise in the last digits writes nothing. */
const DECIMALS = 3;

export interface DriftInput {
  spec: DriftMonitoringSpec;
  reading: DriftReading;
  /** The revision measured: the stable one. */
  revision: string;
  previous: DriftStatus | undefined;
  generation: number;
  now: Date;
}

/**
 * - No reading: DataDrift Unknown (NoDriftData) with the reason; status.drift kept as it was
 *   (it names its revision, and its lastAction keeps the cooldown).
 * - Features tested (the agents sent bin counts): the pooled window under minWindow rows decides
 *   nothing (Unknown, WindowTooSmall); else a feature drifted when its p-value is below
 *   falseAlarmRate / (features tested) and its PSI at least psiThreshold (when set).
 * - No feature tested (older agents): a feature drifted when its PSI is above psiThreshold (0.25).
 * - None drifted: DataDrift False (NoDrift). Some: DataDrift True (DriftDetected) naming the top
 *   features, and `action` when spec.monitoring.drift.cooldown has passed since status.drift.lastAction.
 * status.drift changes only when the measurement does (PSI and p-values rounded).
 */
export function assessDrift(input: DriftInput): DriftAssessment {
  const { spec, reading, revision, previous, now } = input;
  const condition = (status: "True" | "False" | "Unknown", reason: string, message: string): ConditionUpdate =>
    ({ type: "DataDrift", status, reason, message, observedGeneration: input.generation });
  if (!reading.ok) {
    return { drift: previous, condition: condition("Unknown", DataDriftReasons.NoData, `no drift report for revision ${revision}: ${reading.message} (${reading.reason})`) };
  }
  const round = (v: number): number => Number(v.toFixed(DECIMALS));
  const all = reading.value.features.map((f) => ({ name: f.name, psi: round(f.psi), ...(f.pValue !== undefined && { pValue: Number(f.pValue.toPrecision(3)) }) }));
  // status.drift.features holds at most 64; the drifted count covers every feature.
  const features = all.slice(0, MAX_STATUS_FEATURES);
  const p = reading.value.prediction;
  const prediction = p === undefined ? undefined : { name: p.name, psi: round(p.psi), ...(p.pValue !== undefined && { pValue: Number(p.pValue.toPrecision(3)) }) };
  const measured: DriftStatus = {
    revision,
    evaluatedAt: formatTime(now),
    window: reading.value.window,
    maxPSI: round(reading.value.maxPSI),
    ...(features.length === 0 ? {} : { features }),
    ...(prediction === undefined ? {} : { prediction }),
    ...(previous?.lastAction === undefined ? {} : { lastAction: previous.lastAction }),
  };
  const drift = previous !== undefined && sameMeasurement(previous, measured) ? previous : measured;
  // The model's outputs are tested with the features, in the same family.
  const verdict = judge(spec, prediction === undefined ? all : [...all, { ...prediction, name: `${prediction.name} (prediction)` }], measured.window);
  if (verdict.kind === "undecided") {
    return { drift, condition: condition("Unknown", DataDriftReasons.WindowTooSmall, `revision ${revision}: ${verdict.message}`) };
  }
  if (verdict.drifted.length === 0) {
    return { drift, condition: condition("False", DataDriftReasons.NoDrift, `revision ${revision}: ${verdict.message} (window ${measured.window})`) };
  }
  const what = `revision ${revision}: ${verdict.message} (window ${measured.window})`;
  const cooldownMs = parseDuration(spec.cooldown) ?? DEFAULT_COOLDOWN_MS;
  const last = previous?.lastAction;
  const coolingUntil = last === undefined ? 0 : Date.parse(last.time) + cooldownMs;
  if (last !== undefined && now.getTime() < coolingUntil) {
    return { drift, condition: condition("True", DataDriftReasons.DriftDetected, `${what}; ${last.action} taken at ${last.time}, next action not before ${formatTime(new Date(coolingUntil))}`) };
  }
  const action: DriftAction = { action: spec.action, time: formatTime(now), revision };
  return { drift, condition: condition("True", DataDriftReasons.DriftDetected, `${what}; action ${spec.action}`), action };
}

type Feature = { name: string; psi: number; pValue?: number };
type Verdict = { kind: "undecided"; message: string } | { kind: "decided"; drifted: Feature[]; message: string };

/** Which features drifted, by the test when the agents sent counts, else by PSI (older agents). */
function judge(spec: DriftMonitoringSpec, all: readonly Feature[], window: number): Verdict {
  const tested = all.filter((f) => f.pValue !== undefined);
  const top = (drifted: readonly Feature[], withP: boolean): string =>
    drifted.slice(0, 5).map((f) => (withP ? `${f.name} (p ${f.pValue}, PSI ${f.psi})` : `${f.name} ${f.psi}`)).join(", ");
  if (tested.length > 0) {
    const decision = decideDrift(tested.map((f) => ({ name: f.name, pValue: f.pValue ?? null, psi: f.psi, samples: window })), window, {
      falseAlarmRate: spec.falseAlarmRate, minWindow: spec.minWindow, minPsi: spec.psiThreshold ?? 0, tests: tested.length,
    });
    if (!decision.decided) return { kind: "undecided", message: `${decision.reason} (spec.monitoring.drift.minWindow)` };
    const drifted = tested.filter((f) => decision.drifted.some((d) => d.name === f.name)).sort((a, b) => (a.pValue ?? 1) - (b.pValue ?? 1));
    const rule = `p < ${Number(decision.threshold.toPrecision(3))} (false-alarm rate ${spec.falseAlarmRate} over ${tested.length} features)${spec.psiThreshold === undefined ? "" : ` and PSI ≥ ${spec.psiThreshold}`}`;
    return drifted.length === 0
      ? { kind: "decided", drifted, message: `no feature drifted: none has ${rule}` }
      : { kind: "decided", drifted, message: `${drifted.length} feature(s) drifted, ${rule}: ${top(drifted, true)}` };
  }
  const threshold = spec.psiThreshold ?? LEGACY_PSI_THRESHOLD;
  const drifted = all.filter((f) => f.psi > threshold);
  const max = all.reduce((m, f) => Math.max(m, f.psi), 0);
  return drifted.length === 0
    ? { kind: "decided", drifted, message: `max PSI ${max} is within ${threshold} (agents sent no bin counts to test)` }
    : { kind: "decided", drifted, message: `${drifted.length} feature(s) above PSI ${threshold}: ${top(drifted, false)} (agents sent no bin counts to test)` };
}

/** Same revision, window, max PSI and features: nothing worth a status write. */
function sameMeasurement(a: DriftStatus, b: DriftStatus): boolean {
  return a.revision === b.revision && a.window === b.window && a.maxPSI === b.maxPSI
    && JSON.stringify(a.features ?? []) === JSON.stringify(b.features ?? [])
    && JSON.stringify(a.prediction) === JSON.stringify(b.prediction);
}
