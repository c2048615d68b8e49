// ModelDeployment.status: written only by the operator, once per reconcile, through the status
// subresource. Objects here strip unknown fields rather than reject them.
import { z } from "zod";
import { Conditions, lastFailure, timestamp } from "./condition.ts";
import { listAtomic, listMap } from "./lists.ts";
import { quantity } from "./quantity.ts";
import { CheckResult, RolloutStateStatus } from "./rollout-status.ts";

export const PHASES = [
  "Pending",
  "Progressing",
  "Ready",
  "Degraded",
  "Failed",
  "Suspended",
] as const;
export type Phase = (typeof PHASES)[number];

export const ROLLOUT_OUTCOMES = ["Promoted", "RolledBack", "Aborted", "Superseded"] as const;
/** Entries kept in status.history; the oldest go first. */
export const MAX_HISTORY = 10;

const revision = (description: string) => z.string().min(1).max(63).describe(description);
const modelVersion = () => z.string().max(63).describe("Model version of the revision (spec.model.version or derived from the URI).");
const count = (description: string) => z.int().min(0).describe(description);
const weight = (description: string) => z.int().min(0).max(100).describe(description);

const CanaryStatus = z
  .object({
    revision: revision("Revision receiving canary traffic."),
    modelVersion: modelVersion().optional(),
    step: z.int().min(0).max(10).describe("Index of the current canary step, from 0."),
    weight: weight("Percent of traffic the canary should receive now."),
    stepStartedAt: timestamp("When the current step started.").optional(),
    analysis: z
      .object({
        successRate: z.number().min(0).max(1).optional().describe("Last measured success rate, 0 to 1."),
        latencyP99Ms: z.number().min(0).optional().describe("Last measured p99 latency in milliseconds."),
        driftPSI: z.number().min(0).optional().describe("Last largest feature PSI, when the drift check used the PSI rule (agents that send no bin counts)."),
        driftPValue: z.number().min(0).max(1).optional().describe("Last smallest Bonferroni-adjusted p-value of the drift check's tests; below analysis.drift.falseAlarmRate fails."),
        agreement: z.number().min(0).max(1).optional().describe("Shadow phase: last share of compared rows on which the candidate agreed with the stable revision."),
        failedChecks: count("Failed analysis intervals in this rollout so far."),
        evaluatedAt: timestamp("When the last interval was analysed.").optional(),
        checks: listMap(z.array(CheckResult).max(16), "name").optional().describe("Verdict of each check in the last analysed interval."),
      })
      .optional()
      .describe("Latest analysis results of the canary."),
  })
  .describe("The revision being rolled out, while a rollout is in progress.");

const TrafficEntry = z
  .object({
    revision: revision("Revision name."),
    desiredWeight: weight("Percent of traffic the router is configured to send to the revision."),
    measuredWeight: weight("Percent of ready pods that belong to the revision (the Replicas router: the share kube-proxy spreads requests over); absent when the router sets exact weights.").optional(),
  })
  .describe("Traffic share of one revision.");

const DriftStatus = z
  .object({
    revision: revision("Revision whose inputs were compared (the stable one).").optional(),
    evaluatedAt: timestamp("When drift was last computed."),
    window: count("Rows compared with the baseline: the revision's pods' latest tumbling windows (spec.monitoring.drift.window rows each, or 10 minutes' worth), summed."),
    maxPSI: z.number().min(0).describe("Largest PSI over all features."),
    features: listMap(
      z
        .array(
          z
            .object({
              name: z.string().min(1).max(253).describe("Feature name from the baseline."),
              psi: z.number().min(0).describe("Population Stability Index of the feature."),
              pValue: z.number().min(0).max(1).optional().describe("p-value of the feature's homogeneity test (pods pooled); small means drifted."),
            })
            .describe("Drift of one feature."),
        )
        .max(64),
      "name",
    ).optional().describe("The most drifted features, largest PSI first, at most 64."),
    prediction: z
      .object({
        name: z.string().min(1).max(253).describe("The prediction profile's name in the baseline."),
        psi: z.number().min(0).describe("Population Stability Index of the model's outputs."),
        pValue: z.number().min(0).max(1).optional().describe("p-value of the outputs' homogeneity test (pods pooled); small means drifted."),
      })
      .optional()
      .describe("Drift of the model's outputs against the baseline's prediction profile (mdo baseline build --prediction); tested with the features."),
    lastAction: z
      .object({
        action: z.enum(["Alert", "Rollback", "Retrain"]).describe("What was done (spec.monitoring.drift.action)."),
        time: timestamp("When; the next action waits for spec.monitoring.drift.cooldown after it."),
        revision: revision("The drifted revision it was taken for."),
        job: z.string().max(253).optional().describe("Name of the retraining Job (action Retrain)."),
        outcome: z.string().max(1024).optional().describe("What came of it, when it did not do what the action says (e.g. no previous revision to roll back to)."),
      })
      .optional()
      .describe("The last drift action taken, for the cooldown."),
  })
  .describe("Latest drift of the serving revision's inputs against the baseline.");

