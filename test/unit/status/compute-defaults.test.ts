// status.defaults says what the operator filled in for the spec; a reconcile that did not get as
// far as resolving the runtime (an invalid spec, an unknown runtime) leaves it as it was.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { computeStatus } from "../../../src/controllers/modeldeployment/status/index.ts";
import { observe, valid } from "./fixtures.ts";

const FILLED = { replicas: 1, runtime: "mlserver", resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } } };

test("status.defaults follows what was filled in, and stays as it was when the runtime was not resolved", () => {
  const first = valid(computeStatus(observe({ defaults: { applied: FILLED } }), undefined));
  assert.deepEqual(first.defaults, FILLED);
  const unresolved = valid(computeStatus(observe({ problem: { kind: "Stalled", reason: "InvalidSpec", message: "spec.model.format: invalid" } }), first));
  assert.deepEqual(unresolved.defaults, FILLED, "kept: the running pods still have them");
  const nothingFilled = valid(computeStatus(observe({ defaults: {} }), first));
  assert.equal(nothingFilled.defaults, undefined, "the spec now sets everything itself");
});
