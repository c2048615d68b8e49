import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { layOut } from "../../../../src/delivery/layout/index.ts";
import { assertLayoutFailed, modelDir, readJson, tree } from "./fixtures.ts";

describe("mlserver layout", () => {
  it("writes model-settings.json naming the one model file, the implementation and the version", async () => {
    const dir = await modelDir({ "model.joblib": "m" });
    const result = await layOut(dir, { layout: "mlserver", format: "sklearn", modelName: "fraud", modelVersion: "v7" });
    assert.deepEqual(result, { wrote: ["model-settings.json"], moved: [], kept: undefined });
    assert.deepEqual(await tree(dir), ["model-settings.json", "model.joblib"]);
    assert.equal(await readFile(join(dir, "model-settings.json"), "utf8"), [
      "{",
      '  "name": "fraud",',
      '  "implementation": "mlserver_sklearn.SKLearnModel",',
      '  "parameters": {',
      '    "uri": "./model.joblib",',
      '    "version": "v7"',
      "  }",
      "}",
      "",
    ].join("\n"));
  });

  it("points the uri at a nested model file without moving it, and omits an absent version", async () => {
    const dir = await modelDir({ "artifacts/clf.pkl": "m", "README.md": "r" });
    await layOut(dir, { layout: "mlserver", format: "sklearn", modelName: "fraud" });
    assert.deepEqual(await tree(dir), ["README.md", "artifacts/", "artifacts/clf.pkl", "model-settings.json"]);
    assert.deepEqual(await readJson(join(dir, "model-settings.json")), {
      name: "fraud", implementation: "mlserver_sklearn.SKLearnModel", parameters: { uri: "./artifacts/clf.pkl" },
    });
  });

  for (const [format, file, implementation] of [
    ["xgboost", "booster.ubj", "mlserver_xgboost.XGBoostModel"],
    ["xgboost", "model.json", "mlserver_xgboost.XGBoostModel"],
    ["lightgbm", "model.txt", "mlserver_lightgbm.LightGBMModel"],
    ["lightgbm", "model.bst", "mlserver_lightgbm.LightGBMModel"],
  ] as const) {
    it(`picks ${file} for format ${format}`, async () => {
      const dir = await modelDir({ [file]: "m", "metrics.csv": "c" });
      await layOut(dir, { layout: "mlserver", format, modelName: "m1" });
      assert.deepEqual(await tree(dir), ["metrics.csv", "model-settings.json", file].sort());
      assert.deepEqual(await readJson(join(dir, "model-settings.json")), { name: "m1", implementation, parameters: { uri: `./${file}` } });
    });
  }

  it("points an MLflow model at the directory of its MLmodel file", async () => {
    const dir = await modelDir({ "model/MLmodel": "flavors: {}", "model/model.pkl": "m", "model/conda.yaml": "c" });
    await layOut(dir, { layout: "mlserver", format: "mlflow", modelName: "churn" });
    assert.deepEqual(await tree(dir), ["model-settings.json", "model/", "model/MLmodel", "model/conda.yaml", "model/model.pkl"]);
    assert.deepEqual(await readJson(join(dir, "model-settings.json")), {
      name: "churn", implementation: "mlserver_mlflow.MLflowRuntime", parameters: { uri: "./model" },
    });
  });

  it("uses the root for an MLflow model whose MLmodel file is at the root", async () => {
    const dir = await modelDir({ MLmodel: "flavors: {}", "model.pkl": "m" });
    await layOut(dir, { layout: "mlserver", format: "mlflow", modelName: "churn" });
    assert.deepEqual(await readJson(join(dir, "model-settings.json")), {
      name: "churn", implementation: "mlserver_mlflow.MLflowRuntime", parameters: { uri: "." },
    });
  });

  it("keeps the user's model-settings.json wherever it is and writes nothing", async () => {
    const dir = await modelDir({ "iris/model-settings.json": '{"implementation":"my.Model"}', "iris/model.joblib": "m", "extra.pkl": "x" });
    const result = await layOut(dir, { layout: "mlserver", format: "custom", modelName: "iris" });
    assert.deepEqual(result, { wrote: [], moved: [], kept: "user-layout" });
    assert.deepEqual(await tree(dir), ["extra.pkl", "iris/", "iris/model-settings.json", "iris/model.joblib"]);
    assert.equal(await readFile(join(dir, "iris/model-settings.json"), "utf8"), '{"implementation":"my.Model"}');
  });

  it("fails when no file has the format's extensions, naming what was found", async () => {
    const dir = await modelDir({ "a.txt": "a", "b.csv": "b" });
    await assertLayoutFailed(layOut(dir, { layout: "mlserver", format: "xgboost", modelName: "m" }),
      "format xgboost needs one model file (.json, .ubj, .bst); found: a.txt, b.csv");
    assert.deepEqual(await tree(dir), ["a.txt", "b.csv"]);
  });

  it("fails when several files could be the model, naming them", async () => {
    const dir = await modelDir({ "a.joblib": "a", "old/b.pkl": "b", "notes.md": "n" });
    await assertLayoutFailed(layOut(dir, { layout: "mlserver", format: "sklearn", modelName: "m" }),
      "format sklearn needs one model file (.joblib, .pkl, .pickle); found 2: a.joblib, old/b.pkl");
  });

  it("fails on an empty directory", async () => {
    const dir = await modelDir({});
    await assertLayoutFailed(layOut(dir, { layout: "mlserver", format: "lightgbm", modelName: "m" }),
      "format lightgbm needs one model file (.bst, .txt); found: no files");
  });

  it("fails for an MLflow model without exactly one MLmodel file", async () => {
    const dir = await modelDir({ "a/MLmodel": "x", "b/MLmodel": "y" });
    await assertLayoutFailed(layOut(dir, { layout: "mlserver", format: "mlflow", modelName: "m" }),
      "format mlflow needs one MLflow model (a directory with an MLmodel file); found 2: a/MLmodel, b/MLmodel");
  });

  it("fails for format custom without the user's model-settings.json", async () => {
    const dir = await modelDir({ "model.py": "code", "weights.bin": "w" });
    await assertLayoutFailed(layOut(dir, { layout: "mlserver", format: "custom", modelName: "m" }),
      "format custom on mlserver needs a model-settings.json naming its implementation " +
        "(MLServer has no built-in one for it); found: model.py, weights.bin");
    assert.deepEqual(await tree(dir), ["model.py", "weights.bin"]);
  });

  it("fails for a format MLServer has no built-in implementation for", async () => {
    const dir = await modelDir({ "model.onnx": "m" });
    await assertLayoutFailed(layOut(dir, { layout: "mlserver", format: "onnx", modelName: "m" }),
      "format onnx on mlserver needs a model-settings.json naming its implementation " +
        "(MLServer has no built-in one for it); found: model.onnx");
  });
});
