// Triton (25.10): --model-repository={{modelDir}} holds one directory per model, named as the
// model, with numeric version directories (no leading zeros) and an optional config.pbtxt.
// Without a config, Triton recognises the backend from the file name in the version directory
// (model.onnx, model.plan, model.savedmodel/, model.pt) and auto-completes the rest, except for
// PyTorch: its backend skips auto-complete and refuses a config without inputs. Sources:
// triton-inference-server/core r25.10 src/model_config_utils.cc (AutoCompleteBackendFields),
// src/model_repository_manager/model_lifecycle.cc (VersionsToLoad); pytorch_backend r25.10
// src/libtorch.cc (AutoCompleteConfig, ValidateInputs).
import { lstat, mkdir, rename } from "node:fs/promises";
import { join, posix } from "node:path";
import type { ModelFormat } from "../../api/model.ts";
import type { LayoutRequest, LayoutResult } from "./kinds.ts";
import { keptUserLayout } from "./kinds.ts";
import { describePaths, hasExtension, layoutFailed, listFiles, listSubdirectories, moveEntries, parentOf, pickOne, scratchName } from "./tree.ts";

export const TRITON_CONFIG = "config.pbtxt";
/** The version directory MDO creates; spec.model.version is a label (v7), not a Triton version. */
export const TRITON_VERSION = "1";
const VERSION_DIR = /^(0|[1-9][0-9]*)$/;
const SAVED_MODEL_FILES = ["saved_model.pb", "saved_model.pbtxt"];

interface TritonModel {
  /** The name Triton looks for in the version directory. */
  target: string;
  /** Extensions of the one model file; undefined: a TensorFlow SavedModel directory. */
  extensions?: readonly string[];
  /** True when the model cannot load without the user's config.pbtxt. */
  needsConfig?: boolean;
}

const MODELS: ReadonlyMap<ModelFormat, TritonModel> = new Map<ModelFormat, TritonModel>([
  ["onnx", { target: "model.onnx", extensions: [".onnx"] }],
  ["tensorrt", { target: "model.plan", extensions: [".plan", ".engine"] }],
  ["pytorch", { target: "model.pt", extensions: [".pt"], needsConfig: true }],
  ["tensorflow", { target: "model.savedmodel" }],
]);

/**
 * Keeps a tree that already is a model repository (a top-level directory with a config.pbtxt
 * or a numeric version directory); it must then hold a model named `modelName`, the name the
 * server is probed with. Otherwise builds `<modelName>/1/` from the one model file of the format
 * (renamed to Triton's default name) or the one SavedModel directory (as model.savedmodel/),
 * moves every other top-level entry beside it (ONNX external data keeps its relative path) and
 * a top-level config.pbtxt to `<modelName>/config.pbtxt`. Nothing is written: ONNX, TensorRT
 * and TensorFlow models get an auto-completed config; PyTorch needs the user's config.pbtxt.
 */
export async function layOutTriton(dir: string, request: LayoutRequest): Promise<LayoutResult> {
  const repositoryModels = await modelDirectories(dir);
  if (repositoryModels.length > 0) {
    if (repositoryModels.includes(request.modelName)) return keptUserLayout();
    throw layoutFailed(`the Triton model repository holds ${describePaths(repositoryModels)} but no model ${request.modelName}, ` +
      "the name the server is started and probed with");
  }
  const files = await listFiles(dir);
  const model = MODELS.get(request.format);
  if (model === undefined) {
    throw layoutFailed(`format ${request.format} on triton needs a model repository (${request.modelName}/${TRITON_CONFIG}, ` +
      `${request.modelName}/${TRITON_VERSION}/…); found: ${describePaths(files)}`);
  }
  const hasConfig = files.includes(TRITON_CONFIG);
  if (model.needsConfig === true && !hasConfig) {
    throw layoutFailed(`format ${request.format} on triton needs a ${TRITON_CONFIG} declaring the model's inputs and outputs ` +
      `(Triton cannot infer them); found: ${describePaths(files)}`);
  }
  const { extensions } = model;
  const source = extensions === undefined
    ? savedModelDirectory(files)
    : pickOne(files, (f) => hasExtension(f, extensions), `format ${request.format} needs one model file (${extensions.join(", ")})`);
  return build(dir, request.modelName, model.target, source, hasConfig);
}

/** Top-level directories that look like Triton models (a config.pbtxt or a version directory). */
async function modelDirectories(dir: string): Promise<string[]> {
  const models: string[] = [];
  for (const name of await listSubdirectories(dir)) {
    const versions = (await listSubdirectories(join(dir, name))).filter((d) => VERSION_DIR.test(d));
    if (versions.length > 0 || (await isFile(join(dir, name, TRITON_CONFIG)))) models.push(name);
  }
  return models;
}

function savedModelDirectory(files: readonly string[]): string {
  const file = pickOne(files, (f) => SAVED_MODEL_FILES.includes(posix.basename(f)),
    `format tensorflow needs one SavedModel (a directory with ${SAVED_MODEL_FILES.join(" or ")})`);
  return parentOf(file);
}

/**
 * Moves the top-level entries into a scratch directory that becomes `<name>/1` (or, for a
 * SavedModel at the root, `<name>/1/model.savedmodel`), renames the model `source` to `target`
 * inside it, then moves config.pbtxt. Scratch and model names never collide (dot prefix).
 */
async function build(dir: string, name: string, target: string, source: string, hasConfig: boolean): Promise<LayoutResult> {
  const version = posix.join(name, TRITON_VERSION);
  const scratch = scratchName();
  const entries = await moveEntries(dir, join(dir, scratch), new Set([scratch, TRITON_CONFIG]));
  const moved: string[] = [];
  await mkdir(join(dir, name));
  if (source === "") {
    await mkdir(join(dir, version));
    await rename(join(dir, scratch), join(dir, version, target));
    moved.push(...entries.map((e) => `${e} -> ${posix.join(version, target, e)}`));
  } else {
    if (source !== target) await rename(join(dir, scratch, source), join(dir, scratch, target));
    await rename(join(dir, scratch), join(dir, version));
    moved.push(`${source} -> ${posix.join(version, target)}`);
    moved.push(...entries.filter((e) => e !== source).map((e) => `${e} -> ${posix.join(version, e)}`));
  }
  if (hasConfig) {
    await rename(join(dir, TRITON_CONFIG), join(dir, name, TRITON_CONFIG));
    moved.push(`${TRITON_CONFIG} -> ${posix.join(name, TRITON_CONFIG)}`);
  }
  return { wrote: [], moved, kept: undefined };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
