import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { layOut } from "../../../../src/delivery/layout/index.ts";
import { assertLayoutFailed, modelDir, tree } from "./fixtures.ts";

const request = { layout: "huggingface", format: "huggingface", modelName: "llm" } as const;

describe("huggingface layout", () => {
  it("keeps a model with config.json at the root", async () => {
    const dir = await modelDir({ "config.json": "{}", "model.safetensors": "w", "tokenizer.json": "t" });
    const result = await layOut(dir, request);
    assert.deepEqual(result, { wrote: [], moved: [], kept: "user-layout" });
    assert.deepEqual(await tree(dir), ["config.json", "model.safetensors", "tokenizer.json"]);
  });

  it("moves the content of a single top-level directory up to the root", async () => {
    const dir = await modelDir({ "Qwen3-0.6B/config.json": "{}", "Qwen3-0.6B/model.safetensors": "w", "Qwen3-0.6B/Qwen3-0.6B/notes.md": "n" });
    const result = await layOut(dir, request);
    assert.deepEqual(result, {
      wrote: [],
      moved: ["Qwen3-0.6B/Qwen3-0.6B -> Qwen3-0.6B", "Qwen3-0.6B/config.json -> config.json", "Qwen3-0.6B/model.safetensors -> model.safetensors"],
      kept: undefined,
    });
    assert.deepEqual(await tree(dir), ["Qwen3-0.6B/", "Qwen3-0.6B/notes.md", "config.json", "model.safetensors"]);
  });

  it("fails when config.json is nested deeper or beside other top-level entries", async () => {
    const beside = await modelDir({ "model/config.json": "{}", "README.md": "r" });
    await assertLayoutFailed(layOut(beside, request),
      "a Hugging Face model needs config.json at the top of the model or of its single top-level directory; found: README.md, model/config.json");
    assert.deepEqual(await tree(beside), ["README.md", "model/", "model/config.json"]);
    const deep = await modelDir({ "a/b/config.json": "{}" });
    await assertLayoutFailed(layOut(deep, request),
      "a Hugging Face model needs config.json at the top of the model or of its single top-level directory; found: a/b/config.json");
  });

  it("fails without config.json", async () => {
    const dir = await modelDir({ "model.gguf": "g" });
    await assertLayoutFailed(layOut(dir, request),
      "a Hugging Face model needs config.json at the top of the model or of its single top-level directory; found: model.gguf");
  });
});
