// The KPA-style recommender on scripted load: stable averaging, panic on a load step (scale up at
// once, never down while it lasts, ends a stable window after the last trigger), rate bounds,
// the scale-down delay, min/max, and no answer without data.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { AutoscalingSpec } from "../../../src/api/index.ts";
import { scalingPolicyOf, type ScalingPolicy } from "../../../src/autoscaler/policy.ts";
import { Recommender } from "../../../src/autoscaler/recommend.ts";

const TICK = 2000;

function policy(extra: Record<string, unknown> = {}): ScalingPolicy {
  const spec = AutoscalingSpec.parse({ minReplicas: 1, maxReplicas: 20, metric: "concurrency", target: 4, ...extra });
  const p = scalingPolicyOf(spec);
  assert.ok(p !== undefined);
  return p;
}

/** Feeds `total` every tick from `fromMs` for `forMs`, asking each tick with `ready()` pods; returns the last recommendation and every desired count. */
function feed(r: Recommender, fromMs: number, forMs: number, total: number, ready: (desired: number | undefined) => number) {
  let last = r.recommend(fromMs, ready(undefined));
  const desired: number[] = [];
  const reasons: string[] = [];
  for (let t = fromMs + TICK; t <= fromMs + forMs; t += TICK) {
    r.record(t, total);
    last = r.recommend(t, ready(last?.desired));
    if (last !== undefined) {
      desired.push(last.desired);
      reasons.push(last.reason);
    }
  }
  return { last, desired, reasons, endMs: fromMs + forMs };
}

test("the policy comes from the spec: knobs parsed, KPA's constants, cpu left to an HPA", () => {
  const p = policy({ window: "30s", panicWindow: "3s", scaleDownDelay: "1m" });
  assert.deepEqual({ ...p }, {
    metric: "concurrency", target: 4, minReplicas: 1, maxReplicas: 20, windowMs: 30_000, panicWindowMs: 3_000, scaleDownDelayMs: 60_000,
    panicThreshold: 2, maxScaleUpRate: 1000, maxScaleDownRate: 2,
  });
  assert.equal(scalingPolicyOf(AutoscalingSpec.parse({ minReplicas: 1, maxReplicas: 3, targetCPUUtilization: 70 })), undefined);
  assert.equal(scalingPolicyOf(AutoscalingSpec.parse({ minReplicas: 1, maxReplicas: 3, targetRequestsPerSecond: 50 }))?.metric, "rps");
  assert.equal(scalingPolicyOf(undefined), undefined);
});

test("no recommendation before the first sample; steady load gives ceil(load / target) without panic", () => {
  const r = new Recommender(policy());
  assert.equal(r.recommend(0, 1), undefined);
  const { last } = feed(r, 0, 60_000, 9, () => 3);
  assert.equal(last?.desired, 3);
  assert.equal(last?.panic, false);
  assert.equal(last?.stableLoad, 9);
  assert.match(last?.reason ?? "", /^9 requests in flight over the last 60s needs 3 pods at 4 each$/);
});

test("a load step from 2 to 40 in flight panics at once and reaches 10 within the panic window; it never scales down while the panic lasts", () => {
  const r = new Recommender(policy());
  const calm = feed(r, 0, 60_000, 2, () => 1);
  assert.equal(calm.last?.desired, 1);
  const step = feed(r, calm.endMs, 6_000, 40, () => 1);
  assert.deepEqual(step.desired, [4, 7, 10], "the 6 s panic window's average follows the step (2, 2, 40 → 14.7 in flight → 4 pods; …), the 60 s window would still say 1");
  assert.equal(step.last?.panic, true);
  assert.match(step.last?.reason ?? "", /^panic: 40 requests in flight over the last 6s needs 10 pods/);
  // Load falls back while the pods are still starting: the panic holds its peak.
  const after = feed(r, step.endMs, 50_000, 4, () => 1);
  assert.ok(after.desired.every((d) => d === 10), `held at 10 during the panic: ${after.desired.join(",")}`);
  // A whole stable window after the last trigger, the panic ends and the stable window decides.
  const calmAgain = feed(r, after.endMs, 70_000, 4, (d) => d ?? 1);
  assert.equal(calmAgain.last?.panic, false);
  assert.equal(calmAgain.last?.desired, 1);
});

test("each decision at most halves the ready pods; min and max bound everything", () => {
  const r = new Recommender(policy({ minReplicas: 2, maxReplicas: 6 }));
  const idle = feed(r, 0, 60_000, 0, () => 10);
  assert.equal(idle.desired[0], 5, "10 ready pods: no fewer than 5 in one decision");
  assert.equal(idle.last?.desired, 5);
  const followed = feed(r, idle.endMs, 4 * TICK, 0, (d) => d ?? 10);
  assert.deepEqual(followed.desired, [2, 2, 2, 2], "then down to minReplicas as the pods go");
  assert.match(followed.last?.reason ?? "", /raised to minReplicas 2/);
  const busy = feed(r, followed.endMs, 60_000, 400, (d) => d ?? 2);
  assert.equal(busy.last?.desired, 6);
  assert.match(busy.last?.reason ?? "", /capped at maxReplicas 6/);
});

test("a scale-down waits for the scale-down delay; a scale-up does not", () => {
  const r = new Recommender(policy({ scaleDownDelay: "20s", window: "6s", panicWindow: "2s" }));
  const high = feed(r, 0, 20_000, 16, (d) => d ?? 4);
  assert.equal(high.last?.desired, 4);
  const low = feed(r, high.endMs, 30_000, 4, (d) => d ?? 4);
  const firstDown = low.desired.findIndex((d) => d < 4);
  assert.ok(firstDown >= 0, `scaled down eventually: ${low.desired.join(",")}`);
  const downAtMs = (firstDown + 1) * TICK;
  assert.ok(downAtMs >= 20_000, `not before the 20 s delay after load fell (at ${downAtMs} ms): ${low.desired.join(",")}`);
  assert.match(low.reasons[firstDown - 1] ?? "", /held at 4 for the scale-down delay \(20s\)/);
});

test("rps scales on requests per second", () => {
  const r = new Recommender(policy({ metric: "rps", target: 50 }));
  const { last } = feed(r, 0, 60_000, 260, () => 6);
  assert.equal(last?.desired, 6);
  assert.match(last?.reason ?? "", /260 requests\/s/);
});
