import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { ModelDeploymentStatus } from "../../../src/api/index.ts";
import { computeStatus, MAX_EVENT_MESSAGE, transitionEvents } from "../../../src/controllers/modeldeployment/status/index.ts";
import type { Observation } from "../../../src/controllers/modeldeployment/status/index.ts";
import { at, crashLoop, deployment, observe, pod, readyPods, running } from "./fixtures.ts";

/** Computes each observation in turn and returns the events of every step. */
function replay(...observations: Observation[]): { type: string; reason: string; message: string }[][] {
  let previous: ModelDeploymentStatus | undefined;
  return observations.map((obs) => {
    const next = computeStatus(obs, previous);
    const events = transitionEvents(previous, next);
    previous = next;
    return events;
  });
}

const readyRev1 = (minute: number) => observe({ now: at(minute), deployments: [deployment("rev1", { ready: 2 })], pods: readyPods("rev1", 2) });
const crashingRev1 = (minute: number) =>
  observe({
    now: at(minute),
    deployments: [deployment("rev1", { replicas: 2, ready: 1 })],
    pods: [...readyPods("rev1", 1), pod("fraud-rev1-x", "rev1", { containers: [crashLoop(), running("agent")] })],
  });
const reasons = (events: { type: string; reason: string }[]) => events.map((e) => `${e.type}/${e.reason}`);

test("steady state emits nothing", () => {
  const steps = replay(readyRev1(0), readyRev1(1), readyRev1(2));
  assert.deepEqual(steps.slice(1), [[], []]);
  const status = computeStatus(readyRev1(0), undefined);
  assert.deepEqual(transitionEvents(status, structuredClone(status)), []);
});

test("first rollout: RollingOut, then Ready and Promoted", () => {
  const [start, pending, ready] = replay(observe(), observe({ now: at(1), deployments: [deployment("rev1", { replicas: 2, ready: 1 })] }), readyRev1(2));
  assert.deepEqual(reasons(start ?? []), ["Normal/RollingOut"]);
  assert.match(start?.[0]?.message ?? "", /^rolling out revision rev1 \(model v7\)/);
  assert.deepEqual(pending, [], "progress within the same rollout is not news");
  assert.deepEqual(reasons(ready ?? []), ["Normal/Ready", "Normal/Promoted"]);
  assert.equal(ready?.[1]?.message, "revision rev1 (model v7) is now stable");
});

test("a new revision: NotReady (Normal, work in progress) and RollingOut, then Promoted replacing the old one", () => {
  const gen2 = (minute: number, rev2Ready: number, rev1: number) =>
    observe({
      generation: 2, revision: "rev2", modelVersion: "v8", now: at(minute),
      deployments: [deployment("rev1", { target: rev1, replicas: rev1, ready: rev1 }), deployment("rev2", { replicas: 2, ready: rev2Ready })],
    });
  const [, rolling, , done] = replay(readyRev1(0), gen2(1, 0, 2), gen2(2, 2, 2), gen2(3, 2, 0));
  assert.deepEqual(reasons(rolling ?? []), ["Normal/RollingOut", "Normal/NotReady"]);
  assert.match(rolling?.[1]?.message ?? "", /^Ready is False because of RollingOut: rolling out revision rev2/);
  assert.deepEqual(reasons(done ?? []), ["Normal/Ready", "Normal/Promoted"]);
  assert.equal(done?.[1]?.message, "revision rev2 (model v8) is now stable, replacing revision rev1");
});

test("a failure: one Warning with the pod's message, NotReady without repeating it, nothing while it persists, Recovered after", () => {
  const [, broke, still, healed] = replay(readyRev1(0), crashingRev1(1), crashingRev1(2), readyRev1(3));
  assert.deepEqual(reasons(broke ?? []), ["Warning/CrashLoopBackOff", "Warning/NotReady"]);
  assert.match(broke?.[0]?.message ?? "", /^pod fraud-rev1-x container model-server: back-off/);
  assert.equal(broke?.[1]?.message, "Ready is False because of CrashLoopBackOff");
  assert.deepEqual(still, []);
  assert.deepEqual(reasons(healed ?? []), ["Normal/Recovered"]);
  assert.match(healed?.[0]?.message ?? "", /^recovered from CrashLoopBackOff: revision rev1 \(model v7\) is rolled out/);
});

test("a changed failure reason is news; a Stalled reason already told is not repeated", () => {
  const pull = (minute: number, reason: string) =>
    observe({ now: at(minute), deployments: [deployment("rev1", { replicas: 1 })], pods: [pod("p", "rev1", { containers: [{ ...crashLoop(), state: { waiting: { reason } } }, running("agent")] })] });
  const [first, second] = replay(pull(0, "ErrImagePull"), pull(1, "ImagePullBackOff"));
  assert.deepEqual(reasons(first ?? []), ["Normal/RollingOut", "Warning/ErrImagePull"]);
  assert.deepEqual(reasons(second ?? []), ["Warning/ImagePullBackOff"], "Stalled turned True with the same reason: one event");
});

test("Stalled again with the reason lastFailure still holds is told by the Stalled event", () => {
  const backOff = (minute: number, revision: string) =>
    observe({
      generation: revision === "rev1" ? 1 : 2, revision, now: at(minute),
      deployments: [deployment(revision, { replicas: 1 })],
      pods: [pod(`fraud-${revision}-a`, revision, { containers: [{ ...crashLoop(), state: { waiting: { reason: "ImagePullBackOff", message: "no such image" } } }, running("agent")] })],
    });
  const [first, fixing, again] = replay(backOff(0, "rev1"), observe({ generation: 2, revision: "rev2", now: at(1) }), backOff(2, "rev2"));
  assert.deepEqual(reasons(first ?? []), ["Warning/ImagePullBackOff"], "RollingOut is not told while stalled");
  assert.deepEqual(reasons(fixing ?? []), ["Normal/RollingOut"]);
  assert.deepEqual(reasons(again ?? []), ["Warning/ImagePullBackOff"]);
  assert.match(again?.[0]?.message ?? "", /^pod fraud-rev2-a container model-server: ImagePullBackOff: no such image/);
});

test("event messages are capped at the Event API's limit", () => {
  const problem = { kind: "Stalled" as const, reason: "InvalidSpec", message: "x".repeat(5000) };
  const [events] = replay(observe({ problem }));
  assert.ok((events ?? []).length > 0);
  assert.ok((events ?? []).every((e) => e.message.length <= MAX_EVENT_MESSAGE));
});
