// The model the benchmark downloads, written once as random bytes: the same bytes as one file
// (`one/model.bin`) and split into N files (`many/part-0000.bin`…; sizes differ by at most one
// byte). Their digests come from src/delivery/digest.ts read back from disk, independently of how
// the files were written, in the form `mdo fetch` prints: sha256 of the file, the tree digest of
// the directory.
import { randomFillSync } from "node:crypto";
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { digestOfPath, type ModelDigest } from "../../src/delivery/digest.ts";

const CHUNK = 8 * 1024 * 1024;

export interface DataFile {
  /** Path relative to the case's root: the object key under its prefix. */
  readonly path: string;
  readonly bytes: number;
}

export interface DataCase {
  /** The local file (one-file case) or directory (many-files case). */
  readonly localPath: string;
  readonly files: readonly DataFile[];
  readonly bytes: number;
  /** What `mdo fetch` must print for this case. */
  readonly digest: ModelDigest;
}

export interface Dataset {
  readonly oneFile: DataCase;
  readonly manyFiles: DataCase;
}

/** Sizes of `count` files adding up to `total` bytes. Pure. */
export function splitSizes(total: number, count: number): number[] {
  const base = Math.floor(total / count);
  return Array.from({ length: count }, (_, i) => base + (i < total % count ? 1 : 0));
}

export async function writeDataset(dir: string, totalBytes: number, fileCount: number, signal: AbortSignal, onProgress: (bytes: number) => void): Promise<Dataset> {
  const oneDir = join(dir, "one");
  const manyDir = join(dir, "many");
  await mkdir(oneDir, { recursive: true });
  await mkdir(manyDir, { recursive: true });
  const sizes = splitSizes(totalBytes, fileCount);
  const width = Math.max(4, String(fileCount - 1).length);
  const parts: DataFile[] = sizes.map((bytes, i) => ({ path: `part-${String(i).padStart(width, "0")}.bin`, bytes }));
  const onePath = join(oneDir, "model.bin");
  const one = await open(onePath, "w");
  let part: FileHandle | undefined;
  try {
    let index = 0;
    let leftInPart = 0;
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (let written = 0; written < totalBytes;) {
      signal.throwIfAborted();
      const chunk = buffer.subarray(0, Math.min(CHUNK, totalBytes - written));
      randomFillSync(chunk);
      await one.write(chunk);
      for (let offset = 0; offset < chunk.length;) {
        if (leftInPart === 0) {
          await part?.close();
          part = await open(join(manyDir, parts[index]!.path), "w");
          leftInPart = parts[index]!.bytes;
          index++;
        }
        const n = Math.min(leftInPart, chunk.length - offset);
        await part!.write(chunk, offset, n);
        offset += n;
        leftInPart -= n;
      }
      written += chunk.length;
      onProgress(written);
    }
  } finally {
    await one.close();
    await part?.close();
  }
  const [oneDigest, manyDigest] = [await digestOfPath(onePath, signal), await digestOfPath(manyDir, signal)];
  return {
    oneFile: { localPath: onePath, files: [{ path: "model.bin", bytes: totalBytes }], bytes: totalBytes, digest: oneDigest },
    manyFiles: { localPath: manyDir, files: parts, bytes: totalBytes, digest: manyDigest },
  };
}
