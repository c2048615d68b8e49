import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildListRow, buildView } from "../../../src/cli/view/build.ts";
import { rememberIntervals, MAX_INTERVALS } from "../../../src/cli/view/analysis.ts";
import { ModelDeploymentView, type IntervalView } from "../../../src/cli/view/schema.ts";
import { canaryDeployments, canaryMd, NOW } from "./fixtures.ts";

describe("buildView", () => {
  const view = buildView({ md: canaryMd(), deployments: canaryDeployments(), now: NOW });

  it("matches the documented JSON schema", () => {
    assert.deepEqual(ModelDeploymentView.parse(view), view);
  });

  it("lists revisions stable, canary, then the previous one, with versions, digests, replicas and traffic", () => {
    assert.deepEqual(view.revisions.map((r) => [r.role, r.revision, r.modelVersion, r.replicas.ready, r.replicas.desired, r.traffic?.desiredWeight]), [
      ["stable", "aaaa111111", "v1", 3, 3, 75],
      ["canary", "bbbb222222", "v2", 1, 1, 25],
      ["previous", "cccc333333", "v0", 0, 0, undefined],
    ]);
    assert.equal(view.revisions[1]?.digest, `sha256:${"ab12".repeat(16)}`);
    assert.equal(view.revisions[2]?.digest, undefined);
  });

  it("says the rollout waits for the step's timed pause, and when it ends", () => {
    assert.deepEqual(view.rollout.gate, { kind: "pause", detail: "the step's pause to end", until: "2026-03-01T12:03:30.000Z" });
    assert.equal(view.rollout.stepPause, "5m");
    assert.deepEqual([view.rollout.step, view.rollout.steps, view.rollout.weight], [0, 2, 25]);
    assert.deepEqual(view.rollout.analysis, { nextAt: "2026-03-01T12:00:40.000Z", failedIntervals: 0, failureLimit: 1 });
  });

  it("gives each check of the last interval the spec's threshold", () => {
    const [interval] = view.analysis.intervals;
    assert.equal(interval?.status, "noData");
    assert.deepEqual(interval?.checks.map((c) => [c.name, c.value, c.threshold]), [
      ["successRate", 0.997, { min: 0.99 }], ["latencyP99", 180, { max: 250 }], ["drift", undefined, { min: 0.01 }],
    ]);
  });

  it("keeps the five most drifted features, largest PSI first", () => {
    assert.deepEqual(view.drift?.features.map((f) => f.name), ["amount", "country", "hour", "merchant", "device"]);
    assert.equal(view.drift?.driftedFeatures, 6);
  });

  it("orders conditions as the API lists its types", () => {
    assert.deepEqual(view.conditions.map((c) => c.type), ["Ready", "Reconciling", "DataDrift"]);
  });

  it("waits for a person: to promote a step without pause, to resume when paused, to retry when rolled back", () => {
    const md = canaryMd();
    md.status!.rollout = { ...md.status!.rollout!, reason: "WaitingForPromotion", message: "step 2 at 50% waits for a person to promote", step: 1, weight: 50 };
    assert.deepEqual(buildView({ md, deployments: [], now: NOW }).rollout.gate, { kind: "promotion", detail: "a person: mdo promote fraud" });
    md.status!.rollout.pausedByPerson = true;
    assert.equal(buildView({ md, deployments: [], now: NOW }).rollout.gate.kind, "resume");
    md.status!.rollout = { ...md.status!.rollout, phase: "RolledBack", reason: "AnalysisFailed", pausedByPerson: false };
    assert.deepEqual(buildView({ md, deployments: [], now: NOW }).rollout.gate, { kind: "retry", detail: "a person: mdo retry fraud, or a new revision" });
  });

  it("shows a ModelDeployment the operator has not reconciled", () => {
    const md = canaryMd();
    delete md.status;
    const fresh = buildView({ md, deployments: [], now: NOW });
    assert.deepEqual([fresh.rollout.phase, fresh.rollout.gate.kind, fresh.revisions.length, fresh.analysis.intervals.length], ["Unknown", "other", 0, 0]);
    ModelDeploymentView.parse(fresh);
  });
});

describe("rememberIntervals", () => {
  const interval = (evaluatedAt: string): IntervalView => ({ evaluatedAt, revision: "r", status: "pass", checks: [] });

  it("adds a new interval in front, replaces the same one seen again, and keeps at most five", () => {
    let seen: IntervalView[] = [];
    for (let i = 0; i < 7; i++) seen = rememberIntervals(rememberIntervals(seen, interval(`t${i}`)), interval(`t${i}`));
    assert.deepEqual(seen.map((s) => s.evaluatedAt), ["t6", "t5", "t4", "t3", "t2"]);
    assert.equal(seen.length, MAX_INTERVALS);
  });
});

describe("buildListRow", () => {
  it("summarises phase, versions, step and drift", () => {
    const row = buildListRow(canaryMd());
    assert.deepEqual(row, {
      name: "fraud", namespace: "ml", phase: "Progressing",
      stable: { revision: "aaaa111111", modelVersion: "v1" },
      canary: { revision: "bbbb222222", modelVersion: "v2", step: 0, weight: 25 },
      replicas: { desired: 4, ready: 4 }, drift: true, reason: "RolloutInProgress",
    });
  });
});
