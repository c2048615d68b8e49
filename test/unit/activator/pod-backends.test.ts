// PodBackends fed pod events: a pod is a backend only while Ready, not deleting and with an IP;
// targets are (namespace, ModelDeployment label); ready pods are spread round-robin; waits
// resolve as soon as a ready pod appears and stop on abort; the cache keeps a small pod.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BackendWaitAbortedError } from "../../../src/activator/errors.ts";
import { PodBackends } from "../../../src/activator/pod-backends.ts";
import { MODEL_SERVER_PODS, podForActivator, readyBackendOf } from "../../../src/activator/pods.ts";
import { modelPod } from "./pods.ts";

const iris = { namespace: "ml", name: "iris" };

describe("readyBackendOf", () => {
  it("is the pod's IP and the backend port for a Ready pod of a ModelDeployment", () => {
    assert.deepEqual(readyBackendOf(modelPod({ name: "a", ready: true, ip: "10.1.2.3" }), 8080), { target: iris, url: "http://10.1.2.3:8080" });
    assert.equal(readyBackendOf(modelPod({ name: "a", ready: true, ip: "fd00::7" }), 9000)?.url, "http://[fd00::7]:9000");
  });

  it("is undefined for a pod not Ready, being deleted, without an IP or without the ModelDeployment label", () => {
    for (const pod of [
      modelPod({ name: "a", ready: false, ip: "10.1.2.3" }),
      modelPod({ name: "a", ready: true, ip: "10.1.2.3", deleting: true }),
      modelPod({ name: "a", ready: true }),
      modelPod({ name: "a", ready: true, ip: "10.1.2.3", owner: null }),
    ]) assert.equal(readyBackendOf(pod, 8080), undefined, JSON.stringify(pod.metadata));
  });
});

describe("podForActivator", () => {
  it("keeps only identity, the ModelDeployment label, deletionTimestamp, podIP and the Ready condition", () => {
    const kept = podForActivator(modelPod({ name: "a", ready: true, ip: "10.1.2.3", deleting: true }));
    assert.deepEqual(kept, {
      metadata: { name: "a", namespace: "ml", resourceVersion: "7", labels: { "mdo.dev/model-deployment": "iris" }, deletionTimestamp: "2024-01-01T00:00:00Z" },
      status: { podIP: "10.1.2.3", conditions: [{ type: "Ready", status: "True" }] },
    });
    assert.deepEqual(readyBackendOf(podForActivator(modelPod({ name: "b", ready: true, ip: "10.0.0.9" })), 8080), { target: iris, url: "http://10.0.0.9:8080" });
  });

  it("watches only MDO's model-server pods that name a ModelDeployment", () => {
    assert.equal(MODEL_SERVER_PODS, "app.kubernetes.io/managed-by=mdo,app.kubernetes.io/component=model-server,mdo.dev/model-deployment");
  });
});

describe("PodBackends", () => {
  it("lists Ready pods per target and spreads calls over them round-robin", () => {
    const backends = new PodBackends();
    backends.onPodEvent("added", modelPod({ name: "a", ready: true, ip: "10.0.0.1" }));
    backends.onPodEvent("added", modelPod({ name: "b", ready: true, ip: "10.0.0.2" }));
    backends.onPodEvent("added", modelPod({ name: "c", ready: false, ip: "10.0.0.3" }));
    backends.onPodEvent("added", modelPod({ name: "d", ready: true, ip: "10.0.0.4", namespace: "other" }));
    backends.onPodEvent("added", modelPod({ name: "e", ready: true, ip: "10.0.0.5", owner: "resnet" }));
    assert.deepEqual([1, 2, 3, 4].map(() => backends.ready(iris)), ["http://10.0.0.1:8080", "http://10.0.0.2:8080", "http://10.0.0.1:8080", "http://10.0.0.2:8080"]);
    assert.deepEqual(backends.readyUrls({ namespace: "other", name: "iris" }), ["http://10.0.0.4:8080"]);
    assert.deepEqual(backends.readyUrls({ namespace: "ml", name: "resnet" }), ["http://10.0.0.5:8080"]);
    assert.equal(backends.ready({ namespace: "ml", name: "absent" }), undefined);
  });

  it("drops a pod that becomes unready, starts deleting, is deleted or moves to another ModelDeployment", () => {
    const backends = new PodBackends({ backendPort: 9000 });
    backends.onPodEvent("added", modelPod({ name: "a", ready: true, ip: "10.0.0.1" }));
    backends.onPodEvent("added", modelPod({ name: "b", ready: true, ip: "10.0.0.2" }));
    backends.onPodEvent("updated", modelPod({ name: "a", ready: false, ip: "10.0.0.1" }));
    assert.deepEqual(backends.readyUrls(iris), ["http://10.0.0.2:9000"]);
    backends.onPodEvent("resync", modelPod({ name: "a", ready: true, ip: "10.0.0.1" }));
    backends.onPodEvent("updated", modelPod({ name: "b", ready: true, ip: "10.0.0.2", deleting: true }));
    assert.deepEqual(backends.readyUrls(iris), ["http://10.0.0.1:9000"]);
    backends.onPodEvent("updated", modelPod({ name: "a", ready: true, ip: "10.0.0.1", owner: "resnet" }));
    assert.deepEqual(backends.readyUrls(iris), []);
    assert.deepEqual(backends.readyUrls({ namespace: "ml", name: "resnet" }), ["http://10.0.0.1:9000"]);
    backends.onPodEvent("deleted", modelPod({ name: "a", ready: true, ip: "10.0.0.1", owner: "resnet" }));
    assert.equal(backends.ready({ namespace: "ml", name: "resnet" }), undefined);
    assert.equal(backends.ready(iris), undefined);
  });

  it("resolves every wait of the target as soon as a Ready pod appears, spreading them, and at once when one is ready", async () => {
    const backends = new PodBackends();
    const waits = [1, 2, 3].map(() => backends.waitForReady(iris, new AbortController().signal));
    const other = backends.waitForReady({ namespace: "ml", name: "resnet" }, AbortSignal.timeout(50));
    backends.onPodEvent("added", modelPod({ name: "a", ready: false, ip: "10.0.0.1" }));
    assert.equal(backends.waiting(iris), 3, "an unready pod resolves nothing");
    backends.onPodEvent("updated", modelPod({ name: "a", ready: true, ip: "10.0.0.1" }));
    assert.deepEqual(await Promise.all(waits), ["http://10.0.0.1:8080", "http://10.0.0.1:8080", "http://10.0.0.1:8080"]);
    assert.equal(backends.waiting(iris), 0);
    assert.equal(await backends.waitForReady(iris, new AbortController().signal), "http://10.0.0.1:8080");
    await assert.rejects(other, BackendWaitAbortedError);
    assert.equal(backends.waiting({ namespace: "ml", name: "resnet" }), 0);
  });

  it("rejects a wait whose signal already aborted, even with a ready pod", async () => {
    const backends = new PodBackends();
    backends.onPodEvent("added", modelPod({ name: "a", ready: true, ip: "10.0.0.1" }));
    await assert.rejects(backends.waitForReady(iris, AbortSignal.abort()), BackendWaitAbortedError);
  });
});
