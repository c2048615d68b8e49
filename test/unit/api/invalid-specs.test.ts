// parseModelDeployment must reject every manifest the API server rejects, naming the same field;
// for CEL rules, whose messages are shared, with the same words.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseModelDeployment } from "../../../src/api/index.ts";
import { INVALID_SPECS, mutate, REMOVE, VALID_BASE } from "../../fixtures/invalid-specs.ts";

describe("invalid specs", () => {
  it("start from a valid base", () => {
    const result = parseModelDeployment(VALID_BASE);
    assert.ok(result.ok, result.ok ? "" : result.error.message);
  });

  it("are many, distinctly named, and cover both schema layers", () => {
    assert.ok(INVALID_SPECS.length >= 25);
    assert.equal(new Set(INVALID_SPECS.map((s) => s.name)).size, INVALID_SPECS.length);
    assert.ok(INVALID_SPECS.filter((s) => s.layer === "cel").length >= 20);
    assert.ok(INVALID_SPECS.filter((s) => s.layer === "openapi").length >= 10);
  });

  for (const spec of INVALID_SPECS) {
    it(`rejects: ${spec.name}`, () => {
      const result = parseModelDeployment(spec.manifest);
      assert.ok(!result.ok, "parseModelDeployment accepted it");
      const text = result.error.issues.map((issue) => `${issue.path}: ${issue.message}`).join("\n");
      const [path = ""] = spec.expect;
      assert.ok(
        result.error.issues.some((issue) => issue.path === path || issue.message.includes(path)),
        `no issue names ${path}:\n${text}`,
      );
      const words = spec.layer === "cel" ? spec.expect : [path];
      for (const expected of words) assert.ok(text.includes(expected), `missing "${expected}" in:\n${text}`);
    });
  }
});

describe("mutate", () => {
  it("sets and removes nested fields and list items without touching the base", () => {
    const before = structuredClone(VALID_BASE);
    const out = mutate(VALID_BASE, {
      "spec.replicas": REMOVE,
      "spec.rollout.steps[1].weight": 70,
      "spec.serving.timeout": "5s",
    });
    assert.deepEqual(VALID_BASE, before);
    const spec = out.spec as { replicas?: number; rollout: { steps: { weight: number }[] }; serving: { timeout: string } };
    assert.equal(spec.replicas, undefined);
    assert.equal(spec.rollout.steps[1]?.weight, 70);
    assert.equal(spec.serving.timeout, "5s");
  });
});
