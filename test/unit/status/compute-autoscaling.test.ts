// status.autoscaling: what the operator's autoscaler decided, lastScaleTime moving only with the
// count, kept when no decision was made; the Scaled
// Event only for a change from a count status already had.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { scaledEvent } from "../../../src/controllers/modeldeployment/status/autoscaling.ts";
import { computeStatus } from "../../../src/controllers/modeldeployment/status/index.ts";
import { at, observe, valid } from "./fixtures.ts";

const decided = { panic: true, stableLoad: 30, readyPods: 4, reason: "panic: 40 requests in flight over the last 6s needs 10 pods at 4 each" };

test("status.autoscaling follows the autoscaler; lastScaleTime moves with the count only", () => {
  const before = valid(computeStatus(observe({ autoscaling: { metric: "concurrency", target: 4, desired: 1 } }), undefined));
  assert.deepEqual(before.autoscaling, {
    metric: "concurrency", target: 4, desiredReplicas: 1, lastScaleTime: before.autoscaling?.lastScaleTime,
    message: "no load read from the agents yet; keeping 1 replicas",
  });
  const up = valid(computeStatus(observe({ now: at(1), autoscaling: { metric: "concurrency", target: 4, desired: 10, recommendation: decided } }), before));
  assert.equal(up.autoscaling?.desiredReplicas, 10);
  assert.equal(up.autoscaling?.observedLoad, 7.5, "per ready pod");
  assert.equal(up.autoscaling?.panic, true);
  assert.equal(up.autoscaling?.lastScaleTime, at(1).toISOString());
  const same = valid(computeStatus(observe({ now: at(2), autoscaling: { metric: "concurrency", target: 4, desired: 10, recommendation: decided } }), up));
  assert.equal(same.autoscaling?.lastScaleTime, at(1).toISOString(), "unchanged count: unchanged time");
  assert.match(scaledEvent(before.autoscaling, up.autoscaling)?.message ?? "", /^Scaled the serving revision from 1 to 10 replicas: panic: 40 requests/);
  assert.equal(scaledEvent(up.autoscaling, same.autoscaling), undefined);
  assert.equal(scaledEvent(undefined, up.autoscaling), undefined, "a first count is not a change");
});

test("kept when the reconcile stopped before deciding (the running count is unchanged)", () => {
  const scaled = valid(computeStatus(observe({ autoscaling: { metric: "rps", target: 50, desired: 3, recommendation: decided } }), undefined));
  const undecided = valid(computeStatus(observe({ problem: { kind: "Transient", reason: "ApplyFailed", message: "the API server is down" } }), scaled));
  assert.deepEqual(undecided.autoscaling, scaled.autoscaling);
});
