// ModelDeployment.spec and the rules that span its sections.
import { z } from "zod";
import { ModelSpec } from "./model.ts";
import { MonitoringSpec } from "./monitoring.ts";
import { imageReference } from "./names.ts";
import { NetworkPolicySpec } from "./network-policy.ts";
import { ResourcesSpec } from "./resources.ts";
import { RolloutSpec } from "./rollout.ts";
import { withRules } from "./rules.ts";
import { AutoscalingSpec, Replicas } from "./scaling.ts";
import { NodeSelector, Tolerations } from "./scheduling.ts";
import { ServingSpec } from "./serving.ts";

export const PROTOCOLS = ["v2", "v1", "openai", "raw"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

const SpecShape = z
  .strictObject({
    model: ModelSpec,
    image: imageReference("Container image of the model server, as registry/repository[:tag][@sha256:digest]. " +
          "Required when model.format is custom; otherwise it overrides the runtime's image.",).optional(),
    protocol: z
      .enum(PROTOCOLS)
      .default("v2")
      .describe(
        "Inference protocol the model server speaks, which the agent uses to read requests for " +
          "metrics, cache and drift: v2 (Open Inference Protocol, the default), v1 (TensorFlow " +
          "Serving style), openai (chat and completions, huggingface or custom models only) or " +
          "raw (opaque bodies: no per-feature drift).",
      ),
    resources: ResourcesSpec.optional(),
    replicas: Replicas.optional(),
    autoscaling: AutoscalingSpec.optional(),
    rollout: RolloutSpec.optional(),
    monitoring: MonitoringSpec.optional(),
    serving: ServingSpec.optional(),
    networkPolicy: NetworkPolicySpec.optional(),
    nodeSelector: NodeSelector.optional(),
    tolerations: Tolerations.optional(),
    suspend: z
      .boolean()
      .default(false)
      .describe(
        "When true, the operator stops reconciling: no rollout advances and nothing is " +
          "changed or deleted. Serving replicas keep running.",
      ),
  })
  .describe("Desired state of the ModelDeployment.");

export const ModelDeploymentSpec = withRules(SpecShape, [
  {
    cel:
      "!has(self.autoscaling) || self.autoscaling.minReplicas > 0 || !has(self.rollout) || " +
      "!has(self.rollout.trafficRouter) || self.rollout.trafficRouter.type == 'Replicas'",
    holds: (self) =>
      self.autoscaling === undefined || self.autoscaling.minReplicas > 0 || self.rollout?.trafficRouter === undefined ||
      self.rollout.trafficRouter.type === "Replicas",
    message:
      "spec.autoscaling.minReplicas 0 (scale to zero) needs the Replicas traffic router: GatewayAPI and Istio route to the pods by revision, around the MDO activator",
    fieldPath: ".autoscaling.minReplicas",
  },
  {
    cel: "!has(self.replicas) || !has(self.autoscaling)",
    holds: (self) => self.replicas === undefined || self.autoscaling === undefined,
    message: "spec.autoscaling must not be set together with spec.replicas; set at most one of them",
    fieldPath: ".autoscaling",
    reason: "FieldValueForbidden",
  },
  {
    cel: "self.model.format != 'custom' || has(self.image)",
    holds: (self) => self.model.format !== "custom" || self.image !== undefined,
    message: "spec.image is required when spec.model.format is custom",
    fieldPath: ".image",
    reason: "FieldValueRequired",
  },
  {
    cel: "self.model.format != 'custom' || !has(self.model.runtime)",
    holds: (self) => self.model.format !== "custom" || self.model.runtime === undefined,
    message: "spec.model.runtime must not be set when spec.model.format is custom: spec.image is the server",
    fieldPath: ".model.runtime",
    reason: "FieldValueForbidden",
  },
  {
    cel: "self.protocol != 'openai' || self.model.format in ['huggingface', 'custom']",
    holds: (self) => self.protocol !== "openai" || ["huggingface", "custom"].includes(self.model.format),
    message: "spec.protocol openai is only supported when spec.model.format is huggingface or custom",
    fieldPath: ".protocol",
  },
  {
    cel:
      "!has(self.rollout) || !has(self.rollout.analysis) || !has(self.rollout.analysis.drift) || " +
      "(has(self.monitoring) && has(self.monitoring.drift))",
    holds: (self) =>
      self.rollout?.analysis?.drift === undefined || self.monitoring?.drift !== undefined,
    message:
      "spec.rollout.analysis.drift needs spec.monitoring.drift, which names the baseline to compare with",
    fieldPath: ".rollout.analysis.drift",
  },
  {
    cel:
      "!has(self.rollout) || !has(self.rollout.analysis) || !has(self.rollout.analysis.groundTruth) || " +
      "(has(self.monitoring) && has(self.monitoring.groundTruth) && " +
      "(has(self.rollout.analysis.groundTruth.minAccuracy) == (self.monitoring.groundTruth.kind == 'Classification')))",
    holds: (self) => {
      const check = self.rollout?.analysis?.groundTruth;
      const truth = self.monitoring?.groundTruth;
      return check === undefined || (truth !== undefined && (check.minAccuracy !== undefined) === (truth.kind === "Classification"));
    },
    message:
      "spec.rollout.analysis.groundTruth needs spec.monitoring.groundTruth, whose kind decides the threshold: " +
      "minAccuracy for Classification, maxMeanAbsoluteError for Regression",
    fieldPath: ".rollout.analysis.groundTruth",
  },
  {
    cel: "!has(self.monitoring) || !has(self.monitoring.groundTruth) || self.protocol in ['v2', 'v1']",
    holds: (self) => self.monitoring?.groundTruth === undefined || self.protocol === "v2" || self.protocol === "v1",
    message:
      "spec.monitoring.groundTruth needs one prediction per request row, which the agent reads from v2 or v1 answers; " +
      "use protocol v2 or v1, or remove spec.monitoring.groundTruth",
    fieldPath: ".monitoring.groundTruth",
  },
]);
export type ModelDeploymentSpec = z.output<typeof ModelDeploymentSpec>;
