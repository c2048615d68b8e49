// The pod cache keeps a fraction of each pod, and every reader of the cache decides the same on
// what it kept as on the whole pod: pods built by the operator's own builders, with the statuses
// that diagnosis and rollout act on.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { buildDeployment } from "../../../src/controllers/modeldeployment/builders/deployment.ts";
import { podForCache } from "../../../src/controllers/modeldeployment/pod-cache.ts";
import { undeliverableRevisions } from "../../../src/controllers/modeldeployment/rollout/undeliverable.ts";
import { diagnosePods } from "../../../src/controllers/modeldeployment/status/index.ts";
import type { KubeObject } from "../../../src/runtime/client/kube-client.ts";
import { contextFor, modelDeployment } from "../builders/fixtures.ts";
import { T0, at, crashLoop, done, running, waiting } from "../status/fixtures.ts";

/** A pod of the Deployment the builders make for a ModelDeployment, with `status`. */
/** A log shipper a platform's admission webhook might add as a native sidecar (an init container that keeps running). */
const SHIPPER = { name: "log-shipper", image: "shipper:1", restartPolicy: "Always", resources: { limits: { memory: "64Mi", cpu: "100m" } }, args: ["--to", "loki"] };

function builtPod(name: string, status: { init: V1ContainerStatus[]; main: V1ContainerStatus[] }): V1Pod & KubeObject {
  const md = modelDeployment((input) => {
    input.spec.resources = { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } };
  });
  const deployment = buildDeployment(contextFor(md));
  const template = deployment.spec?.template;
  assert.ok(template?.spec !== undefined);
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { labels: template.metadata?.labels ?? {}, annotations: template.metadata?.annotations ?? {}, name, namespace: md.metadata.namespace ?? "", uid: `uid-${name}` },
    spec: { ...template.spec, nodeName: "node-a", initContainers: [...(template.spec.initContainers ?? []), SHIPPER] },
    status: { phase: "Running", conditions: [], initContainerStatuses: status.init, containerStatuses: status.main },
  };
}

function containerNames(pod: V1Pod): { init: string[]; main: string[] } {
  return { init: (pod.spec?.initContainers ?? []).map((c) => c.name), main: (pod.spec?.containers ?? []).map((c) => c.name) };
}

test("what the cache keeps of a built pod: metadata and status whole, the spec's node, names, restart policies and memory limits", () => {
  const probe = builtPod("probe", { init: [], main: [] });
  const kept = podForCache(probe) as V1Pod;
  assert.deepEqual(kept.metadata, probe.metadata);
  assert.deepEqual(kept.status, probe.status);
  assert.deepEqual(containerNames(kept), containerNames(probe));
  assert.equal(kept.spec?.nodeName, "node-a");
  const server = kept.spec?.containers.find((c) => c.name === "model-server");
  assert.deepEqual(server?.resources, { limits: { memory: "2Gi" } });
  assert.deepEqual(kept.spec?.initContainers?.find((c) => c.name === SHIPPER.name), { name: SHIPPER.name, restartPolicy: "Always", resources: { limits: { memory: "64Mi" } } });
  const size = (o: unknown): number => JSON.stringify(o).length;
  assert.ok(size(kept.spec) * 4 < size(probe.spec), `the spec kept (${size(kept.spec)} bytes) is under a quarter of the built one (${size(probe.spec)})`);
  assert.equal(podForCache({ metadata: { name: "no-spec" } }).metadata?.name, "no-spec", "an object without a spec is kept as it is");
});

test("diagnosis and undeliverable-model detection decide the same on the kept pod as on the whole one", () => {
  const probe = builtPod("probe", { init: [], main: [] });
  const { init, main } = containerNames(probe);
  const allRunning = (names: string[]): V1ContainerStatus[] => names.map((n) => running(n));
  const server = main.find((n) => n === "model-server") ?? main[0] ?? "";
  const oom = { ...running(server, false, at(-1)), lastState: { terminated: { exitCode: 137, reason: "OOMKilled" } } };
  const sidecar = SHIPPER.name;
  const fetcher = (probe.spec?.initContainers ?? []).find((c) => c.restartPolicy !== "Always")?.name ?? init[0] ?? "";
  const shapes: { name: string; init: V1ContainerStatus[]; main: V1ContainerStatus[] }[] = [
    { name: "healthy", init: init.map((n) => (n === sidecar ? running(n) : done(n))), main: allRunning(main) },
    { name: "oom", init: init.map((n) => (n === sidecar ? running(n) : done(n))), main: main.map((n) => (n === server ? oom : running(n))) },
    { name: "crash", init: init.map((n) => (n === sidecar ? running(n) : done(n))), main: main.map((n) => (n === server ? crashLoop(n) : running(n))) },
    { name: "fetch", init: init.map((n) => (n === fetcher ? waiting(n, "CrashLoopBackOff", "back-off", { exitCode: 3, reason: "Error", message: "ModelDigestMismatch: sha256 differs" }) : running(n))), main: main.map((n) => waiting(n, "PodInitializing")) },
    { name: "sidecar", init: init.map((n) => (n === sidecar ? crashLoop(n) : done(n))), main: allRunning(main) },
  ];
  const pods = shapes.map((s) => builtPod(s.name, s));
  const kept = pods.map((p) => podForCache(p) as V1Pod);
  for (const [i, whole] of pods.entries()) {
    const name = shapes[i]?.name ?? "";
    assert.deepEqual(diagnosePods([kept[i] as V1Pod], T0), diagnosePods([whole], T0), name);
  }
  const oomFound = diagnosePods([kept[1] as V1Pod], T0);
  assert.equal(oomFound?.reason, "OOMKilled");
  assert.match(oomFound?.message ?? "", /memory limit 2Gi/, "the memory limit survives the transform");
  assert.equal(diagnosePods([kept[4] as V1Pod], T0)?.container, SHIPPER.name, "a crashing native sidecar is a server container");
  const md = pods[0]?.metadata;
  const undeliverable = undeliverableRevisions(kept, md?.namespace ?? "", md?.labels?.["mdo.dev/model-deployment"] ?? "");
  assert.deepEqual([...undeliverable.values()].map((f) => f.reason), ["ModelDigestMismatch"]);
  assert.deepEqual(
    undeliverableRevisions(kept, md?.namespace ?? "", md?.labels?.["mdo.dev/model-deployment"] ?? ""),
    undeliverableRevisions(pods, md?.namespace ?? "", md?.labels?.["mdo.dev/model-deployment"] ?? ""),
  );
});
