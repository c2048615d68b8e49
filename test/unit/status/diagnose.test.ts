import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { diagnosePods, nextDiagnosisChangeMs } from "../../../src/controllers/modeldeployment/status/index.ts";
import { at, crashLoop, done, pod, readyPods, running, T0, waiting } from "./fixtures.ts";

const rev = "rev1";
const withServer = (name: string, server: V1ContainerStatus): V1Pod =>
  pod(name, rev, { containers: [server, running("agent")] });

test("healthy, starting and terminating pods give no diagnosis", () => {
  assert.equal(diagnosePods([], T0), undefined);
  assert.equal(diagnosePods(readyPods(rev, 3), T0), undefined);
  const starting = pod("p", rev, { phase: "Pending", initContainers: [waiting("model-fetcher", "PodInitializing")], containers: [waiting("model-server", "ContainerCreating")] });
  assert.equal(diagnosePods([starting], T0), undefined);
  const loading = withServer("p", running("model-server", false, at(-9)));
  assert.equal(diagnosePods([loading], T0), undefined, "9 minutes is within the load timeout");
  const deleting = pod("p", rev, { deleting: true, containers: [crashLoop()] });
  assert.equal(diagnosePods([deleting], T0), undefined);
});

test("CrashLoopBackOff names pod, container, the kubelet's message and the last exit", () => {
  const found = diagnosePods([withServer("fraud-rev1-a", crashLoop())], T0);
  assert.deepEqual(
    { ...found, message: undefined },
    { reason: "CrashLoopBackOff", pod: "fraud-rev1-a", container: "model-server", persistent: true, message: undefined },
  );
  assert.equal(
    found?.message,
    "pod fraud-rev1-a container model-server: back-off 5m0s restarting failed container=model-server pod=fraud-rev1-a_ml(1234); " +
      "last exit code 1 (Error): ValueError: model file not found; see `kubectl logs -n ml fraud-rev1-a -c model-server --previous`",
  );
});

test("a crash loop whose last run exited 0 without a message carries the excerpt of its log the reconcile read", () => {
  const exitedZero = waiting("model-server", "CrashLoopBackOff", "back-off 10s restarting failed container=model-server", { exitCode: 0, reason: "Completed" });
  const crashLogs = new Map([["fraud-rev1-a/model-server", "ERROR - Some of the models failed to load during startup! | ValueError: invalid literal"]]);
  const found = diagnosePods([withServer("fraud-rev1-a", exitedZero)], T0, { crashLogs });
  assert.match(found?.message ?? "", /last exit code 0 \(Completed\): ERROR - Some of the models failed to load during startup! \| ValueError: invalid literal; see `kubectl logs/);
  // Without an excerpt: the kubelet's words and the exit, nothing invented.
  assert.match(diagnosePods([withServer("fraud-rev1-a", exitedZero)], T0)?.message ?? "", /last exit code 0 \(Completed\); see `kubectl logs/);
  // A termination message the container wrote wins over a log excerpt.
  const withMessage = waiting("model-server", "CrashLoopBackOff", "back-off", { exitCode: 1, reason: "Error", message: "its own words" });
  assert.match(diagnosePods([withServer("fraud-rev1-a", withMessage)], T0, { crashLogs })?.message ?? "", /\(Error\): its own words;/);
});

