// `npm run bench:drift`: false alarms and power of drift rules (docs/drift.md). A baseline of
// 10 000 rows of 20 features is profiled with `mdo baseline build`'s function; live windows of
// 100, 1000 and 10 000 rows per pod, from 1 and 5 pods, are drawn from it (no drift) or with
// feature 0 drifted; every rule judges the same windows. A fresh baseline for every repetition, so
// the baseline's own sampling error is in the numbers. Also measures the agent's per-row drift cost.
//
// Prints progress on stderr, the tables on stdout, writes bench/results/drift-<date>.json.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createProgress } from "../agent/progress.ts";
import { describeBaseMachine } from "../common/machine.ts";
import { measureRowCost, type RowCost } from "./row-cost.ts";
import { drawCounts, xoshiro128 } from "./random.ts";
import { RULES } from "./rules.ts";
import { categoricalCumulative, drawBaselines, FEATURES, numericCumulative, SCENARIOS, BASELINE_ROWS } from "./scenarios.ts";
import { renderTables, verdicts, type Cell } from "./report.ts";

export const WINDOW_ROWS = [100, 1000, 10_000] as const;
export const POD_COUNTS = [1, 5] as const;
const MAX_PODS = 5;

const USAGE = `Usage: npm run bench:drift -- [--windows N] [--seed S] [--out FILE]

  --windows N   repetitions: windows judged per scenario, window size and pod count (default 500)
  --seed S      random seed (default 1)
  --out FILE    results JSON (default bench/results/drift-<date>.json)`;

function parse(argv: string[]): { windows: number; seed: number; out: string | undefined } | undefined {
  const { values } = parseArgs({ args: argv, strict: true, options: { windows: { type: "string" }, seed: { type: "string" }, out: { type: "string" }, help: { type: "boolean" } } });
  if (values.help === true) return undefined;
  const windows = Number(values.windows ?? 500);
  const seed = Number(values.seed ?? 1);
  if (!Number.isInteger(windows) || windows < 10 || windows > 100_000) throw new RangeError(`--windows must be an integer from 10 to 100000, got ${values.windows}`);
  if (!Number.isInteger(seed)) throw new RangeError(`--seed must be an integer, got ${values.seed}`);
  return { windows, seed, out: values.out };
}

/** Alarms per rule, scenario, window size and pod count. */
function simulate(windows: number, seed: number, progress: (m: string) => void): Cell[] {
  const next = xoshiro128(seed);
  const alarms = new Map<string, number>();
  const key = (rule: number, scenario: number, rows: number, pods: number): string => `${rule}|${scenario}|${rows}|${pods}`;
  const started = performance.now();
  let reported = started;
  for (let rep = 0; rep < windows; rep++) {
    const baselines = drawBaselines(next);
    const nullCumulative = baselines.numeric.features.map((f) => (f.kind === "numeric" ? numericCumulative(f, 0, 1) : new Float64Array([1])));
    for (const rows of WINDOW_ROWS) {
      // Features 1–19: no drift, the same draws for every scenario.
      const pods = Array.from({ length: MAX_PODS }, () => {
        const counts: Float64Array[] = [new Float64Array(0)];
        for (let f = 1; f < FEATURES; f++) {
          const out = new Float64Array(nullCumulative[f]!.length);
          drawCounts(next, nullCumulative[f]!, rows, out);
          counts.push(out);
        }
        return counts;
      });
      SCENARIOS.forEach((scenario, s) => {
        const baseline = scenario.kind === "numeric" ? baselines.numeric : baselines.categorical;
        const f0 = baseline.features[0]!;
        const cumulative = scenario.kind === "numeric"
          ? numericCumulative(f0 as Extract<typeof f0, { kind: "numeric" }>, scenario.shift, scenario.scale)
          : categoricalCumulative(f0 as Extract<typeof f0, { kind: "categorical" }>, scenario.shares);
        const withFeature0 = pods.map((counts) => {
          const out = new Float64Array(cumulative.length);
          drawCounts(next, cumulative, rows, out);
          return [out, ...counts.slice(1)];
        });
        for (const podCount of POD_COUNTS) {
          const windowSet = { counts: withFeature0.slice(0, podCount), rows };
          RULES.forEach((rule, r) => {
            if (rule.alarms(windowSet, baseline)) alarms.set(key(r, s, rows, podCount), (alarms.get(key(r, s, rows, podCount)) ?? 0) + 1);
          });
        }
      });
    }
    const now = performance.now();
    if (now - reported > 15_000 || rep + 1 === windows) {
      reported = now;
      const perRep = (now - started) / (rep + 1);
      progress(`${rep + 1} of ${windows} repetitions; about ${Math.ceil((perRep * (windows - rep - 1)) / 1000)} s left`);
    }
  }
  const cells: Cell[] = [];
  RULES.forEach((rule, r) => SCENARIOS.forEach((scenario, s) => {
    for (const rows of WINDOW_ROWS) for (const pods of POD_COUNTS) cells.push({ rule: rule.short, scenario: scenario.name, rows, pods, windows, alarms: alarms.get(key(r, s, rows, pods)) ?? 0 });
  }));
  return cells;
}

async function main(argv: string[]): Promise<number> {
  const options = parse(argv);
  if (options === undefined) {
    console.log(USAGE);
    return 0;
  }
  const progress = createProgress();
  progress(`Planned: ${options.windows} repetitions × ${SCENARIOS.length} scenarios × windows of ${WINDOW_ROWS.join("/")} rows × ${POD_COUNTS.join(" and ")} pods, ${RULES.length} rules; a fresh ${BASELINE_ROWS}-row baseline per repetition`);
  const started = performance.now();
  const cells = simulate(options.windows, options.seed, progress);
  progress("Measuring the agent's per-row drift cost…");
  const rowCost: RowCost = measureRowCost();
  const outcome = verdicts(cells, options.windows);
  console.log(renderTables(cells, RULES, rowCost, outcome));
  const date = new Date().toISOString().slice(0, 10);
  const out = options.out ?? resolve(import.meta.dirname, `../results/drift-${date}.json`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify({
    date: new Date().toISOString(), command: "npm run bench:drift", durationSeconds: Math.round((performance.now() - started) / 1000),
    machine: describeBaseMachine(), options, baselineRows: BASELINE_ROWS, features: FEATURES,
    rules: RULES.map((r) => ({ short: r.short, name: r.name })), scenarios: SCENARIOS, cells, rowCost, verdicts: outcome,
  }, null, 2)}\n`);
  progress(`Wrote ${out}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
