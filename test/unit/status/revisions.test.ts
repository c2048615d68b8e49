import { strict as assert } from "node:assert";
import { test } from "node:test";
import { assessRollout } from "../../../src/controllers/modeldeployment/status/revisions.ts";
import type { DeploymentCounts } from "./fixtures.ts";
import { deployment, observe, spec } from "./fixtures.ts";

const complete = (counts: DeploymentCounts, desiredSpec = spec()) =>
  assessRollout(observe({ spec: desiredSpec, deployments: [deployment("rev1", counts)] })).complete;

test("complete only when observed and updated == replicas == ready == available == target >= desired", () => {
  assert.equal(complete({ ready: 2 }), true);
  assert.equal(complete({ ready: 2, generation: 3, observedGeneration: 2 }), false, "not observed");
  assert.equal(complete({ ready: 2, generation: 3, observedGeneration: 4 }), true, "observed later is fine");
  assert.equal(complete({ replicas: 2, ready: 2, updated: 1 }), false, "not all updated");
  assert.equal(complete({ replicas: 2, ready: 1 }), false, "not all ready");
  assert.equal(complete({ ready: 2, available: 1 }), false, "not all available");
  assert.equal(complete({ target: 3, ready: 2 }), false, "the Deployment wants more");
  assert.equal(complete({ target: 2, replicas: 3, ready: 3 }), false, "an extra replica still terminating");
  assert.equal(complete({ ready: 1, target: 1 }), false, "fewer than spec.replicas");
  assert.equal(complete({}), false, "0 ready of 2 desired");
  assert.equal(assessRollout(observe()).complete, false, "no Deployment");
});

test("desired replicas come from spec.replicas or autoscaling.minReplicas", () => {
  const autoscaled = (minReplicas: number) =>
    spec({ replicas: undefined, autoscaling: { minReplicas, maxReplicas: 9, targetCPUUtilization: 50 }, resources: { requests: { cpu: "1" } } });
  assert.equal(assessRollout(observe({ spec: autoscaled(3) })).desired, 3);
  assert.equal(complete({ ready: 2 }, autoscaled(3)), false);
  assert.equal(complete({ ready: 4 }, autoscaled(3)), true);
  assert.equal(assessRollout(observe({ spec: spec({ replicas: 0 }) })).desired, 0);
  assert.equal(complete({}, spec({ replicas: 0 })), true);
});

test("older revisions count while they have replicas, running or asked for; totals span all revisions", () => {
  const rollout = assessRollout(
    observe({
      revision: "rev3",
      deployments: [
        deployment("rev1", { target: 0, replicas: 0 }),
        deployment("rev2", { target: 0, replicas: 1, ready: 1 }),
        deployment("rev0", { target: 1, replicas: 0 }),
        deployment("rev3", { replicas: 2, ready: 1 }),
      ],
    }),
  );
  assert.deepEqual(rollout.older.map((r) => r.revision), ["rev2", "rev0"]);
  assert.equal(rollout.current?.revision, "rev3");
  assert.equal(rollout.replicas, 3);
  assert.equal(rollout.readyReplicas, 2);
});

test("deadlineExceeded carries the current Deployment's message, and only the current one's", () => {
  const stuck = { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "timed out" };
  const current = assessRollout(observe({ deployments: [deployment("rev1", { conditions: [stuck] })] }));
  assert.equal(current.deadlineExceeded, "timed out");
  const old = assessRollout(observe({ revision: "rev2", deployments: [deployment("rev1", { conditions: [stuck] })] }));
  assert.equal(old.deadlineExceeded, undefined);
});
