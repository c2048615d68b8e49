// The HorizontalPodAutoscaler of one revision (metric cpu; the operator scales on concurrency and rps).
import type { V2HorizontalPodAutoscaler } from "@kubernetes/client-node";
import { autoscalingTarget } from "../../../api/index.ts";
import { childNames } from "../labels.ts";
import type { BuildContext } from "./context.ts";
import { childMetadata, revisionLabels } from "./metadata.ts";
import { CONTAINER_MODEL_SERVER } from "./paths.ts";

/**
 * autoscaling/v2 HPA `<name>-<revision>` scaling that revision's Deployment between
 * minReplicas and maxReplicas when spec.autoscaling scales on cpu; null otherwise (no
 * autoscaling, or concurrency / rps, where the operator is the autoscaler: autoscaler/).
 * CPU is a ContainerResource metric of the model-server container, not a pod Resource metric:
 * the API promises utilisation of the model server's CPU request, and the agent's request
 * would otherwise dilute it. Scaling behaviour is left at the Kubernetes defaults.
 */
export function buildHorizontalPodAutoscaler(ctx: BuildContext): V2HorizontalPodAutoscaler | null {
  const { md, revision } = ctx;
  const autoscaling = md.spec.autoscaling;
  if (autoscaling === undefined) return null;
  const { metric, target } = autoscalingTarget(autoscaling);
  if (metric !== "cpu") return null;
  const name = md.metadata.name ?? "";
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: childMetadata(md, childNames.horizontalPodAutoscaler(name, revision), revisionLabels(md, revision)),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: childNames.deployment(name, revision) },
      minReplicas: autoscaling.minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      metrics: [{
        type: "ContainerResource",
        containerResource: {
          name: "cpu",
          container: CONTAINER_MODEL_SERVER,
          target: { type: "Utilization", averageUtilization: Math.round(target) },
        },
      }],
    },
  };
}
