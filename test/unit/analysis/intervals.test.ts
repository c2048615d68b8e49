import { strict as assert } from "node:assert";
import { test } from "node:test";
import { agentMetricValue, parseSelector } from "../../../src/analysis/agent/custom-metric.ts";
import { ScrapeMemory, podInterval, type PodScrape } from "../../../src/analysis/agent/intervals.ts";
import { parseExposition } from "../../../src/analysis/agent/text-format.ts";
import { intervalNote, trafficOf } from "../../../src/analysis/agent/traffic.ts";

/** A scrape in the agent's format: requests by code, latency buckets, optional start time. */
function scrape(pod: string, at: number, counts: { ok: number; err: number; health?: number; buckets?: [string, number][]; start?: number; inflight?: number }): PodScrape {
  const buckets = counts.buckets ?? [["0.01", counts.ok + counts.err], ["0.1", counts.ok + counts.err], ["+Inf", counts.ok + counts.err]];
  const lines = [
    "# TYPE mdo_agent_requests_total counter",
    `mdo_agent_requests_total{route="infer",code="200",revision="r"} ${counts.ok}`,
    `mdo_agent_requests_total{route="infer",code="503",revision="r"} ${counts.err}`,
    `mdo_agent_requests_total{route="health",code="500",revision="r"} ${counts.health ?? 0}`,
    "# TYPE mdo_agent_request_duration_seconds histogram",
    ...buckets.map(([le, n]) => `mdo_agent_request_duration_seconds_bucket{le="${le}",route="infer"} ${n}`),
    `mdo_agent_request_duration_seconds_count{route="infer"} ${counts.ok + counts.err}`,
    "# TYPE mdo_agent_requests_in_flight gauge",
    `mdo_agent_requests_in_flight ${counts.inflight ?? 0}`,
    ...(counts.start === undefined ? [] : ["# TYPE mdo_agent_process_start_time_seconds gauge", `mdo_agent_process_start_time_seconds ${counts.start}`]),
  ];
  return { pod, at, exposition: parseExposition(lines.join("\n")) };
}

test("podInterval: first scrape counts since start; later ones the delta; a decrease or a new start time is a restart", () => {
  const cases: { name: string; prev?: PodScrape; cur: PodScrape; requests: number; errors: number; sinceStart: boolean; reset: boolean }[] = [
    { name: "first scrape", cur: scrape("p", 10, { ok: 90, err: 10 }), requests: 100, errors: 10, sinceStart: true, reset: false },
    { name: "delta", prev: scrape("p", 0, { ok: 90, err: 10 }), cur: scrape("p", 60, { ok: 180, err: 20 }), requests: 100, errors: 10, sinceStart: false, reset: false },
    { name: "no traffic", prev: scrape("p", 0, { ok: 90, err: 10 }), cur: scrape("p", 60, { ok: 90, err: 10 }), requests: 0, errors: 0, sinceStart: false, reset: false },
    { name: "counter went down", prev: scrape("p", 0, { ok: 900, err: 10 }), cur: scrape("p", 60, { ok: 30, err: 12 }), requests: 42, errors: 12, sinceStart: false, reset: true },
    { name: "start time changed, counters higher", prev: scrape("p", 0, { ok: 5, err: 0, start: 100 }), cur: scrape("p", 60, { ok: 50, err: 1, start: 160 }), requests: 51, errors: 1, sinceStart: false, reset: true },
    { name: "start time unchanged", prev: scrape("p", 0, { ok: 5, err: 0, start: 100 }), cur: scrape("p", 60, { ok: 50, err: 1, start: 100 }), requests: 46, errors: 1, sinceStart: false, reset: false },
  ];
  for (const c of cases) {
    const interval = podInterval(c.prev, c.cur);
    const traffic = trafficOf([interval]);
    assert.deepEqual([traffic.requests, traffic.errors, interval.sinceStart, interval.reset], [c.requests, c.errors, c.sinceStart, c.reset], c.name);
  }
});

test("a series absent from the previous scrape counts from 0", () => {
  const prev = { pod: "p", at: 0, exposition: parseExposition("# TYPE mdo_agent_requests_total counter\nmdo_agent_requests_total{route=\"infer\",code=\"200\",revision=\"r\"} 10") };
  const cur = scrape("p", 60, { ok: 15, err: 4 });
  const t = trafficOf([podInterval(prev, cur)]);
  assert.deepEqual([t.requests, t.errors], [9, 4]);
  // The buckets were absent before: all 19 observations fall in this interval, all ≤ 10 ms.
  assert.ok(Math.abs((t.latencyP99Ms ?? 0) - 10 * (0.99 * 19) / 19) < 1e-9);
});

