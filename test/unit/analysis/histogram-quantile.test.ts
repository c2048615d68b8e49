import { strict as assert } from "node:assert";
import { test } from "node:test";
import { histogramQuantile, type Bucket } from "../../../src/analysis/histogram-quantile.ts";

const INF = Number.POSITIVE_INFINITY;
const b = (pairs: [number, number][]): Bucket[] => pairs.map(([le, count]) => ({ le, count }));

test("histogramQuantile interpolates linearly inside the bucket, as Prometheus does", () => {
  const cases: { name: string; q: number; buckets: Bucket[]; want: number }[] = [
    // 100 observations: 50 ≤ 0.1, 90 ≤ 0.5, 100 ≤ 1.
    { name: "median at a bucket edge", q: 0.5, buckets: b([[0.1, 50], [0.5, 90], [1, 100], [INF, 100]]), want: 0.1 },
    { name: "p75 inside the second bucket", q: 0.75, buckets: b([[0.1, 50], [0.5, 90], [1, 100], [INF, 100]]), want: 0.1 + 0.4 * (25 / 40) },
    { name: "p99 inside the third bucket", q: 0.99, buckets: b([[0.1, 50], [0.5, 90], [1, 100], [INF, 100]]), want: 0.5 + 0.5 * (9 / 10) },
    { name: "first bucket starts at 0", q: 0.25, buckets: b([[0.1, 50], [INF, 50]]), want: 0.025 },
    { name: "rank in +Inf gives the highest finite bound", q: 0.99, buckets: b([[0.1, 50], [0.5, 90], [INF, 100]]), want: 0.5 },
    { name: "unsorted input", q: 0.99, buckets: b([[INF, 100], [1, 100], [0.1, 50], [0.5, 90]]), want: 0.95 },
    { name: "non-monotonic counts are fixed up", q: 0.5, buckets: b([[0.1, 60], [0.5, 55], [INF, 100]]), want: 0.1 * (50 / 60) },
    { name: "non-positive first bound", q: 0.1, buckets: b([[0, 20], [1, 100], [INF, 100]]), want: 0 },
  ];
  for (const c of cases) assert.ok(Math.abs(histogramQuantile(c.q, c.buckets) - c.want) < 1e-12, `${c.name}: ${histogramQuantile(c.q, c.buckets)} != ${c.want}`);
});

test("histogramQuantile has no value without observations or a +Inf bucket", () => {
  assert.ok(Number.isNaN(histogramQuantile(0.99, b([[0.1, 0], [INF, 0]]))));
  assert.ok(Number.isNaN(histogramQuantile(0.99, b([[0.1, 5], [1, 10]]))));
  assert.ok(Number.isNaN(histogramQuantile(0.99, b([[INF, 10]]))));
  assert.ok(Number.isNaN(histogramQuantile(0.99, [])));
  assert.equal(histogramQuantile(-1, b([[1, 1], [INF, 1]])), Number.NEGATIVE_INFINITY);
  assert.equal(histogramQuantile(2, b([[1, 1], [INF, 1]])), INF);
});
