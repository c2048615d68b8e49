import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { layOut } from "../../../../src/delivery/layout/index.ts";
import { assertLayoutFailed, modelDir, tree } from "./fixtures.ts";

const request = { layout: "tensorflow-serving", format: "tensorflow", modelName: "half", modelVersion: "v2" } as const;

describe("tensorflow-serving layout", () => {
  it("moves a SavedModel at the root into 1/", async () => {
    const dir = await modelDir({ "saved_model.pb": "g", "variables/variables.index": "i", "variables/variables.data-00000-of-00001": "d" });
    const result = await layOut(dir, request);
    assert.deepEqual(result, { wrote: [], moved: ["saved_model.pb -> 1/saved_model.pb", "variables -> 1/variables"], kept: undefined });
    assert.deepEqual(await tree(dir), ["1/", "1/saved_model.pb", "1/variables/", "1/variables/variables.data-00000-of-00001", "1/variables/variables.index"]);
  });

  it("renames a nested SavedModel directory to 1 and leaves the other files, which TF Serving skips", async () => {
    const dir = await modelDir({ "export/1699999999/saved_model.pbtxt": "g", "export/1699999999/variables/": "", "README.md": "r" });
    const result = await layOut(dir, request);
    assert.deepEqual(result.moved, ["export/1699999999 -> 1"]);
    assert.deepEqual(await tree(dir), ["1/", "1/saved_model.pbtxt", "1/variables/", "README.md", "export/"]);
  });

  it("keeps the user's numeric version directories", async () => {
    const dir = await modelDir({ "3/saved_model.pb": "g", "7/saved_model.pb": "g", "notes.txt": "n" });
    const result = await layOut(dir, request);
    assert.deepEqual(result, { wrote: [], moved: [], kept: "user-layout" });
    assert.deepEqual(await tree(dir), ["3/", "3/saved_model.pb", "7/", "7/saved_model.pb", "notes.txt"]);
  });

  it("fails without a SavedModel", async () => {
    const dir = await modelDir({ "model.h5": "k", "v1/weights.bin": "w" });
    await assertLayoutFailed(layOut(dir, request),
      "format tensorflow on tensorflow-serving needs one SavedModel (a directory with saved_model.pb or saved_model.pbtxt); found: model.h5, v1/weights.bin");
    assert.deepEqual(await tree(dir), ["model.h5", "v1/", "v1/weights.bin"]);
  });

  it("fails with several SavedModels", async () => {
    const dir = await modelDir({ "a/saved_model.pb": "a", "b/saved_model.pb": "b" });
    await assertLayoutFailed(layOut(dir, request),
      "format tensorflow on tensorflow-serving needs one SavedModel (a directory with saved_model.pb or saved_model.pbtxt); found 2: a/saved_model.pb, b/saved_model.pb");
  });
});
