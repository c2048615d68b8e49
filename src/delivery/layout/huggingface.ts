// Hugging Face model directories (vLLM 0.11: --model={{modelDir}}): the directory itself is the
// model and must hold config.json next to the weights and tokenizer files.
import { rename, rmdir } from "node:fs/promises";
import { join, posix } from "node:path";
import type { LayoutRequest, LayoutResult } from "./kinds.ts";
import { keptUserLayout } from "./kinds.ts";
import { describePaths, layoutFailed, listEntries, listFiles, moveEntries, scratchName } from "./tree.ts";

const CONFIG = "config.json";

/**
 * Keeps a tree with config.json at the root. When the root holds only one directory and that
 * directory has config.json (an archive that wraps the model in a folder), moves its entries up
 * to the root. Anything else is LayoutFailed. Nothing is written.
 */
export async function layOutHuggingface(dir: string, _request: LayoutRequest): Promise<LayoutResult> {
  const files = await listFiles(dir);
  if (files.includes(CONFIG)) return keptUserLayout();
  const entries = await listEntries(dir);
  const wrapper = entries.length === 1 ? entries[0] : undefined;
  if (wrapper === undefined || !files.includes(posix.join(wrapper, CONFIG))) {
    throw layoutFailed(`a Hugging Face model needs ${CONFIG} at the top of the model or of its single top-level directory; ` +
      `found: ${describePaths(files)}`);
  }
  // Renamed first, so the wrapper may contain an entry with its own name.
  const scratch = scratchName();
  await rename(join(dir, wrapper), join(dir, scratch));
  const moved = await moveEntries(join(dir, scratch), dir);
  await rmdir(join(dir, scratch));
  return { wrote: [], moved: moved.map((e) => `${posix.join(wrapper, e)} -> ${e}`), kept: undefined };
}
