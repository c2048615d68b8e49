// Drift monitoring of the stable revision, decided purely: what status.drift and the DataDrift
// condition say, and whether an action is due (spec.monitoring.drift.action, once per cooldown).
import type { DriftMonitoringSpec, ModelDeploymentStatus } from "../../../api/index.ts";
import { parseDuration } from "../../../api/index.ts";
import type { Reading, RevisionDrift } from "../../../analysis/index.ts";
import type { ConditionUpdate } from "../../../runtime/conditions.ts";
import { formatTime } from "../../../runtime/conditions.ts";

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
} as const;

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
 * - Every feature at or below psiThreshold: DataDrift False (NoDrift).
 * - Some feature above: DataDrift True (DriftDetected) naming the top features, and `action`
 *   when spec.monitoring.drift.cooldown has passed since status.drift.lastAction.
 * status.drift changes only when the measurement does (PSI rounded to 3 decimals).
 */
export function assessDrift(input: DriftInput): DriftAssessment {
  const { spec, reading, revision, previous, now } = input;
  const condition = (status: "True" | "False" | "Unknown", reason: string, message: string): ConditionUpdate =>
    ({ type: "DataDrift", status, reason, message, observedGeneration: input.generation });
  if (!reading.ok) {
    return { drift: previous, condition: condition("Unknown", DataDriftReasons.NoData, `no drift report for revision ${revision}: ${reading.message} (${reading.reason})`) };
  }
  const round = (v: number): number => Number(v.toFixed(DECIMALS));
  const all = reading.value.features.map((f) => ({ name: f.name, psi: round(f.psi) }));
  // status.drift.features holds at most 64; the drifted count covers every feature.
  const features = all.slice(0, MAX_STATUS_FEATURES);
  const measured: DriftStatus = {
    revision,
    evaluatedAt: formatTime(now),
    window: reading.value.window,
    maxPSI: round(reading.value.maxPSI),
    ...(features.length === 0 ? {} : { features }),
    ...(previous?.lastAction === undefined ? {} : { lastAction: previous.lastAction }),
  };
  const drift = previous !== undefined && sameMeasurement(previous, measured) ? previous : measured;
  const drifted = all.filter((f) => f.psi > spec.psiThreshold);
  if (drifted.length === 0) {
    return { drift, condition: condition("False", DataDriftReasons.NoDrift, `max PSI ${measured.maxPSI} of revision ${revision} is within ${spec.psiThreshold} (window ${measured.window})`) };
  }
  const top = drifted.slice(0, 5).map((f) => `${f.name} ${f.psi}`).join(", ");
  const what = `revision ${revision}: ${drifted.length} feature(s) above PSI ${spec.psiThreshold}: ${top} (window ${measured.window})`;
  const cooldownMs = parseDuration(spec.cooldown) ?? DEFAULT_COOLDOWN_MS;
  const last = previous?.lastAction;
  const coolingUntil = last === undefined ? 0 : Date.parse(last.time) + cooldownMs;
  if (last !== undefined && now.getTime() < coolingUntil) {
    return { drift, condition: condition("True", DataDriftReasons.DriftDetected, `${what}; ${last.action} taken at ${last.time}, next action not before ${formatTime(new Date(coolingUntil))}`) };
  }
  const action: DriftAction = { action: spec.action, time: formatTime(now), revision };
  return { drift, condition: condition("True", DataDriftReasons.DriftDetected, `${what}; action ${spec.action}`), action };
}

/** Same revision, window, max PSI and features: nothing worth a status write. */
function sameMeasurement(a: DriftStatus, b: DriftStatus): boolean {
  return a.revision === b.revision && a.window === b.window && a.maxPSI === b.maxPSI
    && JSON.stringify(a.features ?? []) === JSON.stringify(b.features ?? []);
}
