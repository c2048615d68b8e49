// Which `mdo batch run` was measured: the repository's commit, and a digest of src/batch/ as it
// was on disk (the worker is run from source, so uncommitted edits count).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

export interface SourceState {
  readonly commit: string;
  /** Files of src/batch/ that differ from the commit or are new (git status --porcelain). */
  readonly srcBatchChanges: readonly string[];
  /** sha256 over src/batch/'s files (name and content, sorted by name). */
  readonly srcBatchSha256: string;
}

export function sourceState(): SourceState {
  const git = (args: string[]): string => {
    try {
      return execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trimEnd();
    } catch {
      return "";
    }
  };
  const dir = join(ROOT, "src/batch");
  const hash = createHash("sha256");
  for (const name of readdirSync(dir).sort()) {
    hash.update(name);
    hash.update(readFileSync(join(dir, name)));
  }
  return {
    commit: git(["rev-parse", "HEAD"]),
    srcBatchChanges: git(["status", "--porcelain", "--", "src/batch"]).split("\n").filter((l) => l !== ""),
    srcBatchSha256: hash.digest("hex"),
  };
}
