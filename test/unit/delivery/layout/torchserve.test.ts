import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { layOut } from "../../../../src/delivery/layout/index.ts";
import { assertLayoutFailed, modelDir, tree } from "./fixtures.ts";

const request = { layout: "torchserve", format: "pytorch", modelName: "densenet" } as const;

describe("torchserve layout", () => {
  it("moves the one archive to <name>.mar at the root", async () => {
    const dir = await modelDir({ "store/densenet161.mar": "a", "config.properties": "c" });
    const result = await layOut(dir, request);
    assert.deepEqual(result, { wrote: [], moved: ["store/densenet161.mar -> densenet.mar"], kept: undefined });
    assert.deepEqual(await tree(dir), ["config.properties", "densenet.mar", "store/"]);
    assert.equal(await readFile(join(dir, "densenet.mar"), "utf8"), "a");
  });

  it("keeps an archive already named <name>.mar at the root", async () => {
    const dir = await modelDir({ "densenet.mar": "a", "old/other.mar": "b" });
    const result = await layOut(dir, request);
    assert.deepEqual(result, { wrote: [], moved: [], kept: "user-layout" });
    assert.deepEqual(await tree(dir), ["densenet.mar", "old/", "old/other.mar"]);
  });

  it("fails without an archive", async () => {
    const dir = await modelDir({ "model.pt": "m", "handler.py": "h" });
    await assertLayoutFailed(layOut(dir, request),
      "torchserve needs one model archive (.mar), served as densenet.mar; found: handler.py, model.pt");
  });

  it("fails with several archives", async () => {
    const dir = await modelDir({ "a.mar": "a", "b.mar": "b" });
    await assertLayoutFailed(layOut(dir, request),
      "torchserve needs one model archive (.mar), served as densenet.mar; found 2: a.mar, b.mar");
    assert.deepEqual(await tree(dir), ["a.mar", "b.mar"]);
  });
});
