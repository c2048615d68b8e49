// Micro-benchmark of the agent's per-request drift work: `DriftMonitor.observe` for one row of
// 20 features; a parsed v2 body → FeatureExtractor → observe; and the same from the body's bytes
// (JSON.parse included, as the agent pays it only when drift is on). Prints nanoseconds per call.
//
//   npx node bench/drift-observe.ts [iterations]
//
// Windows of 1000 rows close during the run, so the cost of computing reports is included.
import { FeatureExtractor } from "../src/agent/features.ts";
import { buildBaseline } from "../src/drift/build-baseline.ts";
import type { FeatureValue } from "../src/drift/feature-vector.ts";
import { DriftMonitor } from "../src/drift/window.ts";
import { realClock } from "../src/runtime/clock.ts";

const FEATURES = 20;
const ROWS = 4096;
const iterations = Number(process.argv[2] ?? 1_000_000);

/** Deterministic uniform numbers in [0, 1) (xorshift32), so every run bins the same values. */
function uniform(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Reference rows: `categorical` of the 20 columns are categories, the rest numbers. */
function table(categorical: number, seed: number): (number | string)[][] {
  const next = uniform(seed);
  return Array.from({ length: ROWS }, () =>
    Array.from({ length: FEATURES }, (_, j) => (j < FEATURES - categorical ? next() * (j + 1) : `c${Math.floor(next() * 12)}`)),
  );
}

/** Runs `run` `iterations` times per round, 5 rounds after a warm-up; prints the median and best round. */
function measure(label: string, run: (i: number) => void): void {
  for (let i = 0; i < 200_000; i++) run(i); // warm-up: let the JIT optimise
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) run(i);
    rounds.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  rounds.sort((a, b) => a - b);
  console.log(`${label.padEnd(66)} median ${rounds[2]!.toFixed(1).padStart(7)} ns/call, best ${rounds[0]!.toFixed(1).padStart(7)}`);
}

const columns = Array.from({ length: FEATURES }, (_, j) => `f${j}`);
console.log(`node ${process.version}, 5 rounds of ${iterations} calls each, ${FEATURES} features, windows of 1000 rows`);
for (const categorical of [0, 4]) {
  const baseline = buildBaseline(table(categorical, 1), { columns, bins: 10 });
  const rows: FeatureValue[][] = table(categorical, 2);
  const monitor = new DriftMonitor(baseline, { maxSamples: 1000, maxAgeMs: 30_000, clock: realClock });
  const kinds = `${FEATURES - categorical} numeric + ${categorical} categorical`;
  measure(`observe(row)                [${kinds}]`, (i) => monitor.observe(rows[i % ROWS]!));

  const extractor = new FeatureExtractor(baseline.features);
  const bodies = rows.slice(0, 256).map((row) => ({ inputs: [{ name: "input-0", shape: [1, FEATURES], datatype: "FP64", data: row }] }));
  measure(`extract v2 body + observe   [${kinds}]`, (i) => {
    for (const row of extractor.rows(bodies[i % bodies.length])) monitor.observe(row);
  });
  const texts = bodies.map((body) => Buffer.from(JSON.stringify(body)));
  measure(`parse + extract + observe   [${kinds}, ${texts[0]!.length} B]`, (i) => {
    for (const row of extractor.rowsFromText(texts[i % texts.length]!, "v2")) monitor.observe(row);
  });
}