const PerformanceStatus = z
  .object({
    revision: revision("Revision whose predictions were scored (the stable one)."),
    evaluatedAt: timestamp("When the scores were last read."),
    labels: count("Labelled predictions scored since the revision's pods started."),
    accuracy: z.number().min(0).max(1).optional().describe("Share of correct predictions (Classification)."),
    meanAbsoluteError: z.number().min(0).optional().describe("Mean absolute error (Regression)."),
    rootMeanSquaredError: z.number().min(0).optional().describe("Root mean squared error (Regression)."),
  })
  .describe("Ground truth of the serving revision: its predictions scored against labels posted to POST /mdo/feedback.");

const HistoryEntry = z
  .object({
    revision: revision("Revision name."),
    modelVersion: modelVersion().optional(),
    outcome: z.enum(ROLLOUT_OUTCOMES).describe("How the rollout of the revision ended."),
    time: timestamp("When the rollout ended."),
  })
  .describe("One finished rollout.");

const resourceList = (description: string) =>
  z.object({ cpu: quantity("CPU.").optional(), memory: quantity("Memory.").optional() }).describe(description);

const AppliedDefaults = z
  .object({
    replicas: count("Replicas run because the spec sets neither replicas nor autoscaling.").optional(),
    runtime: z.string().max(63).optional().describe("The serving runtime chosen for spec.model.format, because spec.model.runtime is not set."),
    resources: z
      .object({
        requests: resourceList("Requests the runtime gave the model server."),
        limits: resourceList("Limits the runtime gave the model server.").optional(),
      })
      .optional()
      .describe("The runtime's requests and limits for each resource (cpu, memory) that spec.resources names nowhere."),
  })
  .describe("Values the operator filled in because the spec left them out and the CRD cannot default them; the spec's own values always win.");

const AutoscalingStatus = z
  .object({
    metric: z.enum(["concurrency", "rps"]).describe("What the operator scales on (spec.autoscaling.metric)."),
    target: z.number().min(0).describe("Target per pod."),
    desiredReplicas: count("Replicas the operator's autoscaler asks for, as of its last decision."),
    observedLoad: z.number().min(0).optional().describe("Average load per ready pod over the stable window at that decision: requests in flight, or requests per second."),
    panic: z.boolean().optional().describe("True while the panic window decides (fast scale-up, no scale-down)."),
    lastScaleTime: timestamp("When desiredReplicas last changed.").optional(),
    routedToActivator: z
      .boolean()
      .optional()
      .describe("With minReplicas 0: true while the Service sends requests to the MDO activator (no ready pod), which holds them until one is."),
    message: z.string().max(1024).optional().describe("Why this count, or why there is no decision yet."),
  })
  .describe("The operator's autoscaler (metric concurrency or rps), while it sizes the serving revision (not during a rollout).");

export const ModelDeploymentStatus = z
  .object({
    observedGeneration: count("metadata.generation of the spec this status describes.").optional(),
    phase: z.enum(PHASES).optional().describe("One-word summary for people; automation should read conditions."),
    conditions: Conditions.optional(),
    url: z.string().max(2048).optional().describe("In-cluster URL of the model's inference endpoint."),
    replicas: count("Replicas of all revisions (the scale subresource's status.replicas).").optional(),
    readyReplicas: count("Ready replicas of all revisions.").optional(),
    selector: z.string().max(1024).optional().describe("Label selector of the pods, for the scale subresource."),
    defaults: AppliedDefaults.optional(),
    autoscaling: AutoscalingStatus.optional(),
    stable: z
      .object({
        revision: revision("Revision serving stable traffic."),
        modelVersion: modelVersion().optional(),
        readyReplicas: count("Ready replicas of the stable revision."),
      })
      .optional()
      .describe("The revision serving production traffic."),
    canary: CanaryStatus.optional(),
    traffic: listMap(z.array(TrafficEntry).max(4), "revision").optional().describe("Traffic share per revision."),
    drift: DriftStatus.optional(),
    performance: PerformanceStatus.optional(),
    lastFailure: lastFailure("The current failure (pods, rollout, analysis or reconcile), with the time it was first seen; cleared once the ModelDeployment is Ready again (Events keep the history).").optional(),
    rollout: RolloutStateStatus.optional(),
    history: listAtomic(z.array(HistoryEntry).max(MAX_HISTORY))
      .optional()
      .describe(`The last ${MAX_HISTORY} finished rollouts, oldest first.`),
  })
  .describe("Observed state of the ModelDeployment, written by the operator.");
export type ModelDeploymentStatus = z.output<typeof ModelDeploymentStatus>;
