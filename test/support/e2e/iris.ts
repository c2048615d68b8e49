// The iris data and model variants of the end-to-end tests, all from the MLServer test
// environment (scripts/mlserver-env): the training data as CSV, its drift baseline built by the
// project's own `mdo baseline build`, deterministic request rows, and a model that fails every
// real request.
import { execFile } from "node:child_process";
import { chmod, cp, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { load } from "js-yaml";
import { runBaselineCommand } from "../../../src/cli/baseline.ts";
import { BASELINE_KEY } from "../../../src/cli/baseline-configmap.ts";
import { parseBaseline, type Baseline } from "../../../src/drift/index.ts";
import type { RunningMlserver } from "../mlserver.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

export interface IrisData {
  /** The CSV file (header sepal_length,sepal_width,petal_length,petal_width). */
  readonly csv: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly number[])[];
}

/** Writes the iris training data to `<dir>/iris.csv` with the environment's scikit-learn. */
export async function writeIrisCsv(envDir: string, dir: string): Promise<IrisData> {
  const csv = join(dir, "iris.csv");
  await run(join(envDir, "bin/python"), [join(HERE, "iris_csv.py"), "--out", csv], { timeout: 60_000 });
  const [header = "", ...lines] = (await readFile(csv, "utf8")).trim().split("\n");
  return { csv, columns: header.split(","), rows: lines.map((l) => l.split(",").map(Number)) };
}

/**
 * `mdo baseline build <csv> --configmap --name <name>`: the ConfigMap manifest (YAML, no
 * namespace) and the profile it holds. Fails with the command's stderr unless it exits 0.
 */
export async function baselineConfigMap(data: IrisData, name: string): Promise<{ yaml: string; baseline: Baseline }> {
  let yaml = "";
  let stderr = "";
  const code = await runBaselineCommand(["build", data.csv, "--configmap", "--name", name], {
    readFile: (path) => readFile(path, "utf8"),
    writeFile: (path, text) => writeFile(path, text),
    stdout: (text) => { yaml += text; },
    stderr: (text) => { stderr += text; },
  });
  if (code !== 0) throw new Error(`mdo baseline build exited ${code}: ${stderr}`);
  const manifest = load(yaml) as { data: Record<string, string> };
  return { yaml, baseline: parseBaseline(manifest.data[BASELINE_KEY] ?? "") };
}

/**
 * Rows of `data` in a fixed order that visits every row once per 150 requests (stride 7, coprime
 * with 150): any 100 consecutive rows spread over the whole distribution, so a healthy 100-row
 * drift window stays close to the baseline (PSI about 0.04). `transform` changes each row.
 */
export function cyclingRows(data: IrisData, transform: (row: number[]) => number[] = (r) => r): () => number[] {
  let i = 0;
  const n = data.rows.length;
  return () => transform([...data.rows[(i++ * 7) % n]!]);
}

/** A copy of `row` with feature `index` moved by `delta`. */
export const shifted = (index: number, delta: number) => (row: number[]): number[] => row.map((v, j) => (j === index ? v + delta : v));

/**
 * Replaces the served model with the same pipeline trained on the first `features` iris features
 * (retrain_iris.py) and reloads it: MLServer stays ready. With fewer than four features every
 * request with four answers 500 (scikit-learn rejects the feature count); with four and a small
 * `strength` (LogisticRegression's C) it is a weaker model that answers some rows differently.
 */
export async function serveModelExpecting(mlserver: RunningMlserver, features: number, strength = 1): Promise<void> {
  await run(join(mlserver.envDir, "bin/python"), [join(HERE, "retrain_iris.py"), "--model-dir", join(mlserver.dir, mlserver.modelName), "--features", String(features), "--strength", String(strength)], { timeout: 120_000 });
  await mlserver.unloadModel();
  await mlserver.loadModel();
  await mlserver.waitReady(60_000);
}

/**
 * A copy of the model directory `from` at `to` with the model retrained at `strength`
 * (retrain_iris.py, all four features): a genuinely different model that accepts the same inputs.
 */
export async function weakerModelCopy(envDir: string, from: string, to: string, strength: number): Promise<void> {
  await cp(from, to, { recursive: true });
  await run(join(envDir, "bin/python"), [join(HERE, "retrain_iris.py"), "--model-dir", to, "--features", "4", "--strength", String(strength)], { timeout: 120_000 });
  await chmod(to, 0o755);
}

/** On how many of `rows` the models in two directories predict the same class, computed offline (agreement_iris.py). */
export async function offlineAgreement(envDir: string, a: string, b: string, rows: number[][]): Promise<{ rows: number; agreeing: number }> {
  const child = run(join(envDir, "bin/python"), [join(HERE, "agreement_iris.py"), a, b], { timeout: 120_000 });
  child.child.stdin?.end(JSON.stringify(rows));
  const { stdout } = await child;
  return JSON.parse(stdout) as { rows: number; agreeing: number };
}
