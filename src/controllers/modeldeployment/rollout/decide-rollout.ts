// One rollout decision per reconcile: load the persisted state, observe the canary's readiness,
// settle the machine (src/rollout/settle.ts) with the analysis and the webhooks as its answers,
// and say what to apply. Only the analysis and the webhooks do I/O; both are injected.
import type { V1Deployment } from "@kubernetes/client-node";
import type { ModelDeployment, ModelDeploymentStatus } from "../../../api/index.ts";
import type { Analyzer } from "../../../analysis/analyzer.ts";
import type { Action, RolloutEvent } from "../../../rollout/actions.ts";
import { desiredActions } from "../../../rollout/actions.ts";
import { commandsFromAnnotations } from "../../../rollout/commands.ts";
import type { Observations } from "../../../rollout/machine.ts";
import { policyFromSpec, type RolloutPolicy } from "../../../rollout/policy.ts";
import { settle, type Answers, type Question } from "../../../rollout/settle.ts";
import type { RevisionRef, RolloutState } from "../../../rollout/state.ts";
import type { WebhookCall, WebhookResults } from "../../../rollout/hook-state.ts";
import type { Verdict } from "../../../rollout/verdict.ts";
import type { WebhookCaller } from "../../../webhooks/types.ts";
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
  /** Runs the canary's analysis; without one, every analysis is noData (AnalyzerUnavailable). */
  analyzer: Analyzer | undefined;
  /** Calls spec.rollout.webhooks (the operator's: over HTTP, see src/webhooks/http-caller.ts). */
  webhooks: WebhookCaller;
  /** The time of the decision (read once from the reconcile's clock). */
  now: Date;
  /** A drift action asks to return to the previous revision. */
  revert?: { reason: string; message: string };
  /** The canary's pods failed for good (see Observations.canaryFailure), by revision. */
  failures?: ReadonlyMap<string, { reason: string; message: string }>;
  /** The reconcile's: aborts the analysis (shutdown, lost leadership). */
  signal?: AbortSignal;
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
    ...canaryFailure(input, state),
  };
  const { result, answers } = await settle(state, obs, policy, now, (questions) => answer(input, state, policy, questions));
  const verdicts = answers.verdicts;
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

function canaryFailure(input: RolloutInput, state: RolloutState): Pick<Observations, "canaryFailure"> {
  const failure = state.canary === undefined ? undefined : input.failures?.get(state.canary.revision);
  return failure === undefined ? {} : { canaryFailure: failure };
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

/** Runs the analysis and calls the webhooks asked for, concurrently; rejects when the reconcile was aborted. */
async function answer(input: RolloutInput, state: RolloutState, policy: RolloutPolicy, questions: readonly Question[]): Promise<Answers> {
  const analysis = input.md.spec.rollout?.analysis;
  const run = questions.find((q) => q.kind === "RunAnalysis");
  const calls = questions.flatMap((q) => (q.kind === "CallWebhooks" ? [q.call] : []));
  const [verdicts, results] = await Promise.all([
    run === undefined ? undefined : analyse(input, run, state.stable.revision, policy, analysis),
    Promise.all(calls.map((call) => callHooks(input, call))),
  ]);
  // Aborted (shutdown, lost leadership): no decision on answers cut short — a hook that "failed"
  // only because this process stopped must not roll anything back.
  input.signal?.throwIfAborted();
  return { ...(verdicts === undefined ? {} : { verdicts }), webhooks: Object.fromEntries(calls.map((c, i) => [c.type, results[i] ?? []])) };
}

async function callHooks(input: RolloutInput, call: WebhookCall): Promise<WebhookResults[keyof WebhookResults]> {
  const target = { name: input.md.metadata.name ?? "", namespace: input.md.metadata.namespace ?? "" };
  return input.webhooks.call(input.md.spec.rollout?.webhooks ?? [], call, target, input.signal);
}

async function analyse(input: RolloutInput, run: Extract<Action, { kind: "RunAnalysis" }>, stableRevision: string, policy: RolloutPolicy, analysis: NonNullable<ModelDeployment["spec"]["rollout"]>["analysis"]): Promise<Verdict[]> {
  if (analysis === undefined) return [];
  if (input.analyzer === undefined) {
    return [{ check: "analysis", status: "noData", threshold: {}, reason: "AnalyzerUnavailable", message: "this operator runs without metrics providers" }];
  }
  return input.analyzer.analyze({
    namespace: input.md.metadata.namespace ?? "",
    name: input.md.metadata.name ?? "",
    revision: run.revision,
    stableRevision,
    ...(run.shadowing ? { shadowing: true } : {}),
    intervalMs: policy.analysis?.intervalMs ?? 60_000,
    analysis,
  }, input.signal);
}
