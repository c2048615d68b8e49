import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { layOut } from "../../../../src/delivery/layout/index.ts";
import { assertLayoutFailed, modelDir, tree } from "./fixtures.ts";

describe("triton layout", () => {
  it("moves the one ONNX file to <name>/1/model.onnx and writes no config", async () => {
    const dir = await modelDir({ "fraud-v3.onnx": "m" });
    const result = await layOut(dir, { layout: "triton", format: "onnx", modelName: "fraud", modelVersion: "v3" });
    assert.deepEqual(result, { wrote: [], moved: ["fraud-v3.onnx -> fraud/1/model.onnx"], kept: undefined });
    assert.deepEqual(await tree(dir), ["fraud/", "fraud/1/", "fraud/1/model.onnx"]);
    assert.equal(await readFile(join(dir, "fraud/1/model.onnx"), "utf8"), "m");
  });

  it("moves the other files beside the model and a top-level config.pbtxt into the model directory", async () => {
    const dir = await modelDir({ "model.onnx": "m", "model.onnx_data": "d", "config.pbtxt": "max_batch_size: 8", "labels/en.txt": "l" });
    const result = await layOut(dir, { layout: "triton", format: "onnx", modelName: "fraud" });
    assert.deepEqual(result.moved, [
      "model.onnx -> fraud/1/model.onnx",
      "labels -> fraud/1/labels",
      "model.onnx_data -> fraud/1/model.onnx_data",
      "config.pbtxt -> fraud/config.pbtxt",
    ]);
    assert.deepEqual(await tree(dir), [
      "fraud/", "fraud/1/", "fraud/1/labels/", "fraud/1/labels/en.txt", "fraud/1/model.onnx", "fraud/1/model.onnx_data", "fraud/config.pbtxt",
    ]);
  });

  it("lays out a model whose folder has the model's name but no Triton structure", async () => {
    const dir = await modelDir({ "fraud/weights.onnx": "m" });
    const result = await layOut(dir, { layout: "triton", format: "onnx", modelName: "fraud" });
    assert.deepEqual(result.moved, ["fraud/weights.onnx -> fraud/1/model.onnx", "fraud -> fraud/1/fraud"]);
    assert.deepEqual(await tree(dir), ["fraud/", "fraud/1/", "fraud/1/fraud/", "fraud/1/model.onnx"]);
  });

  it("renames a TensorRT engine to model.plan", async () => {
    const dir = await modelDir({ "out/resnet.engine": "e" });
    await layOut(dir, { layout: "triton", format: "tensorrt", modelName: "resnet" });
    assert.deepEqual(await tree(dir), ["resnet/", "resnet/1/", "resnet/1/model.plan", "resnet/1/out/"]);
  });

  it("lays out a TorchScript model with the user's config.pbtxt", async () => {
    const dir = await modelDir({ "traced.pt": "t", "config.pbtxt": 'platform: "pytorch_libtorch"' });
    await layOut(dir, { layout: "triton", format: "pytorch", modelName: "resnet" });
    assert.deepEqual(await tree(dir), ["resnet/", "resnet/1/", "resnet/1/model.pt", "resnet/config.pbtxt"]);
  });

  it("moves a SavedModel at the root into <name>/1/model.savedmodel/", async () => {
    const dir = await modelDir({ "saved_model.pb": "g", "variables/variables.index": "i", "assets/": "" });
    const result = await layOut(dir, { layout: "triton", format: "tensorflow", modelName: "tf" });
    assert.deepEqual(result.moved, [
      "assets -> tf/1/model.savedmodel/assets",
      "saved_model.pb -> tf/1/model.savedmodel/saved_model.pb",
      "variables -> tf/1/model.savedmodel/variables",
    ]);
    assert.deepEqual(await tree(dir), [
      "tf/", "tf/1/", "tf/1/model.savedmodel/", "tf/1/model.savedmodel/assets/", "tf/1/model.savedmodel/saved_model.pb",
      "tf/1/model.savedmodel/variables/", "tf/1/model.savedmodel/variables/variables.index",
    ]);
  });

  it("renames a nested SavedModel directory to model.savedmodel", async () => {
    const dir = await modelDir({ "export/saved_model.pb": "g", "export/variables/variables.index": "i", "README.md": "r" });
    await layOut(dir, { layout: "triton", format: "tensorflow", modelName: "tf" });
    assert.deepEqual(await tree(dir), [
      "tf/", "tf/1/", "tf/1/README.md", "tf/1/model.savedmodel/", "tf/1/model.savedmodel/saved_model.pb",
      "tf/1/model.savedmodel/variables/", "tf/1/model.savedmodel/variables/variables.index",
    ]);
  });

  for (const [what, files] of [
    ["a model directory with config.pbtxt", { "fraud/config.pbtxt": "c", "fraud/1/model.onnx": "m" }],
    ["a model directory with a version directory only", { "fraud/3/model.onnx": "m" }],
    ["a repository of several models", { "pre/config.pbtxt": "c", "pre/1/model.py": "p", "fraud/config.pbtxt": "c", "fraud/1/model.pt": "m" }],
  ] as const) {
    it(`keeps the user's repository: ${what}`, async () => {
      const dir = await modelDir(files);
      const before = await tree(dir);
      const result = await layOut(dir, { layout: "triton", format: "pytorch", modelName: "fraud" });
      assert.deepEqual(result, { wrote: [], moved: [], kept: "user-layout" });
      assert.deepEqual(await tree(dir), before);
    });
  }

  it("fails when the user's repository has no model of the model's name", async () => {
    const dir = await modelDir({ "other/1/model.onnx": "m", "more/config.pbtxt": "c" });
    await assertLayoutFailed(layOut(dir, { layout: "triton", format: "onnx", modelName: "fraud" }),
      "the Triton model repository holds more, other but no model fraud, the name the server is started and probed with");
  });

  it("fails for PyTorch without a config.pbtxt", async () => {
    const dir = await modelDir({ "model.pt": "m" });
    await assertLayoutFailed(layOut(dir, { layout: "triton", format: "pytorch", modelName: "resnet" }),
      "format pytorch on triton needs a config.pbtxt declaring the model's inputs and outputs (Triton cannot infer them); found: model.pt");
    assert.deepEqual(await tree(dir), ["model.pt"]);
  });

  it("fails without exactly one model file", async () => {
    const none = await modelDir({ "model.bin": "m" });
    await assertLayoutFailed(layOut(none, { layout: "triton", format: "onnx", modelName: "m" }),
      "format onnx needs one model file (.onnx); found: model.bin");
    const two = await modelDir({ "a.onnx": "a", "b/c.onnx": "c" });
    await assertLayoutFailed(layOut(two, { layout: "triton", format: "onnx", modelName: "m" }),
      "format onnx needs one model file (.onnx); found 2: a.onnx, b/c.onnx");
    assert.deepEqual(await tree(two), ["a.onnx", "b/", "b/c.onnx"]);
  });

  it("fails without exactly one SavedModel", async () => {
    const dir = await modelDir({ "a/saved_model.pb": "a", "b/saved_model.pbtxt": "b" });
    await assertLayoutFailed(layOut(dir, { layout: "triton", format: "tensorflow", modelName: "m" }),
      "format tensorflow needs one SavedModel (a directory with saved_model.pb or saved_model.pbtxt); found 2: a/saved_model.pb, b/saved_model.pbtxt");
  });

  it("fails for a format it cannot place", async () => {
    const dir = await modelDir({ "model.joblib": "m" });
    await assertLayoutFailed(layOut(dir, { layout: "triton", format: "sklearn", modelName: "iris" }),
      "format sklearn on triton needs a model repository (iris/config.pbtxt, iris/1/…); found: model.joblib");
  });
});
