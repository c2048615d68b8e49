// BufferedFile: what is appended reaches the file byte for byte, in order, whatever the sizes.
import { strict as assert } from "node:assert";
import { mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BufferedFile } from "../../../src/batch/buffered-file.ts";

test("small, multi-byte and larger-than-the-buffer texts arrive whole and in order", async () => {
  const dir = await mkdtemp(join(tmpdir(), "mdo-buffered-file-"));
  try {
    const path = join(dir, "out.txt");
    const file = new BufferedFile(await open(path, "w"), 64);
    const pieces = ["a", "", "ü€😀\n", "x".repeat(21), "y".repeat(22), "z".repeat(200), "é".repeat(30), "end"];
    for (const piece of pieces) await file.append(piece);
    await file.flush();
    await file.close();
    assert.equal(await readFile(path, "utf8"), pieces.join(""));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
