// The one digest MDO pins a model by (spec.model.digest, `mdo digest`, `mdo verify`).
//
//   - a file: sha256 of its bytes — what `sha256sum FILE` prints;
//   - a directory: the canonical tree digest, the sha256 of the lines
//     "<sha256 of the file>  <path relative to the directory>\n" for every regular file in it,
//     sorted by the path's UTF-8 bytes — what this prints (paths without newlines or backslashes):
//       (cd DIR && find . -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum
// Empty directories do not count; a symbolic link (or any other non-regular file) is an error,
// so a digest never depends on something outside the tree.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { DeliveryError, DeliveryFailureReasons as R } from "./errors.ts";

/** A digest as written in spec.model.digest: "sha256:" + 64 lower-case hex digits. */
export type ModelDigest = `sha256:${string}`;

export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

/** One file of a tree: its path relative to the root (POSIX separators) and its sha256 in hex. */
export interface TreeEntry {
  readonly path: string;
  readonly sha256: string;
}

/** The tree digest of `entries` (any order). Pure. */
export function treeDigest(entries: readonly TreeEntry[]): ModelDigest {
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const hash = createHash("sha256");
  for (const e of sorted) hash.update(`${e.sha256}  ${e.path}\n`);
  return `sha256:${hash.digest("hex")}`;
}

/** sha256 (hex) of a file's bytes. */
export async function sha256OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash, { signal });
  return hash.digest("hex");
}

/** Every regular file under `root` with its sha256, paths relative to root. Throws on symlinks. */
export async function treeEntries(root: string, signal?: AbortSignal): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const dirent of await readdir(join(root, relative), { withFileTypes: true })) {
      const path = relative === "" ? dirent.name : `${relative}/${dirent.name}`;
      if (dirent.isDirectory()) await walk(path);
      else if (dirent.isFile()) entries.push({ path, sha256: await sha256OfFile(join(root, path), signal) });
      else throw new DeliveryError(R.Failed, `${path} in ${root} is not a regular file or directory; a model digest covers regular files only`);
    }
  };
  await walk("");
  return entries;
}

/** The digest of a local file or directory, by the rule above. */
export async function digestOfPath(path: string, signal?: AbortSignal): Promise<ModelDigest> {
  const stat = await lstat(path).catch((error: unknown) => {
    throw new DeliveryError(R.NotFound, `${path} does not exist`, { cause: error });
  });
  if (stat.isFile()) return `sha256:${await sha256OfFile(path, signal)}`;
  if (stat.isDirectory()) return treeDigest(await treeEntries(path, signal));
  throw new DeliveryError(R.Failed, `${path} is neither a regular file nor a directory`);
}

/** Throws DeliveryError(DigestMismatch) naming both digests unless `actual` is `expected`. */
export function checkDigest(what: string, expected: string | undefined, actual: ModelDigest): void {
  if (expected === undefined || expected === actual) return;
  throw new DeliveryError(R.DigestMismatch, `${what} has digest ${actual}, but spec.model.digest is ${expected}`);
}
