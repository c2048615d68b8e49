import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildChildren } from "../../../src/controllers/modeldeployment/builders/index.ts";
import { contextFor, exampleFiles, loadExample } from "./fixtures.ts";

/** Objects reachable from `value` more than once (shared references). */
function sharedObjects(value: unknown, seen = new Set<object>(), shared: object[] = []): object[] {
  if (value === null || typeof value !== "object") return shared;
  if (seen.has(value)) {
    shared.push(value);
    return shared;
  }
  seen.add(value);
  for (const child of Object.values(value)) sharedObjects(child, seen, shared);
  return shared;
}

describe("determinism", () => {
  for (const file of exampleFiles()) {
    it(`${file}: two builds are deep-equal plain JSON without shared objects`, () => {
      const first = buildChildren(contextFor(loadExample(file)));
      const second = buildChildren(contextFor(loadExample(file)));
      assert.deepEqual(first, second);
      assert.deepEqual(JSON.parse(JSON.stringify(first)), first, "no undefined, no class instances");
      assert.deepEqual(sharedObjects(first), []);
    });
  }

  it("does not mutate its input", () => {
    const ctx = contextFor(loadExample("xgboost-drift-retrain.yaml"));
    const before = structuredClone(ctx);
    const children = buildChildren(ctx);
    children.deployment.spec?.template.spec?.tolerations?.push({ key: "x", operator: "Exists" });
    assert.deepEqual(ctx, before);
    assert.deepEqual(buildChildren(ctx).deployment.spec?.template.spec?.tolerations?.length, 1);
  });
});
