import { strict as assert } from "node:assert";
import { test } from "node:test";
import { computeStatus } from "../../../src/controllers/modeldeployment/status/index.ts";
import { at, condition, crashLoop, deadlineExceeded, deployment, observe, pod, readyPods, running, stableStatus, valid, waiting } from "./fixtures.ts";

const crashing = (name = "fraud-rev1-a") => pod(name, "rev1", { containers: [crashLoop(), running("agent")] });

test("CrashLoopBackOff: Ready False, Stalled True, lastFailure names pod and container; Failed when nothing serves", () => {
  const obs = observe({ deployments: [deployment("rev1", { replicas: 2, ready: 0 })], pods: [crashing("fraud-rev1-a"), crashing("fraud-rev1-b")] });
  const status = valid(computeStatus(obs, undefined));
  assert.equal(status.phase, "Failed");
  const ready = condition(status, "Ready");
  assert.deepEqual([ready.status, ready.reason], ["False", "CrashLoopBackOff"]);
  assert.deepEqual([condition(status, "Stalled").status, condition(status, "Stalled").reason], ["True", "CrashLoopBackOff"]);
  assert.deepEqual([condition(status, "Reconciling").status, condition(status, "Reconciling").reason], ["False", "Stalled"]);
  assert.equal(status.lastFailure?.reason, "CrashLoopBackOff");
  assert.equal(status.lastFailure?.time, "2025-03-01T10:00:00Z");
  assert.match(status.lastFailure?.message ?? "", /^pod fraud-rev1-a container model-server: back-off 5m0s restarting failed container/);
  assert.match(status.lastFailure?.message ?? "", /last exit code 1 \(Error\): ValueError: model file not found/);
});

