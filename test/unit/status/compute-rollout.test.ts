import { strict as assert } from "node:assert";
import { test } from "node:test";
import { MAX_HISTORY } from "../../../src/api/index.ts";
import { computeStatus } from "../../../src/controllers/modeldeployment/status/index.ts";
import { at, condition, deployment, observe, spec, stableStatus, valid } from "./fixtures.ts";

/** Generation 2 asks for rev2 (model v8). */
const gen2 = (overrides: Parameters<typeof observe>[0]) =>
  observe({ generation: 2, revision: "rev2", modelVersion: "v8", now: at(1), ...overrides });

test("new generation while the old revision serves: Ready False (RollingOut), Reconciling True, Available True", () => {
  const previous = stableStatus();
  const status = valid(
    computeStatus(gen2({ deployments: [deployment("rev1", { ready: 2 }), deployment("rev2", { target: 2, replicas: 1, ready: 0 })] }), previous),
  );
  assert.equal(status.observedGeneration, 2);
  assert.equal(status.phase, "Progressing");
  const ready = condition(status, "Ready");
  assert.deepEqual([ready.status, ready.reason, ready.observedGeneration], ["False", "RollingOut", 2]);
  assert.equal(ready.lastTransitionTime, "2025-03-01T10:01:00Z", "Ready flipped");
  assert.equal(condition(status, "Reconciling").status, "True");
  assert.match(condition(status, "Reconciling").message, /^rolling out revision rev2 \(model v8\): 0 of 2 replicas ready/);
  assert.equal(condition(status, "Available").status, "True");
  assert.match(condition(status, "Available").message, /revision rev1: 2/);
  assert.deepEqual(status.stable, { revision: "rev1", modelVersion: "v7", readyReplicas: 2 }, "previous stable kept");
  assert.equal(status.history?.length, 1, "nothing promoted yet");
  assert.equal(status.replicas, 3);
  assert.equal(status.readyReplicas, 2);
});

test("a Deployment the controller has not observed yet is not rolled out, whatever its counts say", () => {
  const obs = observe({ deployments: [deployment("rev1", { ready: 2, generation: 3, observedGeneration: 2 })] });
  const status = valid(computeStatus(obs, undefined));
  assert.equal(condition(status, "Ready").status, "False");
  assert.match(condition(status, "Reconciling").message, /waiting for the Deployment controller to observe Deployment fraud-rev1/);
});

test("current revision ready while the old one still runs: RetiringRevision, then Ready and Promoted", () => {
  const previous = stableStatus();
  const retiring = valid(
    computeStatus(gen2({ deployments: [deployment("rev1", { target: 0, replicas: 2, ready: 2 }), deployment("rev2", { ready: 2 })] }), previous),
  );
  assert.equal(condition(retiring, "Ready").status, "False");
  assert.equal(condition(retiring, "Ready").reason, "RetiringRevision");
  assert.equal(condition(retiring, "Reconciling").reason, "RetiringRevision");
  assert.match(condition(retiring, "Reconciling").message, /older revisions to scale down: rev1 \(2 replicas\)/);
  assert.equal(retiring.stable?.revision, "rev1");

  const done = valid(
    computeStatus(gen2({ now: at(2), deployments: [deployment("rev1", { target: 0, replicas: 0 }), deployment("rev2", { ready: 2 })] }), retiring),
  );
  assert.equal(done.phase, "Ready");
  assert.equal(condition(done, "Ready").status, "True");
  assert.equal(condition(done, "Reconciling").reason, "UpToDate");
  assert.deepEqual(done.stable, { revision: "rev2", modelVersion: "v8", readyReplicas: 2 });
  assert.deepEqual(done.history?.map((h) => [h.revision, h.outcome, h.time]), [
    ["rev1", "Promoted", "2025-03-01T10:00:00Z"],
    ["rev2", "Promoted", "2025-03-01T10:02:00Z"],
  ]);
});

test("history keeps the newest MAX_HISTORY entries", () => {
  let status = stableStatus();
  for (let i = 2; i <= MAX_HISTORY + 3; i++) {
    const rev = `rev${i}`;
    status = computeStatus(
      observe({ generation: i, revision: rev, modelVersion: `v${i}`, now: at(i), deployments: [deployment(rev, { ready: 2 })] }),
      status,
    );
  }
  valid(status);
  assert.equal(status.history?.length, MAX_HISTORY);
  assert.equal(status.history?.[0]?.revision, "rev4");
  assert.equal(status.history?.at(-1)?.revision, `rev${MAX_HISTORY + 3}`);
});

test("scaling the stable revision: Reconciling Scaling, Ready False until all replicas are ready", () => {
  const previous = stableStatus();
  const obs = observe({ generation: 2, spec: spec({ replicas: 4 }), now: at(1), deployments: [deployment("rev1", { target: 4, replicas: 4, ready: 3 })] });
  const status = valid(computeStatus(obs, previous));
  assert.equal(condition(status, "Reconciling").reason, "Scaling");
  assert.match(condition(status, "Reconciling").message, /scaling revision rev1: 3 of 4 replicas ready/);
  assert.equal(condition(status, "Ready").status, "False");
  assert.equal(status.phase, "Progressing");
  assert.deepEqual(status.stable, { revision: "rev1", modelVersion: "v7", readyReplicas: 3 }, "live count of the stable revision");
});

test("Ready needs at least the desired replicas even when the Deployment's own target is lower", () => {
  const status = valid(computeStatus(observe({ deployments: [deployment("rev1", { target: 1, ready: 1 })] }), undefined));
  assert.equal(condition(status, "Ready").status, "False");
  assert.match(condition(status, "Reconciling").message, /1 of 2 replicas ready/);
});

test("autoscaling: Ready with more replicas than minReplicas once the autoscaler's target is met", () => {
  const autoscaled = spec({ replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 6, targetRequestsPerSecond: 50 } });
  const obs = observe({ spec: autoscaled, deployments: [deployment("rev1", { target: 5, replicas: 5, ready: 5 })] });
  assert.equal(condition(valid(computeStatus(obs, undefined)), "Ready").status, "True");
  const scalingUp = observe({ spec: autoscaled, deployments: [deployment("rev1", { target: 6, replicas: 5, ready: 5 })] });
  assert.equal(condition(computeStatus(scalingUp, undefined), "Ready").status, "False");
});
