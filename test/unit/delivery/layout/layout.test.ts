import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { layOut, RUNTIME_LAYOUTS } from "../../../../src/delivery/layout/index.ts";
import type { RuntimeLayout } from "../../../../src/delivery/layout/index.ts";
import { assertLayoutFailed, modelDir, tree } from "./fixtures.ts";

describe("layOut", () => {
  it("leaves every file where it is for layout none", async () => {
    const dir = await modelDir({ "a/b.bin": "b", "c.txt": "c" });
    const result = await layOut(dir, { layout: "none", format: "custom", modelName: "m" });
    assert.deepEqual(result, { wrote: [], moved: [], kept: undefined });
    assert.deepEqual(await tree(dir), ["a/", "a/b.bin", "c.txt"]);
  });

  it("is idempotent: a laid-out directory is kept as the user's layout", async () => {
    const cases: [RuntimeLayout, Record<string, string>][] = [
      ["mlserver", { "model.joblib": "m" }],
      ["triton", { "model.onnx": "m" }],
      ["tensorflow-serving", { "saved_model.pb": "g" }],
      ["torchserve", { "x.mar": "a" }],
      ["huggingface", { "w/config.json": "{}" }],
    ];
    for (const [layout, files] of cases) {
      const dir = await modelDir(files);
      const format = layout === "triton" ? "onnx" : "sklearn";
      await layOut(dir, { layout, format, modelName: "m" });
      const once = await tree(dir);
      assert.equal((await layOut(dir, { layout, format, modelName: "m" })).kept, "user-layout", layout);
      assert.deepEqual(await tree(dir), once, layout);
    }
  });

  it("refuses an unknown layout and a model name that is not one path segment", async () => {
    const dir = await modelDir({ "model.onnx": "m" });
    await assertLayoutFailed(layOut(dir, { layout: "kserve" as RuntimeLayout, format: "onnx", modelName: "m" }),
      `unknown runtime layout kserve; expected one of: ${RUNTIME_LAYOUTS.join(", ")}`);
    await assertLayoutFailed(layOut(dir, { layout: "triton", format: "onnx", modelName: "../up" }),
      'model name "../up" cannot name a file in the model directory');
    assert.deepEqual(await tree(dir), ["model.onnx"]);
  });

});