test("a crash-looping pod beside ready ones: Degraded, never Ready; recovery clears lastFailure", () => {
  const sick = observe({ now: at(1), deployments: [deployment("rev1", { replicas: 2, ready: 1 })], pods: [...readyPods("rev1", 1), crashing()] });
  const failing = valid(computeStatus(sick, stableStatus()));
  assert.equal(failing.phase, "Degraded");
  assert.equal(condition(failing, "Ready").status, "False");
  assert.equal(condition(failing, "Available").status, "True");
  assert.equal(failing.lastFailure?.reason, "CrashLoopBackOff");

  const later = computeStatus({ ...sick, now: at(9), pods: [...readyPods("rev1", 1), pod("fraud-rev1-a", "rev1", { containers: [
    { ...crashLoop(), state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 2m40s restarting failed container" } } },
    running("agent"),
  ] })] }, failing);
  assert.equal(later.lastFailure?.time, failing.lastFailure?.time, "same failure keeps its first time");
  assert.match(later.lastFailure?.message ?? "", /back-off 2m40s/, "with the latest message");

  const healed = valid(computeStatus(observe({ now: at(10), deployments: [deployment("rev1", { ready: 2 })], pods: readyPods("rev1", 2) }), later));
  assert.equal(healed.phase, "Ready");
  assert.equal(healed.lastFailure, undefined);
  assert.equal(condition(healed, "Stalled").status, "False");
});

test("lastFailure is kept while not Ready even after the failing pod is gone", () => {
  const failing = computeStatus(observe({ deployments: [deployment("rev1", { replicas: 1, ready: 0 })], pods: [crashing()] }), undefined);
  const rollingAgain = computeStatus(observe({ generation: 2, revision: "rev2", now: at(3) }), failing);
  assert.deepEqual(rollingAgain.lastFailure, failing.lastFailure);
});

test("image pull errors: ErrImagePull is not yet Stalled, ImagePullBackOff is", () => {
  const pull = (reason: string) =>
    observe({ deployments: [deployment("rev1", { replicas: 1, ready: 0 })], pods: [pod("fraud-rev1-a", "rev1", { containers: [waiting("model-server", reason, 'pull access denied for "registry.example/fraud"'), running("agent")] })] });
  const first = valid(computeStatus(pull("ErrImagePull"), undefined));
  assert.equal(condition(first, "Stalled").status, "False");
  assert.equal(condition(first, "Ready").reason, "ErrImagePull");
  assert.equal(first.phase, "Pending");
  const backOff = valid(computeStatus({ ...pull("ImagePullBackOff"), now: at(1) }, first));
  assert.equal(condition(backOff, "Stalled").status, "True");
  assert.equal(backOff.lastFailure?.reason, "ImagePullBackOff");
  assert.equal(backOff.lastFailure?.time, "2025-03-01T10:01:00Z", "a different failure gets a new time");
  assert.match(backOff.lastFailure?.message ?? "", /spec\.image/);
  assert.equal(backOff.phase, "Failed");
});

test("OOMKilled is reported with the memory limit and what to raise", () => {
  const oom = waiting("model-server", "CrashLoopBackOff", "back-off 40s", { exitCode: 137, reason: "OOMKilled" });
  const obs = observe({ deployments: [deployment("rev1", { replicas: 1, ready: 0 })], pods: [pod("fraud-rev1-a", "rev1", { memoryLimit: "1Gi", containers: [oom, running("agent")] })] });
  const status = valid(computeStatus(obs, undefined));
  assert.equal(status.lastFailure?.reason, "OOMKilled");
  assert.equal(condition(status, "Stalled").reason, "OOMKilled");
  assert.match(status.lastFailure?.message ?? "", /container model-server was OOMKilled \(memory limit 1Gi\); raise spec.resources.limits.memory/);
});

test("Unschedulable: not Ready, not Stalled (capacity may come), scheduler message in lastFailure", () => {
  const unschedulable = pod("fraud-rev1-a", "rev1", {
    phase: "Pending",
    containers: [],
    initContainers: [],
    conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available: 3 Insufficient memory." }],
  });
  const status = valid(computeStatus(observe({ deployments: [deployment("rev1", { replicas: 1, ready: 0 })], pods: [unschedulable] }), undefined));
  assert.equal(status.phase, "Pending");
  assert.equal(condition(status, "Stalled").status, "False");
  assert.equal(condition(status, "Reconciling").status, "True");
  assert.equal(condition(status, "Ready").reason, "Unschedulable");
  assert.match(status.lastFailure?.message ?? "", /pod fraud-rev1-a cannot be scheduled: 0\/3 nodes are available: 3 Insufficient memory\./);
  assert.match(condition(status, "Available").message, /no replica is ready: pod fraud-rev1-a cannot be scheduled/);
});

test("progress deadline exceeded on the current Deployment: Stalled ProgressDeadlineExceeded", () => {
  const obs = observe({ deployments: [deployment("rev1", { replicas: 2, ready: 1, conditions: [deadlineExceeded] })], pods: readyPods("rev1", 1) });
  const status = valid(computeStatus(obs, undefined));
  const stalled = condition(status, "Stalled");
  assert.deepEqual([stalled.status, stalled.reason], ["True", "ProgressDeadlineExceeded"]);
  assert.match(stalled.message, /revision rev1 made no progress within the deadline \(Deployment fraud-rev1: ReplicaSet "fraud-rev1-6d9f" has timed out progressing\.\)/);
  assert.equal(status.phase, "Degraded", "one replica serves");
  const complete = computeStatus(observe({ deployments: [deployment("rev1", { ready: 2, conditions: [deadlineExceeded] })] }), undefined);
  assert.equal(condition(complete, "Stalled").status, "False", "a stale deadline condition on a complete Deployment is ignored");
});

test("the stall is the recorded failure, with the pod's diagnosis in its message", () => {
  const unschedulable = pod("fraud-rev1-a", "rev1", {
    phase: "Pending", containers: [], initContainers: [],
    conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available" }],
  });
  const obs = observe({ deployments: [deployment("rev1", { replicas: 1, conditions: [deadlineExceeded] })], pods: [unschedulable] });
  const status = valid(computeStatus(obs, undefined));
  assert.equal(status.lastFailure?.reason, "ProgressDeadlineExceeded");
  assert.match(status.lastFailure?.message ?? "", /timed out progressing\.\); pod fraud-rev1-a cannot be scheduled: 0\/3 nodes are available/);
  assert.equal(status.phase, "Failed");
});

