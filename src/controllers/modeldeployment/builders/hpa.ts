// The HorizontalPodAutoscaler of one revision.
import type { V2HorizontalPodAutoscaler, V2MetricSpec } from "@kubernetes/client-node";
import { childNames } from "../labels.ts";
import type { BuildContext } from "./context.ts";
import { childMetadata, revisionLabels } from "./metadata.ts";
import { CONTAINER_MODEL_SERVER } from "./paths.ts";

/**
 * Per-pod requests per second as the agent counts them. The HPA reads it from the custom
 * metrics API (custom.metrics.k8s.io), so the cluster needs an adapter serving it, such as
 * prometheus-adapter with a rule that turns the agent's request counter into a rate named
 * mdo_agent_requests_per_second for pods. Without one the HPA reports
 * FailedGetPodsMetric and scales on its other metric only.
 */
export const REQUESTS_PER_SECOND_METRIC = "mdo_agent_requests_per_second";

/**
 * autoscaling/v2 HPA `<name>-<revision>` scaling that revision's Deployment between
 * minReplicas and maxReplicas when spec.autoscaling is set; null otherwise.
 * CPU is a ContainerResource metric of the model-server container, not a pod Resource metric:
 * the API promises utilisation of the model server's CPU request, and the agent's request
 * would otherwise dilute it. Scaling behaviour is left at the Kubernetes defaults.
 */
export function buildHorizontalPodAutoscaler(ctx: BuildContext): V2HorizontalPodAutoscaler | null {
  const { md, revision } = ctx;
  const autoscaling = md.spec.autoscaling;
  if (autoscaling === undefined) return null;
  const name = md.metadata.name ?? "";
  const metrics: V2MetricSpec[] = [];
  if (autoscaling.targetCPUUtilization !== undefined) {
    metrics.push({
      type: "ContainerResource",
      containerResource: {
        name: "cpu",
        container: CONTAINER_MODEL_SERVER,
        target: { type: "Utilization", averageUtilization: autoscaling.targetCPUUtilization },
      },
    });
  }
  if (autoscaling.targetRequestsPerSecond !== undefined) {
    metrics.push({
      type: "Pods",
      pods: {
        metric: { name: REQUESTS_PER_SECOND_METRIC },
        target: { type: "AverageValue", averageValue: String(autoscaling.targetRequestsPerSecond) },
      },
    });
  }
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: childMetadata(md, childNames.horizontalPodAutoscaler(name, revision), revisionLabels(md, revision)),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: childNames.deployment(name, revision) },
      minReplicas: autoscaling.minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      metrics,
    },
  };
}
