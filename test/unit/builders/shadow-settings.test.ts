import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ShadowConfig } from "../../../src/agent/config.ts";
import { buildShadowSettings, NO_SHADOW } from "../../../src/controllers/modeldeployment/builders/index.ts";
import { planRevisions } from "../../../src/controllers/modeldeployment/rollout/revision-plan.ts";
import { DEFAULT_SETTINGS } from "../../../src/controllers/modeldeployment/settings.ts";
import { routerFor } from "../../../src/traffic/index.ts";
import { modelDeployment } from "./fixtures.ts";

const withShadow = (shadow: Record<string, unknown>) => modelDeployment((md) => {
  md.spec.rollout = { strategy: "Canary", steps: [{ weight: 10, pause: "1m" }], shadow };
});

describe("shadow settings (ADR 0009)", () => {
  it("during the phase: the candidate's track Service, the spec's rate, bounds and comparison, for the stable revision's agents only", () => {
    const md = withShadow({ sampleRate: 0.25, maxInFlight: 8, timeout: "1.5s", comparison: { mode: "Numeric", relativeTolerance: 0.01 } });
    const cm = buildShadowSettings(md, { stableRevision: "aaa", candidateRevision: "bbb", clusterIP: "198.19.0.10" });
    assert.equal(cm.metadata?.name, "fraud-shadow");
    assert.equal(cm.metadata?.ownerReferences?.[0]?.controller, true);
    const settings = ShadowConfig.parse(JSON.parse(cm.data?.["shadow.json"] ?? ""));
    assert.deepEqual(settings, {
      source: "aaa", candidate: "bbb", url: "http://198.19.0.10:80", sampleRate: 0.25, maxInFlight: 8, timeoutMs: 1500,
      comparison: { mode: "numeric", relativeTolerance: 0.01 },
    });
  });

  it("outside the phase: {} (the agents read it as off); defaults fill the rest", () => {
    const md = withShadow({});
    assert.equal(buildShadowSettings(md, undefined).data?.["shadow.json"], NO_SHADOW);
    const on = JSON.parse(buildShadowSettings(md, { stableRevision: "a", candidateRevision: "b", clusterIP: "fd00:10::2a" }).data?.["shadow.json"] ?? "") as Record<string, unknown>;
    assert.deepEqual([on.sampleRate, on.maxInFlight, on.timeoutMs, on.comparison], [1, 64, 10_000, { mode: "exact" }]);
    assert.equal(on.url, "http://[fd00:10::2a]:80", "an IPv6 ClusterIP in brackets");
  });

  it("the candidate runs the mirrored share of the budget (at least 1 replica) with no traffic; the plan carries the mirror", () => {
    const md = withShadow({ sampleRate: 0.3 });
    const plan = planRevisions([
      { kind: "SetWeights", stableRevision: "a", stable: 100, canaryRevision: "b", canary: 0 },
      { kind: "ScaleRevision", revision: "a", size: "Full" },
      { kind: "ScaleRevision", revision: "b", size: "Shadow" },
      { kind: "Mirror", stableRevision: "a", candidateRevision: "b" },
    ], { md, settings: DEFAULT_SETTINGS, router: routerFor(undefined), full: 10, budget: 10, stableRevision: "a" });
    assert.deepEqual([...plan.replicas], [["a", 10], ["b", 3]]);
    assert.deepEqual(plan.mirror, { stableRevision: "a", candidateRevision: "b" });
    assert.equal(plan.weights.canary, 0);
    const small = planRevisions([{ kind: "ScaleRevision", revision: "b", size: "Shadow" }],
      { md: withShadow({ sampleRate: 0.01 }), settings: DEFAULT_SETTINGS, router: routerFor(undefined), full: 2, budget: 2, stableRevision: "a" });
    assert.equal(small.replicas.get("b"), 1);
  });
});
