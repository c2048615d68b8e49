import assert from "node:assert/strict";
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ApiKeys } from "../../../src/agent/api-keys.ts";
import { KeyFile } from "../../../src/agent/key-file.ts";
import { createLogger } from "../../../src/runtime/logging.ts";

const logger = createLogger({ silent: true });
const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "mdo-keys-"));
  dirs.push(dir);
  return dir;
}

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Lays out a directory the way the kubelet mounts a Secret: key → ..data/key → ..<timestamp>/key. */
async function secretVolume(dir: string, key: string): Promise<(next: string) => Promise<void>> {
  let generation = 0;
  const writeGeneration = async (content: string): Promise<void> => {
    generation++;
    const data = join(dir, `..2026_01_0${generation}`);
    await mkdir(data);
    await writeFile(join(data, "api-key"), content);
    await symlink(`..2026_01_0${generation}`, join(dir, "..data_tmp"));
    await rename(join(dir, "..data_tmp"), join(dir, "..data"));
  };
  await writeGeneration(key);
  await symlink("..data/api-key", join(dir, "api-key"));
  return writeGeneration;
}

describe("KeyFile", () => {
  it("loads the keys at start", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "api-key"), "one\ntwo\n");
    const keys = new ApiKeys();
    const file = new KeyFile({ path: join(dir, "api-key"), keys, logger });
    await file.start();
    file.close();
    assert.equal(keys.count, 2);
    assert.equal(keys.verify("two"), true);
  });

  it("follows a Kubernetes-style symlink swap of the Secret volume", async () => {
    const dir = await tempDir();
    const rotate = await secretVolume(dir, "old-key");
    const keys = new ApiKeys();
    const file = new KeyFile({ path: join(dir, "api-key"), keys, logger, pollIntervalMs: 60_000 });
    await file.start();
    try {
      assert.equal(keys.verify("old-key"), true);
      await rotate("new-key\n");
      await eventually(() => keys.verify("new-key"));
      assert.equal(keys.verify("old-key"), false);
    } finally {
      file.close();
    }
  });

  it("notices a change by polling when no watch event arrives", async () => {
    const dir = await tempDir();
    const path = join(dir, "api-key");
    await writeFile(path, "first");
    const keys = new ApiKeys();
    // A long debounce stands in for a lost watch event: only the poll can see the change in time.
    const file = new KeyFile({ path, keys, logger, pollIntervalMs: 20, debounceMs: 60_000 });
    await file.start();
    try {
      await writeFile(path, "second-key-longer");
      await eventually(() => keys.verify("second-key-longer"));
    } finally {
      file.close();
    }
  });

  it("accepts nothing when the file is missing at start, and keeps loaded keys when it vanishes later", async () => {
    const dir = await tempDir();
    const path = join(dir, "api-key");
    const keys = new ApiKeys();
    const file = new KeyFile({ path, keys, logger, pollIntervalMs: 60_000 });
    await file.start();
    assert.equal(keys.count, 0);
    await writeFile(path, "k");
    await file.reload();
    assert.equal(keys.verify("k"), true);
    await rm(path);
    await file.reload();
    file.close();
    assert.equal(keys.verify("k"), true);
  });
});
