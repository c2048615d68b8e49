// The agent's drift cost per request row: DriftMonitor.observe for a row of 20 numeric features
// (windows of 1000 rows close during the run, so computing their reports is included), against
// JSON.parse of that row's v2 request body measured in the same run — what the agent pays anyway.
import { buildBaseline } from "../../src/drift/build-baseline.ts";
import { DriftMonitor } from "../../src/drift/window.ts";
import { realClock } from "../../src/runtime/clock.ts";
import { normal, xoshiro128 } from "./random.ts";

export interface RowCost {
  readonly features: number;
  /** Median of 5 rounds, nanoseconds per row. */
  readonly observeNs: number;
  readonly jsonParseNs: number;
  /** observeNs / jsonParseNs. */
  readonly ratio: number;
  readonly rounds: number;
  readonly callsPerRound: number;
}

function median(run: (i: number) => void, calls: number): number {
  for (let i = 0; i < calls; i++) run(i); // warm-up
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) run(i);
    rounds.push(Number(process.hrtime.bigint() - start) / calls);
  }
  return rounds.sort((a, b) => a - b)[2]!;
}

export function measureRowCost(features = 20, calls = 200_000): RowCost {
  const gauss = normal(xoshiro128(7));
  const columns = Array.from({ length: features }, (_, j) => `f${j}`);
  const rows = Array.from({ length: 4096 }, () => Array.from({ length: features }, () => gauss()));
  const monitor = new DriftMonitor(buildBaseline(rows, { columns }), { maxSamples: 1000, maxAgeMs: 60_000, clock: realClock });
  const bodies = rows.slice(0, 256).map((row) => JSON.stringify({ inputs: [{ name: "input-0", shape: [1, features], datatype: "FP64", data: row }] }));
  let sink = 0;
  const observeNs = median((i) => monitor.observe(rows[i % rows.length]!), calls);
  const jsonParseNs = median((i) => (sink += (JSON.parse(bodies[i % bodies.length]!) as { inputs: unknown[] }).inputs.length), calls);
  if (sink < 0) throw new Error("unreachable");
  return { features, observeNs, jsonParseNs, ratio: observeNs / jsonParseNs, rounds: 5, callsPerRound: calls };
}