test("a recent eviction in a rolled-out revision does not keep it from being Ready", () => {
  const evicted = pod("fraud-rev1-old", "rev1", {
    phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory.",
    conditions: [{ type: "DisruptionTarget", status: "True", reason: "TerminationByKubelet", lastTransitionTime: at(-5) }],
  });
  const obs = observe({ deployments: [deployment("rev1", { ready: 2 })], pods: [...readyPods("rev1", 2), evicted] });
  const status = valid(computeStatus(obs, undefined));
  assert.equal(condition(status, "Ready").status, "True");
  assert.equal(status.phase, "Ready");
  const rolling = valid(computeStatus({ ...obs, deployments: [deployment("rev1", { replicas: 2, ready: 1 })] }, undefined));
  assert.equal(rolling.lastFailure?.reason, "Evicted", "recorded while not Ready");
  assert.equal(condition(rolling, "Stalled").status, "False");
});

test("a Stalled problem from reconcile: Stalled True with its message; Failed when nothing serves, Degraded when serving", () => {
  const problem = { kind: "Stalled" as const, reason: "SecretNotFound", message: 'Secret "s3-creds" named by spec.model.storageSecretRef does not exist; create it' };
  const fresh = valid(computeStatus(observe({ problem }), undefined));
  assert.equal(fresh.phase, "Failed");
  assert.deepEqual(
    [condition(fresh, "Stalled").status, condition(fresh, "Stalled").reason, condition(fresh, "Stalled").message],
    ["True", "SecretNotFound", problem.message],
  );
  assert.equal(condition(fresh, "Ready").reason, "SecretNotFound");
  assert.equal(condition(fresh, "Reconciling").status, "False");
  assert.equal(fresh.lastFailure?.reason, "SecretNotFound");

  const serving = valid(computeStatus(observe({ generation: 2, revision: "rev2", problem, deployments: [deployment("rev1", { ready: 2 })], pods: readyPods("rev1", 2) }), stableStatus()));
  assert.equal(serving.phase, "Degraded");
  assert.equal(condition(serving, "Ready").status, "False");
  assert.equal(condition(serving, "Available").status, "True");
});

test("a Transient problem: Reconciling True (retrying), Ready False, not Stalled", () => {
  const problem = { kind: "Transient" as const, reason: "ApplyFailed", message: "the server is currently unable to handle the request" };
  const obs = observe({ problem, deployments: [deployment("rev1", { ready: 2 })], pods: readyPods("rev1", 2) });
  const status = valid(computeStatus(obs, stableStatus()));
  assert.deepEqual([condition(status, "Reconciling").status, condition(status, "Reconciling").reason], ["True", "ApplyFailed"]);
  assert.match(condition(status, "Reconciling").message, /retried: the server is currently unable/);
  assert.equal(condition(status, "Ready").status, "False");
  assert.equal(condition(status, "Stalled").status, "False");
  assert.equal(status.phase, "Progressing");
  assert.equal(status.lastFailure?.reason, "ApplyFailed");
});

test("a failing pod of an old revision is recorded but does not stall the current one", () => {
  const previous = stableStatus();
  const obs = observe({
    generation: 2, revision: "rev2", now: at(1),
    deployments: [deployment("rev1", { replicas: 1, ready: 0, target: 0 }), deployment("rev2", { replicas: 2, ready: 1 })],
    pods: [crashing("fraud-rev1-a"), ...readyPods("rev2", 1)],
  });
  const status = valid(computeStatus(obs, previous));
  assert.equal(condition(status, "Stalled").status, "False");
  assert.equal(status.lastFailure?.reason, "CrashLoopBackOff");
  assert.equal(status.phase, "Degraded");
});
