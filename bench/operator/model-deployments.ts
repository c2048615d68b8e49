// The benchmark's requests about ModelDeployments, through its own unthrottled client: create
// many at once, patch one, and the conditions it waits for.
import pLimit from "p-limit";
import type { KubeClient } from "../../src/runtime/client/kube-client.ts";
import { resourcePath } from "../../src/runtime/client/resource.ts";
import { MODEL_DEPLOYMENTS, type ModelDeploymentObject } from "../../src/controllers/modeldeployment/resource.ts";
import { BENCH_NAMESPACE, benchModelDeployment } from "./workload.ts";

/** Creates and patches sent at once by the benchmark ("at once", as `kubectl apply -f dir/` of many files would not be: faster). */
const DRIVER_CONCURRENCY = 32;

export async function createNamespace(client: KubeClient): Promise<void> {
  await client.create({ group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false }, { apiVersion: "v1", kind: "Namespace", metadata: { name: BENCH_NAMESPACE } });
}

/** Creates the named ModelDeployments; returns when each create was answered (performance.now()). */
export async function createAll(client: KubeClient, names: readonly string[], onCreated: (name: string, atMs: number) => void): Promise<void> {
  const limit = pLimit(DRIVER_CONCURRENCY);
  await Promise.all(names.map((name) => limit(async () => {
    await client.create(MODEL_DEPLOYMENTS, benchModelDeployment(name));
    onCreated(name, performance.now());
  })));
}

/** A JSON merge patch of one ModelDeployment. */
export async function patchModelDeployment(client: KubeClient, name: string, patch: Record<string, unknown>): Promise<void> {
  await client.transport.request({
    verb: "PATCH", path: resourcePath(MODEL_DEPLOYMENTS, BENCH_NAMESPACE, name), body: patch, contentType: "application/merge-patch+json",
  });
}

/** Patches each of `names` with `patchOf(name)`, many at once; returns when each was answered. */
export async function patchAll(client: KubeClient, names: readonly string[], patchOf: (name: string) => Record<string, unknown>, onPatched: (name: string, atMs: number) => void): Promise<void> {
  const limit = pLimit(DRIVER_CONCURRENCY);
  await Promise.all(names.map((name) => limit(async () => {
    await patchModelDeployment(client, name, patchOf(name));
    onPatched(name, performance.now());
  })));
}

/** Ready=True for the generation the object is at: status describes the latest spec. */
export function isReady(md: ModelDeploymentObject): boolean {
  const generation = md.metadata?.generation ?? 0;
  const ready = md.status?.conditions?.find((c) => c.type === "Ready");
  return ready?.status === "True" && (md.status?.observedGeneration ?? -1) >= generation;
}

/** Ready, serving `version` as the stable revision, with no rollout in progress. */
export function rolledOut(version: string): (md: ModelDeploymentObject) => boolean {
  return (md) => isReady(md) && md.status?.stable?.modelVersion === version && (md.status.rollout?.phase ?? "Stable") === "Stable";
}
