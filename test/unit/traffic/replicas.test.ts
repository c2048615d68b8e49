// The Replicas router: the budget split by splitReplicas, honest weights, and a canary track
// Service (for previews and analysis) while a new revision exists.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { splitReplicas } from "../../../src/rollout/replica-weights.ts";
import { ReplicasRouter } from "../../../src/traffic/replicas.ts";
import { input, modelDeployment } from "./fixtures.ts";

const router = new ReplicasRouter();

test("replicas and achievable weight come from splitReplicas; the canary's track Service", () => {
  const md = modelDeployment();
  for (const [weight, budget] of [[0, 4], [10, 4], [10, 10], [50, 4], [99, 4], [100, 4], [10, 1]] as const) {
    const split = splitReplicas(weight, budget);
    const plan = router.plan(input(md, weight, budget));
    assert.deepEqual({ ...plan, objects: [] }, {
      replicas: { stable: split.stableReplicas, canary: split.canaryReplicas },
      objects: [],
      achievableWeight: split.achievedWeight,
    }, `weight ${weight}, budget ${budget}`);
    const canary = plan.objects[0];
    assert.equal(plan.objects.length, 1);
    assert.equal(canary?.metadata?.name, `${md.metadata.name ?? ""}-canary`);
    const selector = (canary as { spec?: { selector?: Record<string, string> } } | undefined)?.spec?.selector;
    assert.equal(selector?.["mdo.dev/revision"], input(md, weight, budget).canaryRevision);
  }
  assert.deepEqual(router.plan(input(md, 0, 4, null)).objects, [], "no new revision, no track Service");
});

test("10% of 4 replicas is reported as the 25% it really is", () => {
  const plan = router.plan(input(modelDeployment(), 10, 4));
  assert.deepEqual(plan.replicas, { stable: 3, canary: 1 });
  assert.equal(plan.achievableWeight, 25);
});

test("without a canary revision every replica is stable", () => {
  assert.deepEqual(router.plan(input(modelDeployment(), 40, 3, null)).replicas, { stable: 3, canary: 0 });
});

test("measured weight is the share of ready canary pods", () => {
  assert.equal(router.measuredWeight({ stable: 3, canary: 1 }), 25);
  assert.equal(router.measuredWeight({ stable: 0, canary: 0 }), 0);
  assert.equal(router.measuredWeight({ stable: 0, canary: 2 }), 100);
  assert.deepEqual(router.kinds.map((k) => k.kind), ["Service"]);
  assert.equal(router.type, "Replicas");
});
