// status.rollout round trips: what the operator persists is exactly what a restarted one loads.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { ModelDeploymentStatus } from "../../../src/api/status.ts";
import { loadState, saveState } from "../../../src/controllers/modeldeployment/rollout/state-codec.ts";
import { step } from "../../../src/rollout/machine.ts";
import { initialState, type RolloutState } from "../../../src/rollout/state.ts";
import { rolloutStatusFields } from "../../../src/rollout/status-fields.ts";
import { canaryPolicy, fail, T0 } from "../rollout/fixtures.ts";

/** What the reconciler writes for `state`, as the API server would store and return it. */
function persisted(state: RolloutState): ModelDeploymentStatus {
  const fields = rolloutStatusFields(state);
  const checks = Object.entries(state.analysis.values).map(([name, value]) => ({ name, status: "pass", value, reason: "R", message: "m" }));
  const canary = fields.canary === undefined ? undefined : { ...fields.canary, analysis: { ...fields.canary.analysis, failedChecks: state.analysis.failedChecks, checks } };
  const status = { ...fields, ...(canary === undefined ? {} : { canary }), rollout: saveState(state, 4) };
  return ModelDeploymentStatus.parse(JSON.parse(JSON.stringify(status)));
}

test("a state in the middle of a canary step loads back deep-equal", () => {
  const policy = canaryPolicy();
  const started = step(initialState({ revision: "rev1", modelVersion: "v1" }, { abort: "old" }), { desired: { revision: "rev2", modelVersion: "v2" }, canaryReady: true, commands: [{ kind: "pause", id: "p1" }] }, policy, new Date(T0));
  const analysed = step(started.next, { desired: { revision: "rev2", modelVersion: "v2" }, canaryReady: true, commands: [], verdicts: [fail()] }, policy, new Date(T0 + 30_000));
  for (const state of [started.next, analysed.next]) {
    const loaded = loadState(persisted(state), { revision: "rev2" }, {});
    assert.deepEqual(loaded, state);
  }
});

test("the budget is persisted beside the state", () => {
  const status = persisted(initialState({ revision: "rev1" }));
  assert.equal(status.rollout?.replicaBudget, 4);
});

test("without status.rollout: the previous stable revision, or the desired one for a new ModelDeployment, with today's commands acknowledged", () => {
  const fresh = loadState(undefined, { revision: "rev9", modelVersion: "v9" }, { promote: "x" });
  assert.equal(fresh.phase, "Stable");
  assert.deepEqual(fresh.stable, { revision: "rev9", modelVersion: "v9" });
  assert.deepEqual(fresh.acknowledged, { promote: "x" });
  const upgraded = loadState({ stable: { revision: "rev1", modelVersion: "v1", readyReplicas: 2 } }, { revision: "rev2" }, {});
  assert.deepEqual(upgraded.stable, { revision: "rev1", modelVersion: "v1" });
});

test("webhook bookkeeping loads back deep-equal: PreRollout pending, a confirmation wait, the Rollback clock, a pending notification", () => {
  const started = initialState({ revision: "rev1", modelVersion: "v1" });
  const states: RolloutState[] = [
    { ...started, phase: "Progressing", canary: { revision: "rev2", modelVersion: "v2" }, hooks: { preRolloutPending: true } },
    { ...started, phase: "Progressing", canary: { revision: "rev2" }, step: 1, weight: 50, hooks: { confirmAt: "2026-01-01T00:03:30.000Z", rollbackAt: "2026-01-01T00:03:00.000Z" }, reason: "WaitingForConfirmation" },
    { ...started, hooks: { notify: { revision: "rev0", outcome: "Promoted", time: "2026-01-01T00:00:00.000Z", step: 2, weight: 100 } } },
    { ...started, phase: "RolledBack", canary: { revision: "rev2", modelVersion: "v2" }, hooks: { notify: { revision: "rev2", modelVersion: "v2", outcome: "Aborted", time: "2026-01-01T00:00:00.000Z", step: 0, weight: 10 } } },
  ];
  for (const state of states) assert.deepEqual(loadState(persisted(state), { revision: "rev2" }, {}), state);
  assert.equal(persisted(started).rollout?.webhooks, undefined, "nothing written when nothing is pending");
});
