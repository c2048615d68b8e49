// The view model of `mdo get`: a ModelDeployment and its Deployments in, the documented view
// (schema.ts) out. Pure and deterministic: the time is passed in, nothing is read from the clock.
import type { V1Deployment } from "@kubernetes/client-node";
import { CONDITION_TYPES } from "../../api/index.ts";
import type { ModelDeploymentObject } from "../../controllers/modeldeployment/resource.ts";
import { buildDrift, lastInterval, rememberIntervals } from "./analysis.ts";
import { buildRevisions } from "./revisions.ts";
import { buildRollout } from "./rollout.ts";
import { VIEW_API_VERSION, type IntervalView, type ListRowView, type ModelDeploymentView } from "./schema.ts";

export interface ViewInput {
  md: ModelDeploymentObject;
  /** The ModelDeployment's Deployments (one per revision). */
  deployments: readonly V1Deployment[];
  /** The time of the view (relative times are rendered from it). */
  now: Date;
  /** Intervals seen before, newest first (`--watch`); the last one in status is added to them. */
  seenIntervals?: readonly IntervalView[];
}

const CONDITION_ORDER = new Map<string, number>(CONDITION_TYPES.map((t, i) => [t, i]));

export function buildView(input: ViewInput): ModelDeploymentView {
  const { md, now } = input;
  const status = md.status;
  const name = md.metadata?.name ?? "";
  const drift = buildDrift(status);
  const conditions = [...(status?.conditions ?? [])]
    .sort((a, b) => (CONDITION_ORDER.get(a.type) ?? 99) - (CONDITION_ORDER.get(b.type) ?? 99) || a.type.localeCompare(b.type))
    .map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: c.lastTransitionTime }));
  return {
    apiVersion: VIEW_API_VERSION,
    kind: "ModelDeploymentView",
    observedAt: now.toISOString(),
    name,
    namespace: md.metadata?.namespace ?? "",
    ...(status?.phase === undefined ? {} : { phase: status.phase }),
    ...(status?.url === undefined ? {} : { url: status.url }),
    generation: md.metadata?.generation ?? 0,
    ...(status?.observedGeneration === undefined ? {} : { observedGeneration: status.observedGeneration }),
    replicas: { desired: status?.replicas ?? 0, ready: status?.readyReplicas ?? 0 },
    revisions: buildRevisions(input.deployments, status),
    rollout: buildRollout(name, md.spec, status),
    analysis: { intervals: rememberIntervals(input.seenIntervals ?? [], lastInterval(md.spec, status)) },
    ...(drift === undefined ? {} : { drift }),
    ...(status?.lastFailure === undefined ? {} : { lastFailure: { ...status.lastFailure } }),
    conditions,
  };
}

/** One row of `mdo list`. */
export function buildListRow(md: ModelDeploymentObject): ListRowView {
  const status = md.status;
  const ready = status?.conditions?.find((c) => c.type === "Ready");
  const drift = status?.conditions?.find((c) => c.type === "DataDrift");
  const created = (md.metadata as { creationTimestamp?: string | Date } | undefined)?.creationTimestamp;
  return {
    name: md.metadata?.name ?? "",
    namespace: md.metadata?.namespace ?? "",
    ...(status?.phase === undefined ? {} : { phase: status.phase }),
    ...(status?.stable === undefined ? {} : { stable: { revision: status.stable.revision, ...(status.stable.modelVersion === undefined ? {} : { modelVersion: status.stable.modelVersion }) } }),
    ...(status?.canary === undefined ? {} : {
      canary: {
        revision: status.canary.revision, step: status.canary.step, weight: status.canary.weight,
        ...(status.canary.modelVersion === undefined ? {} : { modelVersion: status.canary.modelVersion }),
      },
    }),
    replicas: { desired: status?.replicas ?? 0, ready: status?.readyReplicas ?? 0 },
    ...(drift === undefined ? {} : { drift: drift.status === "True" }),
    ...(ready === undefined ? {} : { reason: ready.reason }),
    ...(created === undefined ? {} : { createdAt: new Date(created).toISOString() }),
  };
}
