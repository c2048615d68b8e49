// The defaults the operator fills in where the spec is silent: one replica without replicas or
// autoscaling, the runtime's requests and limits for each resource the spec names nowhere — and
// the spec's own values always win. What was filled in is reported (status.defaults).
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { withOperatorDefaults } from "../../../src/controllers/modeldeployment/defaults.ts";
import { CATALOG, modelDeployment } from "../builders/fixtures.ts";

const mlserver = CATALOG.resolve("sklearn", "v2", undefined);

test("the smallest ModelDeployment (model URI and format) gets 1 replica and the runtime's resources, and says so", () => {
  const md = modelDeployment((input) => {
    delete input.spec.replicas;
    delete input.spec.resources;
  });
  const { md: filled, applied } = withOperatorDefaults(md, mlserver);
  assert.equal(filled.spec.replicas, 1);
  assert.equal(filled.spec.autoscaling, undefined);
  assert.deepEqual(filled.spec.resources, { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } });
  assert.deepEqual(applied, { replicas: 1, runtime: "mlserver", resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } } });
  assert.equal(md.spec.replicas, undefined, "the input is not mutated");
});

test("the spec's values win: replicas or autoscaling set, resources named in requests or limits", () => {
  const autoscaled = modelDeployment((input) => {
    delete input.spec.replicas;
    input.spec.autoscaling = { minReplicas: 2, maxReplicas: 5, targetCPUUtilization: 70 };
    input.spec.resources = { limits: { cpu: "2" }, requests: { memory: "4Gi" } };
  });
  const { md, applied } = withOperatorDefaults(autoscaled, mlserver);
  assert.equal(md.spec.replicas, undefined, "autoscaling decides, no replicas are filled in");
  assert.deepEqual(md.spec.resources, { limits: { cpu: "2" }, requests: { memory: "4Gi" } }, "cpu and memory are each named once: nothing is filled in");
  assert.deepEqual(applied, { runtime: "mlserver" });

  const memoryOnly = modelDeployment((input) => {
    input.spec.resources = { requests: { memory: "512Mi" }, limits: { memory: "1Gi" }, gpu: 1 };
  });
  const partly = withOperatorDefaults(memoryOnly, mlserver);
  assert.deepEqual(partly.md.spec.resources, { requests: { memory: "512Mi", cpu: "1" }, limits: { memory: "1Gi" }, gpu: 1 },
    "only the CPU comes from the runtime; the runtime's 2Gi memory limit never lands under a smaller request or over the user's limit");
  assert.deepEqual(partly.applied?.resources, { requests: { cpu: "1" } });
  assert.equal(partly.md.spec.replicas, 2);
});

test("an explicit runtime is not reported as a default, and a runtime's own resources are what is filled in", () => {
  const md = modelDeployment((input) => {
    input.spec.model.runtime = "mlserver";
  });
  assert.deepEqual(withOperatorDefaults(md, mlserver).applied, undefined, "replicas, resources and runtime all set: nothing filled in");
  const small = { ...mlserver, resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1" } } };
  const bare = modelDeployment((input) => {
    delete input.spec.resources;
  });
  assert.deepEqual(withOperatorDefaults(bare, small).md.spec.resources, { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1" } });
});