test("image and configuration errors carry the kubelet's message and what to change", () => {
  const cases: [string, boolean, RegExp][] = [
    ["InvalidImageName", true, /fix spec.image or the runtime's image/],
    ["ErrImageNeverPull", true, /pull policy is Never/],
    ["ImagePullBackOff", true, /check the image reference \(spec.image or the runtime's image\)/],
    ["ErrImagePull", false, /registry is reachable/],
    ["CreateContainerConfigError", true, /create the missing Secret or ConfigMap/],
  ];
  for (const [reason, persistent, hint] of cases) {
    const found = diagnosePods([withServer("p", waiting("model-server", reason, "kubelet says no"))], T0);
    assert.equal(found?.reason, reason);
    assert.equal(found?.persistent, persistent, reason);
    assert.match(found?.message ?? "", new RegExp(`^pod p container model-server: ${reason}: kubelet says no; `));
    assert.match(found?.message ?? "", hint);
  }
});

test("a failed model fetch init container is ModelFetchFailed; persistent once it backs off", () => {
  const failedOnce = pod("p", rev, { phase: "Pending", initContainers: [{ ...done("model-fetcher"), state: { terminated: { exitCode: 2, reason: "Error", message: "403 Forbidden: s3://models/fraud/v7\n" } } }], containers: [waiting("model-server", "PodInitializing")] });
  const first = diagnosePods([failedOnce], T0);
  assert.equal(first?.reason, "ModelFetchFailed");
  assert.equal(first?.persistent, false);
  assert.equal(
    first?.message,
    "pod p init container model-fetcher failed to fetch or verify the model (exit code 2, Error): 403 Forbidden: s3://models/fraud/v7; " +
      "check spec.model.uri, spec.model.storageSecretRef, spec.model.digest and that the storage is reachable",
  );
  const backingOff = pod("p", rev, { phase: "Pending", initContainers: [crashLoop("model-fetcher")], containers: [] });
  assert.deepEqual([diagnosePods([backingOff], T0)?.reason, diagnosePods([backingOff], T0)?.persistent], ["ModelFetchFailed", true]);
});

test("a native sidecar init container (restartPolicy Always) is a server container, not the fetcher", () => {
  const p = pod("p", rev, { sidecarInit: "agent", initContainers: [done("model-fetcher"), crashLoop("agent")], containers: [running("model-server")] });
  assert.equal(diagnosePods([p], T0)?.reason, "CrashLoopBackOff");
  assert.equal(diagnosePods([p], T0)?.container, "agent");
});

test("OOMKilled from the last termination, with or without a memory limit; not once the container is ready again", () => {
  const oom = { ...running("model-server", false, at(-1)), lastState: { terminated: { exitCode: 137, reason: "OOMKilled" } } };
  const found = diagnosePods([pod("p", rev, { memoryLimit: "2Gi", containers: [oom, running("agent")] })], T0);
  assert.deepEqual([found?.reason, found?.persistent], ["OOMKilled", false]);
  assert.match(found?.message ?? "", /memory limit 2Gi\); raise spec.resources.limits.memory/);
  assert.match(diagnosePods([withServer("p", oom)], T0)?.message ?? "", /memory limit unset\); set spec.resources.limits.memory/);
  assert.equal(diagnosePods([withServer("p", { ...oom, ready: true })], T0), undefined);
});

test("ModelNotLoaded once a running container stays unready past the timeout (configurable)", () => {
  const slow = withServer("p", running("model-server", false, at(-10)));
  const found = diagnosePods([slow], T0);
  assert.equal(found?.reason, "ModelNotLoaded");
  assert.match(found?.message ?? "", /^pod p container model-server has not become ready within 10m of starting: the model has not loaded/);
  assert.equal(diagnosePods([slow], T0, { modelLoadTimeoutMs: 11 * 60_000 }), undefined);
});

test("Evicted pods count only while the eviction is recent", () => {
  const evicted = pod("p", rev, {
    phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory.",
    conditions: [{ type: "DisruptionTarget", status: "True", reason: "TerminationByKubelet", lastTransitionTime: at(-30) }],
  });
  const found = diagnosePods([evicted], T0);
  assert.equal(found?.reason, "Evicted");
  assert.match(found?.message ?? "", /^pod p was evicted: The node was low on resource: memory\.; the Deployment replaced it/);
  assert.equal(diagnosePods([evicted], at(31)), undefined);
  assert.equal(diagnosePods([pod("q", rev, { phase: "Failed", reason: "Evicted" })], T0), undefined, "unknown time counts as old");
  assert.equal(diagnosePods([pod("q", rev, { phase: "Succeeded", containers: [crashLoop()] })], T0), undefined);
});

test("priority: across pods the most significant reason wins; ties go to the first pod by name", () => {
  const unschedulable = pod("a-unschedulable", rev, { phase: "Pending", containers: [], initContainers: [], conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "no" }] });
  const crash = withServer("b-crash", crashLoop());
  const oom = withServer("c-oom", { ...crashLoop(), lastState: { terminated: { exitCode: 137, reason: "OOMKilled" } } });
  const pull = withServer("d-pull", waiting("model-server", "ImagePullBackOff"));
  const config = withServer("e-config", waiting("model-server", "CreateContainerConfigError", 'secret "s3-creds" not found'));
  const ordered = [config, pull, oom, crash, unschedulable];
  for (let i = 0; i < ordered.length; i++) {
    const rest = ordered.slice(i);
    assert.equal(diagnosePods(rest.reverse(), T0)?.pod, ordered[i]?.metadata?.name);
  }
  assert.equal(diagnosePods([withServer("z", crashLoop()), withServer("y", crashLoop())], T0)?.pod, "y");
});

