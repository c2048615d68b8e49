// One rollout decision per reconcile: load the persisted state, observe the canary's readiness,
// step the machine (running the analysis it asks for, then stepping again with the verdicts),
// and say what to apply. Only the analysis does I/O.
import type { V1Deployment } from "@kubernetes/client-node";
import type { ModelDeployment, ModelDeploymentStatus } from "../../../api/index.ts";
import type { Analyzer } from "../../../analysis/analyzer.ts";
import type { RolloutEvent } from "../../../rollout/actions.ts";
import { desiredActions } from "../../../rollout/actions.ts";
import { commandsFromAnnotations } from "../../../rollout/commands.ts";
import { step, type Observations } from "../../../rollout/machine.ts";
import { policyFromSpec, type RolloutPolicy } from "../../../rollout/policy.ts";
import type { RevisionRef, RolloutState } from "../../../rollout/state.ts";
import type { Verdict } from "../../../rollout/verdict.ts";
import type { TrafficRouter } from "../../../traffic/router.ts";
import { childNames } from "../labels.ts";
import type { OperatorSettings } from "../settings.ts";
import { replicaBudget } from "./budget.ts";
import { planRevisions, type RevisionPlan } from "./revision-plan.ts";
import { loadState } from "./state-codec.ts";

export interface RolloutInput {
  md: ModelDeployment;
  status: ModelDeploymentStatus | undefined;
  desired: RevisionRef;
  /** The ModelDeployment's Deployments, one per revision. */
  deployments: readonly V1Deployment[];
  router: TrafficRouter;
  settings: OperatorSettings;
  analyzer: Analyzer | undefined;
  now: Date;
  /** A drift action asks to return to the previous revision. */
  revert?: { reason: string; message: string };
}

export interface RolloutDecision {
  policy: RolloutPolicy;
  state: RolloutState;
  plan: RevisionPlan;
  events: RolloutEvent[];
  requeueAfterMs: number | undefined;
  /** Replicas shared by both revisions while a rollout runs; undefined when Stable. */
  budget: number | undefined;
  /** The verdicts of the analysis run during this decision, if one ran. */
  verdicts?: Verdict[];
}

export async function decideRollout(input: RolloutInput): Promise<RolloutDecision> {
  const { md, status, now } = input;
  const policy = policyFromSpec(md.spec.rollout);
  const commands = commandsFromAnnotations(md.metadata.annotations);
  const acknowledged = Object.fromEntries(commands.map((c) => [c.kind, c.id]));
  const state = loadState(status, input.desired, acknowledged);
  const budgetNow = replicaBudget(md, status?.rollout?.replicaBudget, stableReplicas(input, state));
  const planOf = (s: RolloutState, budget: number | undefined): RevisionPlan => planRevisions(desiredActions(s, policy), {
    md, settings: input.settings, router: input.router, budget: budget ?? budgetNow.budget, full: fullSize(md, s, budget ?? budgetNow.budget),
    stableRevision: s.stable.revision,
  });
  const given = planOf(state, state.phase === "Stable" ? undefined : budgetNow.budget);
  const obs: Observations = {
    desired: input.desired,
    canaryReady: state.canary === undefined || isReady(input, state.canary.revision, given.replicas.get(state.canary.revision)),
    commands,
    ...(input.revert === undefined ? {} : { revert: input.revert }),
  };
  let result = step(state, obs, policy, now);
  let verdicts: Verdict[] | undefined;
  const ask = result.actions.find((a) => a.kind === "RunAnalysis");
  if (ask !== undefined && md.spec.rollout?.analysis !== undefined) {
    verdicts = await analyse(input, ask.revision, state.stable.revision, policy, md.spec.rollout.analysis);
    result = step(state, { ...obs, verdicts }, policy, now);
  }
  const next = result.next;
  const budget = next.phase === "Stable" ? undefined : budgetNow.budget;
  const plan = planRevisions(result.actions, {
    md, settings: input.settings, router: input.router, budget: budgetNow.budget, full: fullSize(md, next, budget),
    stableRevision: next.stable.revision,
  });
  return {
    policy, state: next, plan, events: result.events, requeueAfterMs: result.requeueAfterMs, budget,
    ...(verdicts === undefined ? {} : { verdicts }),
  };
}

/** spec.replicas, or with autoscaling the rollout's budget while one runs (undefined: the HPA owns it). */
function fullSize(md: ModelDeployment, state: RolloutState, budget: number | undefined): number | undefined {
  if (md.spec.replicas !== undefined) return md.spec.replicas;
  return state.phase === "Stable" ? undefined : budget;
}

function stableReplicas(input: RolloutInput, state: RolloutState): number | undefined {
  const name = childNames.deployment(input.md.metadata.name ?? "", state.stable.revision);
  return input.deployments.find((d) => d.metadata?.name === name)?.spec?.replicas;
}

/** The revision's Deployment runs, ready and up to date, exactly `want` replicas (any count when undefined). */
function isReady(input: RolloutInput, revision: string, want: number | undefined): boolean {
  const name = childNames.deployment(input.md.metadata.name ?? "", revision);
  const d = input.deployments.find((x) => x.metadata?.name === name);
  if (d === undefined) return want === 0;
  const target = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  if (want !== undefined && target !== want) return false;
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
    && (s.updatedReplicas ?? 0) >= target
    && (s.readyReplicas ?? 0) >= target
    && (s.availableReplicas ?? 0) >= target
    && (s.replicas ?? 0) === target;
}

async function analyse(input: RolloutInput, revision: string, stableRevision: string, policy: RolloutPolicy, analysis: NonNullable<NonNullable<ModelDeployment["spec"]["rollout"]>["analysis"]>): Promise<Verdict[]> {
  if (input.analyzer === undefined) {
    return [{ check: "analysis", status: "noData", threshold: {}, reason: "AnalyzerUnavailable", message: "this operator runs without metrics providers" }];
  }
  return input.analyzer.analyze({
    namespace: input.md.metadata.namespace ?? "",
    name: input.md.metadata.name ?? "",
    revision,
    stableRevision,
    intervalMs: policy.analysis?.intervalMs ?? 60_000,
    analysis,
  });
}
