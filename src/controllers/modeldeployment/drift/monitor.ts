// Drift monitoring of the stable revision in a reconcile: read its agents' drift, assess it, and
// carry out the action that is due (Alert: Event and metric; Retrain: a Job; Rollback: handed to
// the rollout state machine as a revert).
import type { ModelDeployment } from "../../../api/index.ts";
import { parseDuration } from "../../../api/index.ts";
import { ApiError } from "../../../runtime/client/api-error.ts";
import { Resources } from "../../../runtime/client/resource.ts";
import type { EventSpec } from "../../../runtime/events.ts";
import type { Logger } from "../../../runtime/logging.ts";
import type { ReconcilerDeps } from "../deps.ts";
import type { ModelDeploymentObject } from "../resource.ts";
import { assessDrift, type DriftAssessment } from "./assess.ts";
import { buildRetrainJob, retrainJobName } from "./retrain-job.ts";

export interface DriftMonitoring {
  assessment: DriftAssessment;
  /** Set when the action is Rollback: the rollout machine returns to the previous revision. */
  revert?: { reason: string; message: string };
  events: EventSpec[];
}

export const DRIFT_EVENT_REASON = "DataDrift";

/** Undefined when drift is not monitored (no spec.monitoring.drift, no reader, no stable revision yet). */
export async function monitorDrift(md: ModelDeploymentObject, model: ModelDeployment, deps: ReconcilerDeps, log: Logger): Promise<DriftMonitoring | undefined> {
  const spec = model.spec.monitoring?.drift;
  const revision = md.status?.rollout?.stable.revision ?? md.status?.stable?.revision;
  if (spec === undefined || deps.readDrift === undefined || revision === undefined) return undefined;
  const namespace = md.metadata?.namespace ?? "";
  const name = md.metadata?.name ?? "";
  const now = new Date(deps.clock.now());
  const reading = await deps.readDrift(namespace, name, revision, deps.signal);
  if (reading.ok) deps.metrics?.driftMaxPsi.set({ namespace, name, revision }, reading.value.maxPSI);
  const assessment = assessDrift({ spec, reading, revision, previous: md.status?.drift, generation: md.metadata?.generation ?? 0, now });
  const action = assessment.action;
  if (action === undefined || assessment.drift === undefined) return { assessment, events: [] };

  const events: EventSpec[] = [];
  let revert: DriftMonitoring["revert"];
  const why = assessment.condition.message;
  if (action.action === "Alert") {
    events.push({ type: "Warning", reason: DRIFT_EVENT_REASON, message: `Data drift: ${why}` });
  } else if (action.action === "Rollback") {
    revert = { reason: DRIFT_EVENT_REASON, message: `data drift: ${why}` };
  } else {
    const cooldownMs = parseDuration(spec.cooldown) ?? 3_600_000;
    const job = retrainJobName(name, revision, now.getTime(), cooldownMs);
    try {
      await deps.client.create(Resources.jobs, buildRetrainJob(model, job, assessment.drift));
      log.info("Created retraining Job", { job, revision });
    } catch (error) {
      if (!(error instanceof ApiError && error.isAlreadyExists)) throw error;
    }
    action.job = job;
    events.push({ type: "Warning", reason: DRIFT_EVENT_REASON, message: `Data drift: ${why}; started retraining Job ${job}` });
  }
  deps.metrics?.driftActions.inc({ namespace, name, action: action.action });
  assessment.drift = { ...assessment.drift, lastAction: action };
  return { assessment, events, ...(revert === undefined ? {} : { revert }) };
}
