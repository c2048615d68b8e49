// status.drift and DataDrift on the status about to be written.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { ModelDeploymentStatus } from "../../../src/api/index.ts";
import { withDrift, type DriftOutcome } from "../../../src/controllers/modeldeployment/drift/status.ts";
import type { RolloutOutcome } from "../../../src/controllers/modeldeployment/status/index.ts";

const NOW = new Date("2026-03-01T12:00:00Z");
const earlier = { action: "Rollback" as const, time: "2026-03-01T10:00:00Z", revision: "r0" };
const previous: ModelDeploymentStatus = {
  drift: { revision: "r1", evaluatedAt: "2026-03-01T11:59:00Z", window: 100, maxPSI: 0.1, lastAction: earlier },
  conditions: [{ type: "DataDrift", status: "False", reason: "NoDrift", message: "m", lastTransitionTime: "2026-03-01T11:00:00Z" }],
};
const rollback = (): DriftOutcome => ({
  assessment: {
    drift: { revision: "r1", evaluatedAt: "2026-03-01T12:00:00Z", window: 100, maxPSI: 0.9, lastAction: { action: "Rollback", time: "2026-03-01T12:00:00Z", revision: "r1" } },
    condition: { type: "DataDrift", status: "True", reason: "DriftDetected", message: "drifted", observedGeneration: 1 },
  },
  reverting: true,
});
const executed = (events: { type: "Normal" | "Warning"; reason: string; message: string }[]): RolloutOutcome =>
  ({ events } as unknown as RolloutOutcome);

test("not monitored: no status.drift and no DataDrift condition", () => {
  const out = withDrift(previous, undefined, undefined, NOW);
  assert.equal(out.drift, undefined);
  assert.deepEqual(out.conditions, []);
});

test("a rollback carried out is recorded; one the machine refused says why", () => {
  assert.equal(withDrift(previous, rollback(), executed([]), NOW).drift?.lastAction?.time, "2026-03-01T12:00:00Z");
  const refused = withDrift(previous, rollback(), executed([{ type: "Warning", reason: "RevertIgnored", message: "no previous revision" }]), NOW);
  assert.equal(refused.drift?.lastAction?.outcome, "no previous revision");
  assert.equal(refused.conditions?.find((c) => c.type === "DataDrift")?.status, "True");
});

test("a rollback not carried out (the reconcile failed first) is not recorded, so the cooldown cannot swallow it", () => {
  const out = withDrift(previous, rollback(), undefined, NOW);
  assert.deepEqual(out.drift?.lastAction, earlier);
  assert.equal(out.drift?.maxPSI, 0.9);
});
