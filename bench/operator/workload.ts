// The ModelDeployments of the benchmark: the smallest realistic one (a custom model server, one
// replica, a model in object storage) with a one-step Canary policy, so a new model version
// exercises the rollout machine.
import type { ModelDeploymentObject } from "../../src/controllers/modeldeployment/resource.ts";

export const BENCH_NAMESPACE = "bench";

export function benchName(i: number): string {
  return `model-${String(i).padStart(5, "0")}`;
}

export function benchModelDeployment(name: string, version = "v1"): ModelDeploymentObject {
  return {
    apiVersion: "mdo.dev/v1alpha1",
    kind: "ModelDeployment",
    metadata: { name, namespace: BENCH_NAMESPACE },
    spec: {
      model: { uri: `s3://models/${name}/${version}`, format: "custom", version },
      image: "registry.example/model-server:1.0",
      replicas: 1,
      rollout: { strategy: "Canary", steps: [{ weight: 50, pause: "0s" }] },
    },
  } as ModelDeploymentObject;
}

/** The merge patch that gives a ModelDeployment a new model version (a new revision, a rollout). */
export function newVersionPatch(name: string, version: string): Record<string, unknown> {
  return { spec: { model: { uri: `s3://models/${name}/${version}`, version } } };
}
