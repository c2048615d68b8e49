// deploy/argocd/health.lua, executed by gopher-lua (Argo CD's interpreter) against fixtures for
// every phase and condition combination.
import { strict as assert } from "node:assert";
import { before, test } from "node:test";
import { luahealthBinary, runHealthScript, type Health } from "../../support/luahealth.ts";

const SCRIPT = "deploy/argocd/health.lua";
const PHASES = ["Pending", "Progressing", "Ready", "Degraded", "Failed", "Suspended"] as const;
const STATUSES = ["True", "False", undefined] as const;
let binary: string;

before(() => {
  binary = luahealthBinary();
});

interface Fixture {
  phase?: string;
  ready?: string;
  stalled?: string;
  reconciling?: string;
  observed?: number;
  generation?: number;
  suspend?: boolean;
  noStatus?: boolean;
  lastFailure?: { reason: string; message: string };
}

function mdep(f: Fixture): unknown {
  const conditions = [
    ["Ready", f.ready, "RolledOut", "revision abc is rolled out"],
    ["Stalled", f.stalled, "SecretNotFound", "Secret ml/creds does not exist"],
    ["Reconciling", f.reconciling, "RollingOut", "rolling out revision def"],
  ].filter(([, status]) => status !== undefined)
    .map(([type, status, reason, message]) => ({ type, status, reason, message, observedGeneration: f.observed ?? 2 }));
  return {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment",
    metadata: { name: "fraud", namespace: "ml", generation: f.generation ?? 2 },
    spec: { suspend: f.suspend ?? false },
    ...(f.noStatus ? {} : { status: { observedGeneration: f.observed ?? 2, phase: f.phase, conditions, ...(f.lastFailure && { lastFailure: f.lastFailure }) } }),
  };
}

const health = (f: Fixture): Health => runHealthScript(binary, SCRIPT, mdep(f));

test("hand-written cases", () => {
  const cases: [string, Fixture, string, RegExp][] = [
    ["no status yet", { noStatus: true }, "Progressing", /Waiting for the operator/],
    ["generation not yet observed", { observed: 1, generation: 2, phase: "Ready", ready: "True" }, "Progressing", /generation 2/],
    ["ready", { phase: "Ready", ready: "True", stalled: "False", reconciling: "False" }, "Healthy", /rolled out/],
    ["rolling out", { phase: "Progressing", ready: "False", reconciling: "True", stalled: "False" }, "Progressing", /RollingOut: rolling out/],
    ["stalled on a Secret", { phase: "Failed", ready: "False", stalled: "True" }, "Degraded", /SecretNotFound: Secret ml\/creds/],
    ["failed with a diagnosed pod failure", { phase: "Failed", ready: "False", lastFailure: { reason: "CrashLoopBackOff", message: "pod x" } }, "Degraded", /Failed: CrashLoopBackOff: pod x/],
    ["degraded while serving", { phase: "Degraded", ready: "False", reconciling: "True" }, "Degraded", /Degraded/],
    ["suspended in spec", { suspend: true, phase: "Ready", ready: "True" }, "Suspended", /spec.suspend/],
    ["suspended phase", { phase: "Suspended", ready: "False" }, "Suspended", /./],
    ["pending without conditions", { phase: "Pending" }, "Progressing", /Waiting for the ModelDeployment/],
  ];
  for (const [name, fixture, status, message] of cases) {
    const got = health(fixture);
    assert.equal(got.status, status, `${name}: ${JSON.stringify(got)}`);
    assert.match(got.message, message, name);
  }
});

test("every phase × Ready × Stalled × Reconciling combination maps to a consistent health", () => {
  let count = 0;
  for (const phase of PHASES) for (const ready of STATUSES) for (const stalled of STATUSES) for (const reconciling of STATUSES) {
    const got = health({ phase, ready, stalled, reconciling });
    count++;
    const label = JSON.stringify({ phase, ready, stalled, reconciling, got });
    assert.ok(["Healthy", "Progressing", "Degraded", "Suspended"].includes(got.status), label);
    assert.notEqual(got.message, "", label);
    if (phase === "Suspended") assert.equal(got.status, "Suspended", label);
    else if (stalled === "True" || ["Failed", "Degraded"].includes(phase)) assert.equal(got.status, "Degraded", label);
    else if (ready === "True") assert.equal(got.status, "Healthy", label);
    else assert.equal(got.status, "Progressing", label);
  }
  assert.equal(count, PHASES.length * 27);
});
