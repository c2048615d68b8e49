// Checks of every run's outputs, so a client that fails fast cannot look fast: the worker's
// manifest (printed on stdout) must count every row as succeeded, and the files of both clients
// must hold one prediction per row, the known ones for the model's own sample rows, and the
// same prediction for the same row (spot-checked on an even spread of rows).
import { readFile } from "node:fs/promises";
import type { BatchManifest } from "../../src/batch/manifest.ts";

/** The worker's manifest, as it prints it on success. */
export type WorkerManifest = BatchManifest;

/** The manifest the worker printed as its last stdout line; throws unless it succeeded with every row. */
export function checkManifest(stdout: string, rows: number): WorkerManifest {
  const last = stdout.trim().split("\n").pop() ?? "";
  let manifest: WorkerManifest;
  try {
    manifest = JSON.parse(last) as WorkerManifest;
  } catch {
    throw new Error(`mdo batch run printed no manifest; stdout ends with: ${stdout.slice(-300)}`);
  }
  if (manifest.status !== "succeeded" || manifest.rowsTotal !== rows || manifest.rowsSucceeded !== rows || manifest.rowsFailed !== 0) {
    throw new Error(`mdo batch run's manifest does not count ${rows} rows succeeded: ${last}`);
  }
  return manifest;
}

/** Every row's prediction in a part file (lines `{"row":…,"prediction":…}`, any order), as JSON text by row. */
export async function readPredictions(file: string, rows: number): Promise<string[]> {
  const predictions = new Array<string>(rows);
  let lines = 0;
  for (const line of (await readFile(file, "utf8")).split("\n")) {
    if (line === "") continue;
    const { row, prediction } = JSON.parse(line) as { row: number; prediction: unknown };
    predictions[row] = JSON.stringify(prediction);
    lines++;
  }
  const missing = predictions.findIndex((p) => p === undefined);
  if (lines !== rows || missing >= 0 || predictions.length !== rows) throw new Error(`${file}: ${lines} lines for ${rows} rows${missing >= 0 ? `, row ${missing} missing` : ""}`);
  return predictions;
}

export interface SpotCheck {
  readonly rowsCompared: number;
  readonly mismatches: number;
}

/** Compares the predictions at `count` evenly spread rows (and rows 0–4); throws on a mismatch. */
export function spotCheck(worker: readonly string[], direct: readonly string[], count: number): SpotCheck {
  const rows = new Set<number>([0, 1, 2, 3, 4].filter((r) => r < worker.length));
  for (let i = 0; i < count; i++) rows.add(Math.floor((i * worker.length) / count));
  const bad = [...rows].filter((r) => worker[r] !== direct[r]);
  if (bad.length > 0) throw new Error(`The worker and the direct client disagree on ${bad.length} of ${rows.size} rows, e.g. row ${bad[0]}: ${worker[bad[0]!]} against ${direct[bad[0]!]}`);
  return { rowsCompared: rows.size, mismatches: 0 };
}

/** Throws unless the first rows' predictions are the model's known ones (`served` of expected.json). */
export function checkKnown(predictions: readonly string[], served: readonly unknown[], who: string): void {
  served.forEach((want, row) => {
    if (predictions[row] !== JSON.stringify(want)) throw new Error(`${who}: row ${row} predicted ${predictions[row]}, the model says ${JSON.stringify(want)}`);
  });
}
