// MLServer (1.7.1): `mlserver start <modelDir>` loads every model-settings.json below the
// directory (a recursive glob). A relative `parameters.uri` resolves against the folder of the
// model-settings.json that names it; a `name` missing from the file comes from the catalog's
// MLSERVER_MODEL_NAME. Source: SeldonIO/MLServer 1.7.1, mlserver/repository/repository.py,
// mlserver/repository/load.py, mlserver/utils.py (get_model_uri, to_absolute_path).
import { writeFile } from "node:fs/promises";
import { join, posix } from "node:path";
import type { ModelFormat } from "../../api/model.ts";
import type { LayoutRequest, LayoutResult } from "./kinds.ts";
import { keptUserLayout } from "./kinds.ts";
import { describePaths, hasExtension, layoutFailed, listFiles, parentOf, pickOne } from "./tree.ts";

export const MODEL_SETTINGS = "model-settings.json";

/** An MLflow model is the directory holding this file. */
const MLFLOW_MODEL_FILE = "MLmodel";

interface Implementation {
  implementation: string;
  /** Extensions of the one model file; undefined: the model is the directory of an MLmodel file. */
  extensions?: readonly string[];
}

/**
 * The inference runtime and model file per format. The extensions cover the runtimes' well-known
 * names (mlserver_sklearn: model.joblib/.pickle/.pkl; mlserver_xgboost: model.bst/.json/.ubj;
 * mlserver_lightgbm: model.bst) and any other name with those extensions; lightgbm also takes
 * .txt, the text format LightGBM's save_model writes, which its Booster loads under any name.
 */
const IMPLEMENTATIONS: ReadonlyMap<ModelFormat, Implementation> = new Map<ModelFormat, Implementation>([
  ["sklearn", { implementation: "mlserver_sklearn.SKLearnModel", extensions: [".joblib", ".pkl", ".pickle"] }],
  ["xgboost", { implementation: "mlserver_xgboost.XGBoostModel", extensions: [".json", ".ubj", ".bst"] }],
  ["lightgbm", { implementation: "mlserver_lightgbm.LightGBMModel", extensions: [".bst", ".txt"] }],
  ["mlflow", { implementation: "mlserver_mlflow.MLflowRuntime" }],
]);

/**
 * Keeps a tree that has a model-settings.json anywhere (MLServer finds it). Otherwise writes
 * one at the root: `name` = the model name, the format's implementation, `parameters.uri` = the
 * one model file (or the MLflow model's directory) as "./<path>", and `parameters.version` when
 * the request has a version. Files are not moved. Formats without a built-in implementation
 * (custom, onnx, …) need the user's model-settings.json.
 */
export async function layOutMlserver(dir: string, request: LayoutRequest): Promise<LayoutResult> {
  const files = await listFiles(dir);
  if (files.some((f) => posix.basename(f) === MODEL_SETTINGS)) return keptUserLayout();

  const chosen = IMPLEMENTATIONS.get(request.format);
  if (chosen === undefined) {
    throw layoutFailed(`format ${request.format} on mlserver needs a ${MODEL_SETTINGS} naming its implementation ` +
      `(MLServer has no built-in one for it); found: ${describePaths(files)}`);
  }
  const uri = chosen.extensions === undefined ? mlflowModelDir(files) : modelFile(files, request.format, chosen.extensions);
  const settings = {
    name: request.modelName,
    implementation: chosen.implementation,
    parameters: { uri, ...(request.modelVersion === undefined ? {} : { version: request.modelVersion }) },
  };
  await writeFile(join(dir, MODEL_SETTINGS), `${JSON.stringify(settings, null, 2)}\n`, { flag: "wx" });
  return { wrote: [MODEL_SETTINGS], moved: [], kept: undefined };
}

function modelFile(files: readonly string[], format: ModelFormat, extensions: readonly string[]): string {
  const file = pickOne(files, (f) => hasExtension(f, extensions), `format ${format} needs one model file (${extensions.join(", ")})`);
  return `./${file}`;
}

function mlflowModelDir(files: readonly string[]): string {
  const file = pickOne(files, (f) => posix.basename(f) === MLFLOW_MODEL_FILE, `format mlflow needs one MLflow model (a directory with an ${MLFLOW_MODEL_FILE} file)`);
  const parent = parentOf(file);
  return parent === "" ? "." : `./${parent}`;
}
