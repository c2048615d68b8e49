import { strict as assert } from "node:assert";
import { test } from "node:test";
import { contains } from "../../../src/controllers/modeldeployment/contains.ts";

test("extra fields in the actual object do not count as a difference", () => {
  assert.equal(contains({ a: 1, b: { c: 2, d: 3 }, status: {} }, { b: { c: 2 } }), true);
});

test("a changed or missing desired field is a difference", () => {
  assert.equal(contains({ a: 1 }, { a: 2 }), false);
  assert.equal(contains({ a: 1 }, { b: 1 }), false);
  assert.equal(contains({ a: { b: 1 } }, { a: { b: 1, c: 2 } }), false);
});

test("arrays match element by element and must have the same length", () => {
  assert.equal(contains({ l: [{ n: 1, x: 9 }, { n: 2 }] }, { l: [{ n: 1 }, { n: 2 }] }), true);
  assert.equal(contains({ l: [{ n: 1 }] }, { l: [{ n: 1 }, { n: 2 }] }), false);
  assert.equal(contains({ l: [{ n: 1 }, { n: 2 }] }, { l: [{ n: 1 }] }), false);
  assert.equal(contains({ l: [{ n: 2 }, { n: 1 }] }, { l: [{ n: 1 }, { n: 2 }] }), false);
});

test("int-or-string values compare by their text", () => {
  assert.equal(contains({ port: 8080 }, { port: "8080" }), true);
  assert.equal(contains({ cpu: "2" }, { cpu: 2 }), true);
  assert.equal(contains({ flag: false }, { flag: "false" }), false);
});

test("an atomic map with a key the desired state dropped is a difference (a Service selector widened for a canary)", () => {
  const actual = { spec: { selector: { app: "fraud", "mdo.dev/revision": "r1" }, ports: [{ port: 80 }] } };
  const widened = { spec: { selector: { app: "fraud" } } };
  assert.equal(contains(actual, widened), true, "without the path, extra keys are someone else's");
  assert.equal(contains(actual, widened, new Set(["spec.selector"])), false);
  assert.equal(contains(actual, { spec: { selector: { app: "fraud", "mdo.dev/revision": "r1" } } }, new Set(["spec.selector"])), true);
  // Only the named path is exact: extra fields elsewhere still do not count.
  assert.equal(contains({ ...actual, status: {} }, { spec: { selector: { app: "fraud", "mdo.dev/revision": "r1" } } }, new Set(["spec.selector"])), true);
});
