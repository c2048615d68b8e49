// Scale to zero in the recommender: with minReplicas 0 a revision keeps one pod until it has seen
// no request for idleAfter, then goes to zero; any load (or the activator's demand) restarts the
// idle clock; at zero, held requests are the load that brings pods back, at once (panic).
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { AutoscalingSpec } from "../../../src/api/index.ts";
import { scalingPolicyOf, type ScalingPolicy } from "../../../src/autoscaler/policy.ts";
import { Recommender } from "../../../src/autoscaler/recommend.ts";

const TICK = 2000;

function policy(extra: Record<string, unknown> = {}): ScalingPolicy {
  const p = scalingPolicyOf(AutoscalingSpec.parse({ minReplicas: 0, maxReplicas: 10, metric: "concurrency", target: 4, window: "20s", ...extra }));
  assert.ok(p !== undefined);
  return p;
}

/** Records `total` at every tick in (from, to] and returns the last recommendation's count. */
function run(r: Recommender, fromMs: number, toMs: number, total: number, ready: number): number | undefined {
  let desired: number | undefined;
  for (let t = fromMs + TICK; t <= toMs; t += TICK) {
    r.record(t, total);
    desired = r.recommend(t, ready)?.desired;
  }
  return desired;
}

test("idleAfter comes from scaleToZero (default 5m) and only with minReplicas 0", () => {
  assert.equal(policy().idleAfterMs, 300_000);
  assert.equal(policy({ scaleToZero: { idleAfter: "30s" } }).idleAfterMs, 30_000);
  assert.equal(scalingPolicyOf(AutoscalingSpec.parse({ minReplicas: 1, maxReplicas: 3, metric: "rps", target: 5 }))?.idleAfterMs, undefined);
});

test("no load: one pod until idleAfter has passed since the last request, then zero", () => {
  const r = new Recommender(policy({ scaleToZero: { idleAfter: "30s" } }));
  r.record(0, 3); // a request in flight at 0
  assert.equal(run(r, 0, 28_000, 0, 1), 1, "idle for 28 s < 30 s: kept at 1");
  const at30 = run(r, 28_000, 30_000, 0, 1);
  assert.equal(at30, 0, "idle for 30 s: zero");
  assert.match(r.recommend(30_000, 1)?.reason ?? "", /no request for 30s: scaled to zero/);
});

test("a request before idleAfter restarts the idle clock", () => {
  const r = new Recommender(policy({ scaleToZero: { idleAfter: "30s" } }));
  r.record(0, 1);
  assert.equal(run(r, 0, 20_000, 0, 1), 1);
  r.record(22_000, 0.5);
  assert.equal(r.recommend(22_000, 1)?.desired, 1);
  assert.equal(run(r, 22_000, 50_000, 0, 1), 1, "28 s after the last request: still 1");
  assert.equal(run(r, 50_000, 52_000, 0, 1), 0);
});

test("a revision that never had a request idles from its first sample", () => {
  const r = new Recommender(policy({ scaleToZero: { idleAfter: "10s" } }));
  assert.equal(run(r, 0, 8000, 0, 1), 1);
  assert.equal(run(r, 8000, 12_000, 0, 1), 0);
});

test("at zero: no samples, no new decision; demand brings back the pods the held requests need, in a panic", () => {
  const r = new Recommender(policy({ scaleToZero: { idleAfter: "10s" } }));
  assert.equal(run(r, 0, 12_000, 0, 1), 0);
  // At zero nobody is read; once the window's samples are old there is nothing to decide on.
  assert.equal(r.recommend(40_000, 0), undefined);
  r.demand(40_000, 10);
  const up = r.recommend(40_000, 0);
  assert.equal(up?.desired, 3, "10 held requests at target 4 need 3 pods");
  assert.equal(up?.panic, true);
  // While pods start (none ready) the count holds, and the revision is active again.
  assert.equal(r.recommend(44_000, 0)?.desired, 3);
});

test("demand with one held request asks for one pod; minReplicas 0 never goes below what the load needs", () => {
  const r = new Recommender(policy({ scaleToZero: { idleAfter: "10s" } }));
  r.demand(0, 1);
  assert.equal(r.recommend(0, 0)?.desired, 1);
  const busy = new Recommender(policy({ scaleToZero: { idleAfter: "10s" } }));
  assert.equal(run(busy, 0, 30_000, 12, 3), 3, "steady load of 12 at target 4: 3 pods, never zero");
});
