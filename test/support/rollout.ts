// Helpers for rollout tests: ModelDeployments with a rollout policy, their status.rollout, their
// revisions' Deployments and their Events.
import { kubectlOk, type TestCluster } from "./cluster.ts";
import { minimalMdep, type MdepView } from "./mdep.ts";

export interface RolloutView {
  phase: string;
  step: number;
  weight: number;
  stepStartedAt?: string;
  reason: string;
  message: string;
  stable: { revision: string; modelVersion?: string };
  canary?: { revision: string; modelVersion?: string };
  previous?: { revision: string; modelVersion?: string };
  replicaBudget?: number;
  acknowledged: Record<string, string>;
}

export interface RolloutMdepView extends MdepView {
  status?: MdepView["status"] & {
    rollout?: RolloutView;
    canary?: { revision: string; step: number; weight: number; analysis?: { failedChecks: number; checks?: { name: string; status: string; value?: number; reason: string; message: string }[] } };
    traffic?: { revision: string; desiredWeight: number; measuredWeight?: number }[];
    history?: { revision: string; modelVersion?: string; outcome: string; time: string }[];
  };
}

/** A minimalMdep manifest with `spec.rollout` (and any other spec fields) merged in. */
export function mdepWithRollout(name: string, ns: string, rollout: Record<string, unknown>, options: { replicas?: number; version?: string; image?: string; spec?: Record<string, unknown> } = {}): string {
  const manifest = JSON.parse(minimalMdep(name, ns, options)) as { spec: Record<string, unknown> };
  manifest.spec = { ...manifest.spec, rollout, ...options.spec };
  return JSON.stringify(manifest);
}

/** Changes the model version (URI and version), which makes a new revision. */
export async function setModelVersion(cluster: TestCluster, ns: string, name: string, version: string, extra: Record<string, unknown> = {}): Promise<void> {
  const patch = { spec: { model: { uri: `s3://models/${name}/${version}`, version }, ...extra } };
  await kubectlOk(cluster, ["patch", "mdep", name, "-n", ns, "--type=merge", "-p", JSON.stringify(patch)]);
}

/** spec.replicas of each revision's Deployment, by revision label. */
export async function revisionReplicas(cluster: TestCluster, ns: string, name: string): Promise<Map<string, number>> {
  const out = await kubectlOk(cluster, ["get", "deployments", "-n", ns, "-l", `mdo.dev/model-deployment=${name}`, "-o",
    "jsonpath={range .items[*]}{.metadata.labels.mdo\\.dev/revision} {.spec.replicas}{\"\\n\"}{end}"]);
  return new Map(out.trim().split("\n").filter(Boolean).map((line) => {
    const [revision, replicas] = line.split(" ");
    return [revision ?? "", Number(replicas)];
  }));
}

/** Reasons of the Events about `name`, oldest first. */
export async function eventReasons(cluster: TestCluster, ns: string, name: string): Promise<string[]> {
  const out = await kubectlOk(cluster, ["get", "events", "-n", ns, "--field-selector", `involvedObject.name=${name}`, "--sort-by", ".metadata.creationTimestamp", "-o", "jsonpath={.items[*].reason}"]);
  return out.split(/\s+/).filter(Boolean);
}

/** Messages of the Events about `name` with `reason`. */
export async function eventMessages(cluster: TestCluster, ns: string, name: string, reason: string): Promise<string[]> {
  const out = await kubectlOk(cluster, ["get", "events", "-n", ns, "--field-selector", `involvedObject.name=${name},reason=${reason}`, "-o", "jsonpath={range .items[*]}{.note}{.message}{\"\\n\"}{end}"]);
  return out.split("\n").filter(Boolean);
}
