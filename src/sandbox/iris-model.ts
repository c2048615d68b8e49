// A small real model for the sandbox and the real-node tests: scikit-learn's iris classifier,
// trained in seconds by scripts/train_iris.py in the pinned MLServer virtualenv
// (scripts/mlserver-env), laid out as MLServer loads it, and the objects that put it on the real
// node: a hostPath PersistentVolume pre-bound to a claim, so the ModelDeployment names it pvc://.
import { execFile } from "node:child_process";
import { chmod, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SandboxError } from "./errors.ts";

const run = promisify(execFile);
const ENV_SCRIPT = fileURLToPath(new URL("../../scripts/mlserver-env", import.meta.url));
const TRAIN_SCRIPT = fileURLToPath(new URL("../../scripts/train_iris.py", import.meta.url));

/** What the trained model answers for a few rows, computed in-process at training time. */
export interface IrisExpected {
  /** Feature rows (sepal length, sepal width, petal length, petal width, in cm). */
  rows: number[][];
  /** The data set's labels for those rows (0 setosa, 1 versicolor, 2 virginica). */
  labels: number[];
  /** The model's own `predict` on those rows. */
  predictions: number[];
  /** The model's `predict_proba`, rounded to 6 decimals. */
  probabilities: number[][];
  classNames: string[];
  featureNames: string[];
  /** What MLServer's runtime for the flavour answers for `rows`: classes, or lightgbm's probabilities (6 decimals). */
  served: number[] | number[][];
}

export interface TrainedModel {
  /** Directory that holds `<path>/<model file>` (and, for sklearn, `<path>/model-settings.json`). */
  root: string;
  /** The model's directory inside root: the part after the claim in pvc://<claim>/<path>. */
  path: string;
  expected: IrisExpected;
}

/**
 * The pinned MLServer virtualenv's directory (built by scripts/mlserver-env on first use, about
 * a minute; then instant). Its progress goes to this process's stderr.
 */
export async function mlserverEnvDir(): Promise<string> {
  try {
    const { stdout } = await run("bash", [ENV_SCRIPT], { timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 });
    const dir = stdout.trim().split("\n").pop();
    if (dir === undefined || dir === "") throw new SandboxError("scripts/mlserver-env printed no directory");
    return dir;
  } catch (error) {
    throw new SandboxError("scripts/mlserver-env failed (Python 3.11 or 3.12 with venv and PyPI are needed)", { cause: error });
  }
}

/** Which library's model to train (see scripts/train_iris.py); sklearn by default. */
export type IrisFlavor = "sklearn" | "xgboost" | "lightgbm";

/**
 * Trains the iris classifier into `root/<name>` with model name `name` (the ModelDeployment's
 * name: MLServer serves it under /v2/models/<name>). Directories are opened (0755) so the pod's
 * non-root user can read them. With `settings: false` no model-settings.json is written (the
 * fetcher's layout step writes one); xgboost and lightgbm never get one. With `latencyMs` (tests
 * only) MLServer serves it through a custom runtime whose every inference takes that long
 * (test/support/slow_sklearn.py, copied next to the model).
 */
export async function trainIrisModel(root: string, name: string, options: { flavor?: IrisFlavor; settings?: boolean; latencyMs?: number } = {}): Promise<TrainedModel> {
  const envDir = await mlserverEnvDir();
  await mkdir(root, { recursive: true });
  const flags = [
    "--flavor", options.flavor ?? "sklearn", ...(options.settings === false ? ["--no-settings"] : []),
    ...(options.latencyMs === undefined ? [] : ["--latency-ms", String(options.latencyMs)]),
  ];
  try {
    await run(join(envDir, "bin/python"), [TRAIN_SCRIPT, "--out", root, "--name", name, ...flags], { timeout: 120_000 });
  } catch (error) {
    throw new SandboxError(`Training the iris model into ${root} failed`, { cause: error });
  }
  await chmod(root, 0o755);
  await chmod(join(root, name), 0o755);
  const expected = JSON.parse(await readFile(join(root, name, "expected.json"), "utf8")) as IrisExpected;
  return { root, path: name, expected };
}

/**
 * A PersistentVolume on `node`'s host directory `hostDir`, pre-bound to claim `namespace/claim`,
 * and that claim (read-only, no storage class: nothing provisions). Pure.
 */
export function hostPathClaimObjects(options: { namespace: string; claim: string; volume: string; hostDir: string; node: string }): object[] {
  const { namespace, claim, volume, hostDir, node } = options;
  return [
    {
      apiVersion: "v1", kind: "PersistentVolume", metadata: { name: volume },
      spec: {
        capacity: { storage: "1Gi" }, accessModes: ["ReadOnlyMany"], persistentVolumeReclaimPolicy: "Retain",
        storageClassName: "", hostPath: { path: hostDir, type: "Directory" },
        claimRef: { namespace, name: claim },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [node] }] }] } },
      },
    },
    {
      apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: claim, namespace },
      spec: { accessModes: ["ReadOnlyMany"], storageClassName: "", volumeName: volume, resources: { requests: { storage: "1Gi" } } },
    },
  ];
}

/** A V2 (Open Inference Protocol) request body for feature rows: one FP64 tensor [rows, features]. */
export function v2InferenceBody(rows: number[][]): { inputs: { name: string; shape: number[]; datatype: string; data: number[] }[] } {
  return { inputs: [{ name: "input-0", shape: [rows.length, rows[0]?.length ?? 0], datatype: "FP64", data: rows.flat() }] };
}
