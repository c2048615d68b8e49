// The machine's actions turned into numbers: replicas per revision, the router's objects, the
// revisions to retire and the analysis to run. Pure.
import type { ModelDeployment } from "../../../api/index.ts";
import type { Action } from "../../../rollout/actions.ts";
import type { TrafficPlan, TrafficRouter } from "../../../traffic/router.ts";
import type { OperatorSettings } from "../settings.ts";

export interface RevisionPlan {
  /** Replicas to set per revision; a revision not listed keeps its count (e.g. an HPA owns it). */
  replicas: Map<string, number>;
  /** The canary weight the machine wants (0 without a canary), and the revisions it applies to. */
  weights: { stableRevision: string; canaryRevision?: string; canary: number };
  traffic: TrafficPlan;
  retire: string[];
  /** The revision to analyse now, when the machine asked for analysis. */
  analyse?: string;
  /** The shadow phase: the stable revision's agents mirror requests to the candidate. */
  mirror?: { stableRevision: string; candidateRevision: string };
}

export interface PlanInput {
  md: ModelDeployment;
  settings: OperatorSettings;
  router: TrafficRouter;
  /**
   * A revision's whole size (RevisionSize Full): spec.replicas, or the rollout's replica budget
   * with autoscaling; undefined when an HPA owns the count (autoscaling, no rollout).
   */
  full: number | undefined;
  /** Replicas shared by both revisions for RevisionSize ForWeight (at least 1). */
  budget: number;
  /** The stable revision, for the router when the actions set no weights (a Rolling update). */
  stableRevision: string;
}

/** What `actions` (from `step` or `desiredActions`) ask for, in numbers. */
export function planRevisions(actions: readonly Action[], input: PlanInput): RevisionPlan {
  const setWeights = actions.find((a) => a.kind === "SetWeights");
  const weights = setWeights === undefined
    ? { stableRevision: input.stableRevision, canary: 0 }
    : { stableRevision: setWeights.stableRevision, ...(setWeights.canaryRevision === undefined ? {} : { canaryRevision: setWeights.canaryRevision }), canary: setWeights.canary };
  const traffic = input.router.plan({
    md: input.md,
    settings: input.settings,
    stableRevision: weights.stableRevision,
    ...(weights.canaryRevision === undefined ? {} : { canaryRevision: weights.canaryRevision }),
    canaryWeight: weights.canary,
    budget: Math.max(1, input.budget),
  });
  const replicas = new Map<string, number>();
  const retire: string[] = [];
  let analyse: string | undefined;
  let mirror: RevisionPlan["mirror"];
  const shadowReplicas = Math.max(1, Math.ceil(Math.max(1, input.budget) * (input.md.spec.rollout?.shadow?.sampleRate ?? 1)));
  for (const action of actions) {
    if (action.kind === "Mirror") {
      mirror = { stableRevision: action.stableRevision, candidateRevision: action.candidateRevision };
    } else if (action.kind === "ScaleRevision") {
      const count = action.size === "Shadow" ? shadowReplicas : sizeOf(action.size, action.revision, weights, traffic, input.full);
      if (count !== undefined) replicas.set(action.revision, count);
    } else if (action.kind === "RetireRevision") {
      retire.push(action.revision);
    } else if (action.kind === "RunAnalysis") {
      analyse = action.revision;
    }
  }
  return { replicas, weights, traffic, retire, ...(analyse === undefined ? {} : { analyse }), ...(mirror === undefined ? {} : { mirror }) };
}

function sizeOf(size: "Full" | "ForWeight" | "Zero", revision: string, weights: RevisionPlan["weights"], traffic: TrafficPlan, full: number | undefined): number | undefined {
  if (size === "Zero") return 0;
  if (size === "Full") return full;
  return revision === weights.canaryRevision ? traffic.replicas.canary : traffic.replicas.stable;
}