test("timestamps decoded as strings (JSON from the API) work like Dates", () => {
  const wire = JSON.parse(JSON.stringify(withServer("p", running("model-server", false, at(-20))))) as V1Pod;
  assert.equal(typeof wire.status?.containerStatuses?.[0]?.state?.running?.startedAt, "string");
  assert.equal(diagnosePods([wire], T0)?.reason, "ModelNotLoaded");
});

test("a container between two crashes is still crash-looping while the pod is not Ready: just exited, or up again within the window", () => {
  const exited = { ...running("model-server", false), restartCount: 2, state: { terminated: { exitCode: 0, reason: "Completed" } }, lastState: { terminated: { exitCode: 0, reason: "Completed", finishedAt: at(-1) } } };
  const upAgain = { ...running("model-server", true, at(-0.1)), restartCount: 2, lastState: { terminated: { exitCode: 0, reason: "Completed", finishedAt: at(-0.2) } } };
  const unreadyAgent = running("agent", false, at(-30));
  for (const server of [exited, upAgain]) {
    const found = diagnosePods([pod("p", rev, { containers: [server, unreadyAgent] })], T0, { modelLoadTimeoutMs: 20_000 });
    assert.deepEqual([found?.reason, found?.container, found?.persistent], ["CrashLoopBackOff", "model-server", true], JSON.stringify(server.state));
    assert.match(found?.message ?? "", /^pod p container model-server: CrashLoopBackOff: restarted 2 times; last exit code 0 \(Completed\)/);
  }
  // Long after its last exit, or once the pod is Ready, a restart is history, not a failure.
  const longAgo = { ...upAgain, lastState: { terminated: { exitCode: 0, reason: "Completed", finishedAt: at(-11) } } };
  assert.equal(diagnosePods([pod("p", rev, { containers: [longAgo, unreadyAgent] })], T0, { modelLoadTimeoutMs: 20_000 })?.reason, "ModelNotLoaded");
  const readyPod = pod("p", rev, { containers: [upAgain, running("agent")], conditions: [{ type: "Ready", status: "True" }] });
  assert.equal(diagnosePods([readyPod], T0), undefined);
});

test("nextDiagnosisChangeMs: when the first unready running container reaches the load timeout; nothing for ready or waiting ones", () => {
  const slow = pod("a", rev, { containers: [running("model-server"), running("agent", false, at(-0.5))] });
  const slower = pod("b", rev, { containers: [running("model-server"), running("agent", false, at(-0.75))] });
  assert.equal(nextDiagnosisChangeMs([slow, slower], T0, 60_000), 15_000);
  assert.equal(nextDiagnosisChangeMs([withServer("c", running("model-server"))], T0, 60_000), undefined, "all ready");
  assert.equal(nextDiagnosisChangeMs([pod("d", rev, { containers: [running("model-server"), running("agent", false, at(-2))] })], T0, 60_000), undefined, "already past");
  assert.equal(nextDiagnosisChangeMs([withServer("e", crashLoop())], T0, 60_000), undefined, "waiting, not running");
});

test("the fetcher's termination message names the reason; failures no retry fixes are persistent at once", () => {
  const failed = (message: string) => pod("p", rev, { phase: "Pending", initContainers: [{ ...done("model-fetcher"), state: { terminated: { exitCode: 1, reason: "Error", message } } }], containers: [waiting("model-server", "PodInitializing")] });
  const mismatch = diagnosePods([failed("ModelDigestMismatch: s3://m/v7 has digest sha256:aa, but spec.model.digest is sha256:bb")], T0);
  assert.deepEqual([mismatch?.reason, mismatch?.persistent, mismatch?.container], ["ModelDigestMismatch", true, "model-fetcher"]);
  assert.equal(mismatch?.message, "pod p init container model-fetcher: s3://m/v7 has digest sha256:aa, but spec.model.digest is sha256:bb");
  for (const reason of ["ModelAccessDenied", "ModelNotFound", "ModelArchiveCorrupt", "ModelDiskFull", "ModelLayoutFailed", "InvalidModelURI"]) {
    assert.deepEqual([diagnosePods([failed(`${reason}: why`)], T0)?.reason, diagnosePods([failed(`${reason}: why`)], T0)?.persistent], [reason, true]);
  }
  const unreachable = diagnosePods([failed("ModelStorageUnreachable: connect ECONNREFUSED")], T0);
  assert.deepEqual([unreachable?.reason, unreachable?.persistent], ["ModelStorageUnreachable", false], "a store may come back");
});
