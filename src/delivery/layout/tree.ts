// File-tree helpers shared by the layouts: listing, picking the one model file, moving entries
// within the model directory, and the LayoutFailed error with its "expected …; found: …" message.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { DeliveryError, DeliveryFailureReasons } from "../errors.ts";

/** How many paths a message names before it says "and N more" (termination messages are short). */
const MESSAGE_PATHS = 8;

/** A DeliveryError with reason LayoutFailed; `message` says what was expected and what was found. */
export function layoutFailed(message: string): DeliveryError {
  return new DeliveryError(DeliveryFailureReasons.LayoutFailed, message);
}

/** "a, b, c and 4 more", or "no files" for an empty list. */
export function describePaths(paths: readonly string[]): string {
  if (paths.length === 0) return "no files";
  const named = paths.slice(0, MESSAGE_PATHS).join(", ");
  return paths.length > MESSAGE_PATHS ? `${named} and ${paths.length - MESSAGE_PATHS} more` : named;
}

/**
 * Every regular file under `dir`, as sorted relative POSIX paths. Symbolic links are neither
 * listed nor followed: a layout only ever looks at what the fetcher wrote.
 */
export async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      const path = relative === "" ? entry.name : posix.join(relative, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  await walk("");
  return files.sort();
}

/** The names of `dir`'s direct subdirectories (not following links), sorted. */
export async function listSubdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** The names of `dir`'s direct entries, sorted. */
export async function listEntries(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/**
 * The one path of `files` that `matches`, or LayoutFailed with "`expected`; found: …" naming the
 * matches when there are several, else every file (so the user sees what did arrive).
 */
export function pickOne(files: readonly string[], matches: (path: string) => boolean, expected: string): string {
  const candidates = files.filter(matches);
  if (candidates.length === 1 && candidates[0] !== undefined) return candidates[0];
  const found = candidates.length > 1 ? `found ${candidates.length}: ${describePaths(candidates)}` : `found: ${describePaths(files)}`;
  throw layoutFailed(`${expected}; ${found}`);
}

/** True when `path`'s last segment ends with one of `extensions` (".onnx"), ignoring case. */
export function hasExtension(path: string, extensions: readonly string[]): boolean {
  const name = posix.basename(path).toLowerCase();
  return extensions.some((extension) => name.endsWith(extension) && name.length > extension.length);
}

/** The directory of a relative path, "" for the root. */
export function parentOf(path: string): string {
  const parent = posix.dirname(path);
  return parent === "." ? "" : parent;
}

/**
 * A name for a scratch entry directly in `dir`: dot-prefixed, so it never collides with a model
 * name (a DNS label) nor, in practice, with a fetched file.
 */
export function scratchName(): string {
  return `.mdo-layout-${randomBytes(6).toString("hex")}`;
}

/**
 * Moves every entry of `from` except `skip` into `to` (created when missing), keeping names.
 * Both are inside the model directory, so each move is a rename on one file system.
 * Returns the names moved.
 */
export async function moveEntries(from: string, to: string, skip: ReadonlySet<string> = new Set()): Promise<string[]> {
  await mkdir(to, { recursive: true });
  const moved: string[] = [];
  for (const name of await listEntries(from)) {
    if (skip.has(name)) continue;
    await rename(join(from, name), join(to, name));
    moved.push(name);
  }
  return moved;
}

/** Renames `from` to `to` (paths relative to `dir`), creating `to`'s parent; returns "from -> to". */
export async function move(dir: string, from: string, to: string): Promise<string> {
  await mkdir(dirname(join(dir, to)), { recursive: true });
  await rename(join(dir, from), join(dir, to));
  return `${from} -> ${to}`;
}
