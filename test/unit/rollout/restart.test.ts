import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { Observations } from "../../../src/rollout/machine.ts";
import { step } from "../../../src/rollout/machine.ts";
import type { RolloutState } from "../../../src/rollout/state.ts";
import { initialState } from "../../../src/rollout/state.ts";
import { T0, SEC, canaryPolicy, noData, pass } from "./fixtures.ts";

const desired = { revision: "rev2", modelVersion: "v2" };
/** A whole rollout as (time, observations) pairs, without any persistence. */
const script: [number, Observations][] = [
  [0, { desired, canaryReady: false, commands: [] }],
  [10, { desired, canaryReady: true, commands: [] }],
  [30, { desired, canaryReady: true, commands: [] }],
  [30, { desired, canaryReady: true, verdicts: [noData()], commands: [] }],
  [60, { desired, canaryReady: true, commands: [{ kind: "pause", id: "p" }] }],
  [60, { desired, canaryReady: true, verdicts: [pass()], commands: [{ kind: "pause", id: "p" }] }],
  [70, { desired, canaryReady: true, commands: [{ kind: "resume", id: "r" }] }],
  [90, { desired, canaryReady: true, commands: [] }],
  [90, { desired, canaryReady: true, verdicts: [pass()], commands: [] }],
  [95, { desired, canaryReady: true, commands: [] }],
  [200, { desired, canaryReady: true, commands: [] }],
  [200, { desired, canaryReady: true, verdicts: [pass()], commands: [] }],
  [300, { desired, canaryReady: true, commands: [] }],
];

test("restart: feeding the JSON-serialised state back gives the same decision at every point", () => {
  const policy = canaryPolicy({ steps: [{ weight: 10, pauseMs: 60 * SEC }, { weight: 50, pauseMs: 0 }] });
  let state: RolloutState = initialState({ revision: "rev1" });
  const phases: string[] = [];
  for (const [at, obs] of script) {
    const now = new Date(T0 + at * SEC);
    const live = step(state, obs, policy, now);
    const restarted = step(JSON.parse(JSON.stringify(state)) as RolloutState, obs, policy, now);
    assert.deepEqual(restarted, live, `at ${at}s`);
    assert.deepEqual(JSON.parse(JSON.stringify(live.next)), live.next, `state at ${at}s survives JSON unchanged`);
    state = live.next;
    phases.push(`${state.phase}:${state.step}`);
  }
  assert.deepEqual(phases.at(-1), "Stable:0", "the scripted rollout completes");
  assert.ok(phases.includes("Progressing:1") && phases.includes("Promoting:1"));
});

test("restart between RunAnalysis and its verdicts asks again, neither skipping nor repeating the step", () => {
  const policy = canaryPolicy();
  const ready = { desired, canaryReady: true, commands: [] };
  let state = step(initialState({ revision: "rev1" }), { ...ready, canaryReady: false }, policy, new Date(T0)).next;
  state = step(state, ready, policy, new Date(T0 + 30 * SEC)).next; // asked for analysis; operator killed here
  const persisted = JSON.parse(JSON.stringify(state)) as RolloutState;
  const again = step(persisted, ready, policy, new Date(T0 + 45 * SEC));
  assert.deepEqual(again.actions.filter((a) => a.kind === "RunAnalysis"), [{ kind: "RunAnalysis", revision: "rev2", shadowing: false }]);
  const answered = step(again.next, { ...ready, verdicts: [pass()] }, policy, new Date(T0 + 45 * SEC));
  assert.deepEqual([answered.next.step, answered.next.analysis.passedThisStep], [0, true]);
});

test("restart after a step completed resumes the new step", () => {
  const policy = canaryPolicy({ analysis: undefined });
  const ready = { desired, canaryReady: true, commands: [] };
  let state = step(initialState({ revision: "rev1" }), ready, policy, new Date(T0)).next;
  state = step(state, ready, policy, new Date(T0 + 60 * SEC)).next;
  assert.equal(state.step, 1);
  const persisted = JSON.parse(JSON.stringify(state)) as RolloutState;
  const resumed = step(persisted, { ...ready, canaryReady: false }, policy, new Date(T0 + 61 * SEC));
  assert.deepEqual([resumed.next.step, resumed.next.weight, resumed.events], [1, 50, []]);
});
