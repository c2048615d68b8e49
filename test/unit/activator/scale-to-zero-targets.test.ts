// The ModelDeployments the activator serves: those with autoscaling.minReplicas 0, followed
// through their events (added, changed either way, deleted), cached small.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { modelDeploymentForActivator, ScaleToZeroTargets } from "../../../src/activator/scale-to-zero-targets.ts";
import type { KubeObject } from "../../../src/runtime/client/kube-client.ts";

const md = (name: string, spec: Record<string, unknown>): KubeObject => ({ metadata: { name, namespace: "ml", resourceVersion: "7", labels: { a: "b" } }, spec } as KubeObject);
const IRIS = { namespace: "ml", name: "iris" };

test("served while minReplicas is 0; not before, not after a change or a delete", () => {
  const targets = new ScaleToZeroTargets();
  assert.equal(targets.accepts(IRIS), false);
  targets.onModelDeploymentEvent("added", md("iris", { autoscaling: { minReplicas: 0, maxReplicas: 3 } }));
  assert.equal(targets.accepts(IRIS), true);
  assert.equal(targets.accepts({ namespace: "other", name: "iris" }), false);
  targets.onModelDeploymentEvent("updated", md("iris", { autoscaling: { minReplicas: 1, maxReplicas: 3 } }));
  assert.equal(targets.accepts(IRIS), false);
  targets.onModelDeploymentEvent("updated", md("iris", { autoscaling: { minReplicas: 0, maxReplicas: 3 } }));
  targets.onModelDeploymentEvent("deleted", md("iris", { autoscaling: { minReplicas: 0, maxReplicas: 3 } }));
  assert.equal(targets.accepts(IRIS), false);
  targets.onModelDeploymentEvent("added", md("iris", { replicas: 0 }));
  assert.equal(targets.accepts(IRIS), false, "spec.replicas 0 is not scale to zero");
});

test("the cache keeps name, namespace, resourceVersion and minReplicas only", () => {
  assert.deepEqual(modelDeploymentForActivator(md("iris", { model: { uri: "s3://x" }, autoscaling: { minReplicas: 0, maxReplicas: 3 } })), {
    metadata: { name: "iris", namespace: "ml", resourceVersion: "7" }, spec: { autoscaling: { minReplicas: 0 } },
  });
  assert.deepEqual(modelDeploymentForActivator(md("fixed", { replicas: 2 })), { metadata: { name: "fixed", namespace: "ml", resourceVersion: "7" } });
});
