// Prints the tables of a results file again, recomputing the report from its runs (after a
// change to the report, say, or to paste a run into docs/benchmarks.md).
//
//   node bench/agent/render.ts bench/results/agent-<date>.json
import { readFileSync } from "node:fs";
import type { RunResult } from "./measure.ts";
import { buildReport } from "./report.ts";
import { conditionsTable, reportTables } from "./table.ts";

const file = process.argv[2];
if (file === undefined) throw new Error("Usage: node bench/agent/render.ts <results.json>");
const results = JSON.parse(readFileSync(file, "utf8")) as { command: string; date: string; runs: RunResult[] };
console.log(`${results.command} (${results.date})\n`);
console.log(`${reportTables(buildReport(results.runs))}\n\nRun conditions:\n\n${conditionsTable(results.runs)}`);