test("traffic sums pods, skips health and metadata routes, and takes p99 from the summed bucket deltas", () => {
  const a = podInterval(scrape("a", 0, { ok: 0, err: 0 }), scrape("a", 60, { ok: 100, err: 0, health: 50, buckets: [["0.01", 99], ["0.1", 100], ["+Inf", 100]] }));
  const b = podInterval(undefined, scrape("b", 60, { ok: 90, err: 10, buckets: [["0.01", 0], ["0.1", 100], ["+Inf", 100]] }));
  const t = trafficOf([a, b]);
  assert.equal(t.requests, 200);
  assert.equal(t.errors, 10);
  // 200 observations, rank 198: 99 ≤ 10 ms, 200 ≤ 100 ms → 10 + 90·(99/101) ms.
  assert.ok(Math.abs((t.latencyP99Ms ?? 0) - (10 + 90 * (99 / 101))) < 1e-9, String(t.latencyP99Ms));
  assert.equal(intervalNote([a, b]), "1 of 2 agents read for the first time: counted since they started");
  assert.equal(trafficOf([]).latencyP99Ms, undefined);
});

test("ScrapeMemory keeps the previous scrape per revision and pod, forgets gone pods and idle revisions", () => {
  const memory = new ScrapeMemory(1000);
  const first = memory.advance("ns/m/r", [scrape("a", 0, { ok: 10, err: 0 }), scrape("b", 0, { ok: 5, err: 0 })], ["a", "b"], 0);
  assert.deepEqual(first.map((i) => i.sinceStart), [true, true]);
  // b could not be scraped this time but is still located: its previous scrape stays.
  const second = memory.advance("ns/m/r", [scrape("a", 60, { ok: 30, err: 0 })], ["a", "b"], 60);
  assert.equal(trafficOf(second).requests, 20);
  const third = memory.advance("ns/m/r", [scrape("b", 120, { ok: 8, err: 0 })], ["b"], 120);
  assert.deepEqual([trafficOf(third).requests, third[0]?.sinceStart, third[0]?.elapsedMs], [3, false, 120]);
  const fourth = memory.advance("ns/m/r", [scrape("a", 180, { ok: 40, err: 0 })], ["a"], 180);
  assert.equal(fourth[0]?.sinceStart, true, "a was dropped when it was no longer located");
  memory.advance("ns/m/other", [], [], 190);
  assert.equal(memory.size, 2);
  memory.advance("ns/m/late", [], [], 1181);
  assert.equal(memory.size, 2, "ns/m/r (last seen at 180) was forgotten after 1000 ms");
});

test("custom agent metrics: selectors parse, counters are increases and gauges current values, summed over pods", () => {
  const a = podInterval(scrape("a", 0, { ok: 10, err: 1 }), scrape("a", 60, { ok: 20, err: 4, inflight: 2 }));
  const b = podInterval(undefined, scrape("b", 60, { ok: 5, err: 2, inflight: 3 }));
  const value = (query: string): number | string => {
    const selector = parseSelector(query);
    if (typeof selector === "string") return selector;
    const reading = agentMetricValue(selector, [a, b]);
    return reading.ok ? reading.value : reading.reason;
  };
  const cases: [string, number | string][] = [
    ["mdo_agent_requests_total", 10 + 3 + 7],
    ['mdo_agent_requests_total{code="503"}', 3 + 2],
    ['mdo_agent_requests_total{ code != "503" , route="infer" }', 10 + 5],
    ['mdo_agent_requests_total{code="418"}', 0],
    ["mdo_agent_requests_in_flight", 5],
    ['mdo_agent_requests_in_flight{x="y"}', "NoSamples"],
    ["mdo_agent_request_duration_seconds_count", 13 + 7],
    ["mdo_agent_request_duration_seconds", "InvalidQuery"],
    ["mdo_agent_cache_hits_total", "MetricNotFound"],
  ];
  for (const [query, want] of cases) assert.equal(value(query), want, query);
  for (const bad of ["rate(x[1m])", 'x{a=~"b"}', "x{a=b}", 'x{a="b"'] as const) assert.equal(typeof parseSelector(bad), "string", bad);
  assert.deepEqual(parseSelector('x{a="q\\"uote"}'), { name: "x", matchers: [{ label: "a", op: "=", value: 'q"uote' }] });
});
