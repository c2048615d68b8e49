// TensorFlow Serving (2.19): --model_base_path={{modelDir}} is scanned for children whose names
// parse as numbers; each is a version holding a SavedModel (saved_model.pb or .pbtxt, plus
// variables/ when the model has variables), and the highest is served. Other children are
// skipped. Source: tensorflow/serving tensorflow_serving/sources/storage_path/
// file_system_storage_path_source.cc (ParseVersionNumber, IndexChildrenByVersion).
import { join, posix } from "node:path";
import { rename } from "node:fs/promises";
import type { LayoutRequest, LayoutResult } from "./kinds.ts";
import { keptUserLayout } from "./kinds.ts";
import { listFiles, listSubdirectories, moveEntries, parentOf, pickOne, scratchName } from "./tree.ts";

/** The version directory MDO creates; spec.model.version is a label (v7), not a TF Serving version. */
export const TF_SERVING_VERSION = "1";
const VERSION_DIR = /^[0-9]+$/;
const SAVED_MODEL_FILES = ["saved_model.pb", "saved_model.pbtxt"];

/**
 * Keeps a tree with a top-level numeric directory (the user's versions). Otherwise moves the one
 * SavedModel to `1/`: its directory is renamed (files elsewhere stay, TF Serving skips them), or,
 * for a SavedModel at the root, every top-level entry moves into `1/`. Nothing is written.
 */
export async function layOutTensorflowServing(dir: string, request: LayoutRequest): Promise<LayoutResult> {
  if ((await listSubdirectories(dir)).some((d) => VERSION_DIR.test(d))) return keptUserLayout();
  const files = await listFiles(dir);
  const savedModel = pickOne(files, (f) => SAVED_MODEL_FILES.includes(posix.basename(f)),
    `format ${request.format} on tensorflow-serving needs one SavedModel (a directory with ${SAVED_MODEL_FILES.join(" or ")})`);
  const source = parentOf(savedModel);
  if (source !== "") {
    await rename(join(dir, source), join(dir, TF_SERVING_VERSION));
    return { wrote: [], moved: [`${source} -> ${TF_SERVING_VERSION}`], kept: undefined };
  }
  const scratch = scratchName();
  const entries = await moveEntries(dir, join(dir, scratch), new Set([scratch]));
  await rename(join(dir, scratch), join(dir, TF_SERVING_VERSION));
  return { wrote: [], moved: entries.map((e) => `${e} -> ${posix.join(TF_SERVING_VERSION, e)}`), kept: undefined };
}
