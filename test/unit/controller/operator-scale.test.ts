// withOperatorScaling: the operator's autoscaler sizes the serving revision only for concurrency
// and rps and only while no rollout runs; before it has a recommendation the Deployment keeps its
// count (minReplicas for a new one); otherwise it lets go (untracks).
import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { V1Deployment } from "@kubernetes/client-node";
import type { ModelDeployment } from "../../../src/api/index.ts";
import type { LoadAutoscaler, ScaleTarget } from "../../../src/autoscaler/autoscaler.ts";
import type { Recommendation } from "../../../src/autoscaler/recommend.ts";
import { decideRollout, type RolloutDecision } from "../../../src/controllers/modeldeployment/rollout/decide-rollout.ts";
import { withOperatorScaling } from "../../../src/controllers/modeldeployment/rollout/operator-scale.ts";
import { saveState } from "../../../src/controllers/modeldeployment/rollout/state-codec.ts";
import { DEFAULT_SETTINGS } from "../../../src/controllers/modeldeployment/settings.ts";
import { initialState } from "../../../src/rollout/state.ts";
import { routerFor } from "../../../src/traffic/index.ts";
import { modelDeployment } from "../builders/fixtures.ts";

class RecordingAutoscaler implements LoadAutoscaler {
  readonly tracked = new Map<string, ScaleTarget>();
  next: Recommendation | undefined;
  track(key: string, target: ScaleTarget): void { this.tracked.set(key, target); }
  untrack(key: string): void { this.tracked.delete(key); }
  recommendation(): Recommendation | undefined { return this.next; }
}

const KEY = "ml/fraud";
const autoscaled = (autoscaling: Record<string, unknown>): ModelDeployment => modelDeployment((input) => {
  delete input.spec.replicas;
  input.spec.autoscaling = { minReplicas: 2, maxReplicas: 8, ...autoscaling };
  input.spec.rollout = { strategy: "Canary", steps: [{ weight: 50, pause: "1m" }] };
});
const deployment = (revision: string, replicas: number): V1Deployment => ({ metadata: { name: `fraud-${revision}` }, spec: { replicas, selector: {}, template: {} } });

async function decide(md: ModelDeployment, desired: string, deployments: V1Deployment[]): Promise<RolloutDecision> {
  return decideRollout({
    md, status: { rollout: saveState(initialState({ revision: "r1" }), undefined) }, desired: { revision: desired, modelVersion: "v7" },
    deployments, router: routerFor(undefined), settings: DEFAULT_SETTINGS, analyzer: undefined,
    webhooks: { call: () => Promise.resolve([]) }, now: new Date("2026-12-04T00:00:00Z"),
  });
}

test("concurrency, no rollout: tracks the stable revision and gives it the recommendation, else its count, else minReplicas", async () => {
  const md = autoscaled({ metric: "concurrency", target: 4 });
  const autoscaler = new RecordingAutoscaler();
  const fresh = withOperatorScaling(KEY, md, await decide(md, "r1", []), [], { autoscaler });
  assert.equal(fresh.decision.plan.replicas.get("r1"), 2, "a new revision starts at minReplicas");
  assert.equal(autoscaler.tracked.get(KEY)?.revision, "r1");
  assert.equal(autoscaler.tracked.get(KEY)?.policy.metric, "concurrency");
  const kept = withOperatorScaling(KEY, md, await decide(md, "r1", [deployment("r1", 5)]), [deployment("r1", 5)], { autoscaler });
  assert.equal(kept.decision.plan.replicas.get("r1"), 5, "no load read yet: the running count stays");
  assert.equal(kept.scaling?.recommendation, undefined);
  autoscaler.next = { desired: 7, panic: true, stableLoad: 20, panicLoad: 28, readyPods: 5, reason: "panic" };
  const scaled = withOperatorScaling(KEY, md, await decide(md, "r1", [deployment("r1", 5)]), [deployment("r1", 5)], { autoscaler });
  assert.equal(scaled.decision.plan.replicas.get("r1"), 7);
  assert.equal(scaled.scaling?.desired, 7);
});

test("a rollout, cpu, or no autoscaler: the decision is untouched and the revision untracked", async () => {
  const autoscaler = new RecordingAutoscaler();
  autoscaler.next = { desired: 7, panic: false, stableLoad: 20, panicLoad: 20, readyPods: 5, reason: "" };
  const md = autoscaled({ metric: "rps", target: 50 });
  withOperatorScaling(KEY, md, await decide(md, "r1", [deployment("r1", 4)]), [deployment("r1", 4)], { autoscaler });
  assert.equal(autoscaler.tracked.size, 1);
  const rollout = await decide(md, "r2", [deployment("r1", 4)]);
  assert.equal(rollout.state.phase, "Progressing");
  const during = withOperatorScaling(KEY, md, rollout, [deployment("r1", 4)], { autoscaler });
  assert.equal(during.decision, rollout, "the rollout's plan sizes every revision");
  assert.equal(during.scaling, undefined);
  assert.equal(autoscaler.tracked.size, 0, "untracked mid-rollout");
  const cpu = autoscaled({ targetCPUUtilization: 70 });
  const byHpa = await decide(cpu, "r1", []);
  assert.equal(withOperatorScaling(KEY, cpu, byHpa, [], { autoscaler }).decision, byHpa);
  assert.equal(autoscaler.tracked.size, 0);
  assert.equal(withOperatorScaling(KEY, md, byHpa, [], {}).decision, byHpa, "without an autoscaler nothing changes");
});
