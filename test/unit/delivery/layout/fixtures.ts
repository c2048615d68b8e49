// Temp model directories for the layout tests: build a tree from a path → content map and read
// back the exact tree (files, and directories with a trailing "/") after the layout.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix, relative } from "node:path";
import { after } from "node:test";
import { DeliveryError, DeliveryFailureReasons } from "../../../../src/delivery/errors.ts";

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A fresh model directory holding `files` (relative POSIX paths → contents); "x/" makes an empty directory. */
export async function modelDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "mdo-layout-"));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    if (path.endsWith("/")) {
      await mkdir(join(dir, path), { recursive: true });
      continue;
    }
    await mkdir(join(dir, posix.dirname(path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** Every entry under `dir`, sorted: files as paths, directories as paths with a trailing "/". */
export async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .map((e) => {
      const path = posix.join(relative(dir, e.parentPath), e.name);
      return e.isDirectory() ? `${path}/` : path;
    })
    .sort();
}

export async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, "utf8")) as unknown;
}

/** Asserts `promise` rejects with DeliveryError(LayoutFailed) whose message equals `message`. */
export async function assertLayoutFailed(promise: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DeliveryError, `expected a DeliveryError, got ${String(error)}`);
    assert.equal(error.reason, DeliveryFailureReasons.LayoutFailed);
    assert.equal(error.message, message);
    assert.equal(error.retryable, false);
    return true;
  });
}
