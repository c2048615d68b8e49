import { strict as assert } from "node:assert";
import { test } from "node:test";
import { forgetRolloutMetrics, recordRolloutMetrics } from "../../../src/controllers/modeldeployment/rollout/metrics.ts";
import type { RolloutDecision } from "../../../src/controllers/modeldeployment/rollout/decide-rollout.ts";
import { OperatorMetrics } from "../../../src/runtime/metrics.ts";
import { initialState } from "../../../src/rollout/state.ts";
import { fail } from "../rollout/fixtures.ts";

test("rollout metrics: weight and phase gauges, analysis results, finished rollouts counted once", async () => {
  const metrics = new OperatorMetrics({ processMetrics: false });
  const state = { ...initialState({ revision: "r1" }), phase: "Progressing" as const, canary: { revision: "r2" }, weight: 25 };
  const history = [{ revision: "r0", outcome: "Promoted" as const, time: "2026-01-01T00:00:00Z" }];
  const decision = { state: { ...state, history }, verdicts: [fail()] } as unknown as RolloutDecision;
  recordRolloutMetrics(metrics, "ml", "iris", decision, { history: [] });
  recordRolloutMetrics(metrics, "ml", "iris", { ...decision, verdicts: undefined }, { history });
  const text = await metrics.registry.metrics();
  assert.match(text, /mdo_rollout_canary_weight\{namespace="ml",name="iris"\} 25/);
  assert.match(text, /mdo_rollout_phase\{namespace="ml",name="iris",phase="Progressing"\} 1/);
  assert.match(text, /mdo_rollout_phase\{namespace="ml",name="iris",phase="Stable"\} 0/);
  assert.match(text, /mdo_rollout_analysis_intervals_total\{namespace="ml",name="iris",result="fail"\} 1/);
  assert.match(text, /mdo_rollouts_total\{namespace="ml",name="iris",outcome="Promoted"\} 1/);
  forgetRolloutMetrics(metrics, "ml", "iris");
  assert.doesNotMatch(await metrics.registry.metrics(), /mdo_rollout_canary_weight\{/);
});
