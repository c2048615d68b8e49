import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AgentDriftReport } from "../../../src/analysis/agent/scrape.ts";
import { DashboardDriftError, liveCounts, type AgentPod, type DriftFetcher } from "../../../src/dashboard/live-drift.ts";

const pods = (...names: string[]): AgentPod[] => names.map((pod, i) => ({ namespace: "ml", pod, ip: `10.0.0.${i + 1}`, port: 9090 }));

/** Answers each pod from `reports`: a report, undefined (no window yet, 404) or an error to throw. */
function fetcherOf(reports: Record<string, AgentDriftReport | undefined | Error>): DriftFetcher {
  return (pod) => {
    const answer = reports[pod.pod];
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
}

const report = (windowSamples: number, amount: number[] | undefined, label?: number[]): AgentDriftReport => ({
  windowSamples,
  features: [{ name: "amount", psi: 0.1, ...(amount !== undefined && { counts: amount }) }],
  ...(label !== undefined && { prediction: { name: "label", psi: 0.2, counts: label } }),
});

describe("liveCounts", () => {
  it("sums the pods' counts per feature and the prediction under its name", async () => {
    const live = await liveCounts(pods("a", "b"), fetcherOf({ a: report(300, [1, 2, 3], [5, 5]), b: report(500, [10, 20, 30], [1, 0]) }), AbortSignal.timeout(5000));
    assert.deepEqual({ ...live, features: Object.fromEntries(live.features) }, {
      pods: 2, reporting: 2, windowSamples: 800, features: { amount: [11, 22, 33], label: [6, 5] }, errors: [],
    });
  });

  it("counts a pod without a window yet as not reporting, and names a pod that failed", async () => {
    const failure = new DashboardDriftError("Read no drift report from pod c: connection refused");
    const live = await liveCounts(pods("a", "b", "c"), fetcherOf({ a: report(300, [1, 2, 3]), b: undefined, c: failure }), AbortSignal.timeout(5000));
    assert.deepEqual([live.pods, live.reporting, live.windowSamples], [3, 1, 300]);
    assert.deepEqual(live.features.get("amount"), [1, 2, 3]);
    assert.equal(live.errors.length, 1);
    assert.match(live.errors[0] ?? "", /pod c: connection refused/);
  });

  it("keeps the first pod's counts and reports a pod whose bins differ", async () => {
    const live = await liveCounts(pods("a", "b"), fetcherOf({ a: report(300, [1, 2, 3]), b: report(300, [1, 2]) }), AbortSignal.timeout(5000));
    assert.deepEqual(live.features.get("amount"), [1, 2, 3]);
    assert.deepEqual(live.errors, ["Pods report 3 and 2 bins for feature amount"]);
  });

  it("has no counts for a feature no agent sent counts for (agents before bin counts)", async () => {
    const live = await liveCounts(pods("a"), fetcherOf({ a: report(300, undefined) }), AbortSignal.timeout(5000));
    assert.equal(live.features.has("amount"), false);
    assert.deepEqual([live.reporting, live.windowSamples, live.errors], [1, 300, []]);
  });

  it("asks nobody when there are no pods", async () => {
    const live = await liveCounts([], fetcherOf({}), AbortSignal.timeout(5000));
    assert.deepEqual([live.pods, live.reporting, live.windowSamples, live.features.size, live.errors], [0, 0, 0, 0, []]);
  });
});
