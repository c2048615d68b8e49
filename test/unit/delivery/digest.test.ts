import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { checkDigest, digestOfPath, treeDigest } from "../../../src/delivery/digest.ts";
import { DeliveryError } from "../../../src/delivery/errors.ts";

describe("model digests", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "mdo-digest-test-"));
    await mkdir(join(dir, "tree/sub/deeper"), { recursive: true });
    await mkdir(join(dir, "tree/empty"));
    await writeFile(join(dir, "tree/model.joblib"), Buffer.from([0, 1, 2, 3, 255]));
    await writeFile(join(dir, "tree/model-settings.json"), '{"name":"iris"}\n');
    await writeFile(join(dir, "tree/sub/deeper/weights.bin"), "w".repeat(70_000));
    await writeFile(join(dir, "tree/Z-upper.txt"), "sorted by bytes: Z before a\n");
    await writeFile(join(dir, "tree/ünïcode.txt"), "utf-8 path\n");
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("of a file is what sha256sum prints", async () => {
    const file = join(dir, "tree/sub/deeper/weights.bin");
    const expected = execFileSync("sha256sum", [file], { encoding: "utf8" }).split(" ")[0];
    assert.equal(await digestOfPath(file), `sha256:${expected}`);
  });

  it("of a directory is what the documented shell pipeline prints", async () => {
    const shell = "(cd \"$1\" && find . -type f -printf '%P\\0' | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum";
    const expected = execFileSync("bash", ["-c", shell, "bash", join(dir, "tree")], { encoding: "utf8" }).split(" ")[0];
    assert.equal(await digestOfPath(join(dir, "tree")), `sha256:${expected}`);
  });

  it("does not depend on the order entries are given in, and changes with any byte or name", () => {
    const a = { path: "a", sha256: "1".repeat(64) };
    const b = { path: "b/c", sha256: "2".repeat(64) };
    assert.equal(treeDigest([a, b]), treeDigest([b, a]));
    assert.notEqual(treeDigest([a, b]), treeDigest([a, { ...b, sha256: "3".repeat(64) }]));
    assert.notEqual(treeDigest([a, b]), treeDigest([a, { ...b, path: "b/d" }]));
  });

  it("refuses a tree with a symbolic link, and a path that does not exist", async () => {
    await mkdir(join(dir, "linked"));
    await symlink("/etc/hostname", join(dir, "linked/outside"));
    await assert.rejects(digestOfPath(join(dir, "linked")), (e) => e instanceof DeliveryError && /not a regular file/.test(e.message));
    await assert.rejects(digestOfPath(join(dir, "missing")), (e) => e instanceof DeliveryError && e.reason === "ModelNotFound");
  });

  it("checkDigest names both digests on a mismatch and passes without a pin", () => {
    const actual = `sha256:${"a".repeat(64)}` as const;
    checkDigest("s3://b/k", undefined, actual);
    checkDigest("s3://b/k", actual, actual);
    assert.throws(() => checkDigest("s3://b/k", `sha256:${"b".repeat(64)}`, actual), (e) =>
      e instanceof DeliveryError && e.reason === "ModelDigestMismatch" && e.message.includes("a".repeat(64)) && e.message.includes("b".repeat(64)));
  });
});
