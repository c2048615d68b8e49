import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadAll } from "js-yaml";
import { parseModelDeployment } from "../../../src/api/index.ts";

const EXAMPLES = join(import.meta.dirname, "..", "..", "..", "examples");
const files = readdirSync(EXAMPLES).filter((f) => f.endsWith(".yaml")).sort();

describe("examples", () => {
  it("include the documented ones", () => {
    for (const name of ["sklearn-autoscaling.yaml", "onnx-canary.yaml", "custom-auth-cache.yaml"]) {
      assert.ok(files.includes(name), `examples/${name} is missing`);
    }
  });

  for (const file of files) {
    it(`${file} is one valid ModelDeployment`, () => {
      const documents = loadAll(readFileSync(join(EXAMPLES, file), "utf8"));
      assert.equal(documents.length, 1, "one YAML document per example");
      const result = parseModelDeployment(documents[0]);
      assert.ok(result.ok, result.ok ? "" : result.error.message);
      assert.equal(result.value.metadata.namespace, undefined, "examples apply to any namespace");
    });
  }
});
