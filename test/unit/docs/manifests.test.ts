// Every ModelDeployment and BatchPrediction written in README.md, docs/*.md and examples/ (and every
// `spec:` fragment in the docs, wrapped into a whole ModelDeployment) is valid by the operator's own
// parsers. test/integration/docs/dry-run.test.ts sends the same objects to the real API server.
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { parseBatchPrediction, parseModelDeployment } from "../../../src/api/index.ts";
import { docManifests, exampleManifests, type Manifest } from "./doc-files.ts";

function problem(m: Manifest): string | undefined {
  const result = m.kind === "ModelDeployment" ? parseModelDeployment(m.object) : parseBatchPrediction(m.object);
  return result.ok ? undefined : result.error.message;
}

describe("manifests in the docs and examples", () => {
  const docs = docManifests();
  const examples = exampleManifests();

  it("are found: the README's headline example, docs fragments and every example", () => {
    assert.ok(docs.some((m) => m.where.startsWith("README.md:") && m.kind === "ModelDeployment"), "the README's example");
    assert.ok(docs.some((m) => m.where.includes("spec fragment")), "spec fragments in docs/");
    assert.ok(docs.some((m) => m.kind === "BatchPrediction"), "a BatchPrediction in docs/");
    assert.ok(examples.some((m) => m.where.startsWith("examples/batch/")), "examples/batch/");
  });

  for (const m of [...docs, ...examples]) {
    it(`${m.where} is a valid ${m.kind}`, () => {
      assert.equal(problem(m), undefined);
    });
  }

  it("a broken block is refused (the check can fail)", () => {
    const broken = docs.find((m) => m.where.startsWith("README.md:"));
    assert.ok(broken);
    const object = structuredClone(broken.object);
    (object.spec as { model: { digest?: string } }).model.digest = "sha256:…";
    assert.match(problem({ ...broken, object }) ?? "", /spec\.model\.digest/);
  });
});
