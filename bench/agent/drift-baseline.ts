// The drift baseline of the drift-on agent: 20 numeric features profiled with the project's own
// buildBaseline from synthetic rows drawn like the request bodies (so the traffic does not drift).
import { writeFile } from "node:fs/promises";
import { buildBaseline } from "../../src/drift/index.ts";
import { FEATURE_NAMES, featureRows } from "./synthetic.ts";

const ROWS = 5000;

/** Writes the baseline profile as JSON to `path`. */
export async function writeBaseline(path: string): Promise<void> {
  const baseline = buildBaseline(featureRows(ROWS, 1), { columns: FEATURE_NAMES, bins: 10 });
  await writeFile(path, `${JSON.stringify(baseline)}\n`);
}
