// The test control plane is real: the apiserver answers with its version, the controller-manager
// turns Deployments into ReplicaSets and Pods, the scheduler binds them to the kwok Node, kwok
// makes them Ready, and the garbage collector removes dependents of a deleted owner.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { createNamespace, kubectlOk, sharedCluster, waitFor } from "../support/cluster.ts";

test("kube-apiserver reports its real version and the kwok Node is Ready", async () => {
  const cluster = await sharedCluster();
  console.log(`kube-apiserver version: ${cluster.version}`);
  assert.match(cluster.version, /^v1\.\d+\.\d+$/);
  const node = JSON.parse(await kubectlOk(cluster, ["get", "node", cluster.state.nodeName, "-o", "json"])) as {
    status: { conditions: { type: string; status: string }[] };
  };
  const ready = node.status.conditions.find((c) => c.type === "Ready");
  console.log(`Node ${cluster.state.nodeName} Ready=${ready?.status}`);
  assert.equal(ready?.status, "True");
});

test("a plain Deployment gets Ready pods", async () => {
  const cluster = await sharedCluster();
  const ns = await createNamespace(cluster, "deploy");
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: ns },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "registry.example/web:1" }] },
      },
    },
  };
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(deployment));
  await kubectlOk(cluster, ["rollout", "status", "deployment/web", "-n", ns, "--timeout=60s"]);
  const pods = JSON.parse(await kubectlOk(cluster, ["get", "pods", "-n", ns, "-l", "app=web", "-o", "json"])) as {
    items: { spec: { nodeName?: string }; status: { phase: string; conditions?: { type: string; status: string }[] } }[];
  };
  assert.equal(pods.items.length, 3);
  for (const pod of pods.items) {
    assert.equal(pod.spec.nodeName, cluster.state.nodeName, "scheduled to the kwok node");
    assert.equal(pod.status.phase, "Running");
    assert.equal(pod.status.conditions?.find((c) => c.type === "Ready")?.status, "True");
  }
});

test("deleting an owner garbage-collects its dependent", async () => {
  const cluster = await sharedCluster();
  const ns = await createNamespace(cluster, "gc");
  await kubectlOk(cluster, ["create", "configmap", "owner", "-n", ns, "--from-literal=a=b"]);
  const uid = (await kubectlOk(cluster, ["get", "configmap", "owner", "-n", ns, "-o", "jsonpath={.metadata.uid}"])).trim();
  const dependent = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: "dependent",
      namespace: ns,
      ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid, controller: true }],
    },
    data: { c: "d" },
  };
  await kubectlOk(cluster, ["create", "-f", "-"], JSON.stringify(dependent));
  await kubectlOk(cluster, ["delete", "configmap", "owner", "-n", ns, "--wait=true"]);
  await waitFor("the dependent ConfigMap to be garbage-collected", 60_000, async () =>
    (await cluster.kubectl(["get", "configmap", "dependent", "-n", ns])).code !== 0);
});

test("a deleted namespace finishes terminating", async () => {
  const cluster = await sharedCluster();
  const ns = await createNamespace(cluster, "nsdel");
  await kubectlOk(cluster, ["create", "configmap", "x", "-n", ns]);
  await kubectlOk(cluster, ["delete", "namespace", ns, "--wait=true", "--timeout=60s"]);
  const got = await cluster.kubectl(["get", "namespace", ns]);
  assert.notEqual(got.code, 0, "namespace is gone");
});
