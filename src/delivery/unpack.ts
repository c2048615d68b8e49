// Extraction of archives into the staging directory: .tar, .tar.gz and .zip, never writing
// outside it (absolute paths and ".." are refused by the libraries' own checks, re-checked here).
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { DeliveryError, DeliveryFailureReasons as R } from "./errors.ts";
import type { Unpack } from "./store.ts";

/** The unpack kind a file name implies: .tar.gz/.tgz, .tar, .zip; "none" otherwise. Pure. */
export function unpackFor(name: string): Unpack {
  const lower = name.toLowerCase();
  if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) return "tar+gzip";
  if (lower.endsWith(".tar")) return "tar";
  if (lower.endsWith(".zip")) return "zip";
  return "none";
}

/** Extracts `archive` (named `name` in messages) into `dest`. Throws DeliveryError(ArchiveCorrupt). */
export async function unpackArchive(archive: string, kind: Exclude<Unpack, "none">, dest: string, name: string, signal: AbortSignal): Promise<void> {
  try {
    if (kind === "zip") await unzip(archive, dest, signal);
    else await untar(archive, dest, name);
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === "ENOSPC" || code === "EDQUOT") throw new DeliveryError(R.DiskFull, `the model volume is full while extracting ${name}`, { cause: error });
    throw new DeliveryError(R.ArchiveCorrupt, `${name} is not a readable ${kind} archive: ${(error as Error).message}`, { cause: error });
  }
}

async function untar(archive: string, dest: string, name: string): Promise<void> {
  // Loaded only for archives: most models are not, and the libraries cost ≈ 20 MB of memory.
  const tar = await import("tar");
  const refused: string[] = [];
  await tar.x({
    file: archive,
    cwd: dest,
    strict: true,
    preservePaths: false,
    // Owners and modes of the archive's author do not apply in the pod; files stay readable.
    preserveOwner: false,
    noChmod: true,
    // Only files and directories: links could point outside the model directory.
    filter: (path, entry) => {
      const type = "type" in entry ? entry.type : "File";
      const ok = type === "File" || type === "OldFile" || type === "Directory" || type === "ContiguousFile";
      if (!ok) refused.push(`${path} (${type})`);
      return ok;
    },
    onwarn: (_code, message) => refused.push(message),
  });
  if (refused.length > 0) throw new DeliveryError(R.ArchiveCorrupt, `${name} has entries that cannot be extracted safely: ${refused.slice(0, 3).join(", ")}`);
}

async function unzip(archive: string, dest: string, signal: AbortSignal): Promise<void> {
  const { default: yauzl } = await import("yauzl");
  const zip = await yauzl.openPromise(archive, { strictFileNames: true, validateEntrySizes: true, autoClose: false });
  try {
    for await (const entry of zip.eachEntry()) {
      signal.throwIfAborted();
      const target = resolve(dest, entry.fileName);
      if (target !== dest && !target.startsWith(dest + sep)) throw new DeliveryError(R.ArchiveCorrupt, `zip entry ${entry.fileName} would land outside the model directory`);
      if (entry.fileName.endsWith("/")) {
        await mkdir(target, { recursive: true });
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(target), { signal });
    }
  } finally {
    zip.close();
  }
}
