// deploy/argocd/batch-health.lua, executed by gopher-lua (Argo CD's interpreter), against
// BatchPrediction statuses of every phase and condition combination.
import { strict as assert } from "node:assert";
import { before, test } from "node:test";
import { BATCH_PHASES } from "../../../src/api/index.ts";
import { luahealthBinary, runHealthScript, type Health } from "../../support/luahealth.ts";

const SCRIPT = "deploy/argocd/batch-health.lua";
const STATUSES = ["True", "False", undefined] as const;
let binary: string;

before(() => {
  binary = luahealthBinary();
});

interface Fixture { phase?: string; ready?: string; stalled?: string; reconciling?: string; observed?: number; noStatus?: boolean; lastFailure?: { reason: string; message: string } }

function batchPrediction(f: Fixture): unknown {
  const conditions = [
    ["Ready", f.ready, "Completed", "Run nightly-abc done: 100 rows predicted, 0 failed"],
    ["Stalled", f.stalled, "BackoffLimitExceeded", "Job nightly-abc failed"],
    ["Reconciling", f.reconciling, "Running", "Run nightly-abc: 1 of 4 shards done"],
  ].filter(([, status]) => status !== undefined).map(([type, status, reason, message]) => ({ type, status, reason, message, observedGeneration: 2 }));
  return {
    apiVersion: "mdo.dev/v1alpha1", kind: "BatchPrediction", metadata: { name: "nightly", namespace: "ml", generation: 2 },
    spec: {},
    ...(f.noStatus ? {} : { status: { observedGeneration: f.observed ?? 2, phase: f.phase, conditions, ...(f.lastFailure && { lastFailure: f.lastFailure }) } }),
  };
}

const health = (f: Fixture): Health => runHealthScript(binary, SCRIPT, batchPrediction(f));

test("hand-written cases", () => {
  const cases: [string, Fixture, string, RegExp][] = [
    ["no status yet", { noStatus: true }, "Progressing", /Waiting for the operator/],
    ["generation not yet observed", { observed: 1, phase: "Succeeded", ready: "True" }, "Progressing", /generation 2/],
    ["done", { phase: "Succeeded", ready: "True", stalled: "False", reconciling: "False" }, "Healthy", /100 rows predicted/],
    ["waiting for the schedule", { phase: "Scheduled", ready: "True", stalled: "False" }, "Healthy", /done/],
    ["running", { phase: "Running", ready: "False", reconciling: "True", stalled: "False" }, "Progressing", /Running: Run nightly-abc: 1 of 4/],
    ["failed run", { phase: "Failed", ready: "False", stalled: "True", lastFailure: { reason: "FailureBudgetExceeded", message: "12 rows failed" } }, "Degraded", /FailureBudgetExceeded: 12 rows failed/],
    ["suspended", { phase: "Suspended", ready: "False" }, "Suspended", /./],
  ];
  for (const [name, fixture, status, message] of cases) {
    const got = health(fixture);
    assert.equal(got.status, status, `${name}: ${JSON.stringify(got)}`);
    assert.match(got.message, message, name);
  }
});

test("every phase × Ready × Stalled × Reconciling combination maps to a consistent health", () => {
  for (const phase of BATCH_PHASES) for (const ready of STATUSES) for (const stalled of STATUSES) for (const reconciling of STATUSES) {
    const got = health({ phase, ready, stalled, reconciling });
    const label = JSON.stringify({ phase, ready, stalled, reconciling, got });
    assert.notEqual(got.message, "", label);
    if (phase === "Suspended") assert.equal(got.status, "Suspended", label);
    else if (stalled === "True" || phase === "Failed") assert.equal(got.status, "Degraded", label);
    else if (ready === "True") assert.equal(got.status, "Healthy", label);
    else assert.equal(got.status, "Progressing", label);
  }
});
