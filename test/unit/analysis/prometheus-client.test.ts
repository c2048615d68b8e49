import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { PrometheusClient, type VectorMode } from "../../../src/analysis/prometheus/client.ts";
import { startStub, type Stub, type StubAnswer } from "./stub-server.ts";

const vector = (...values: string[]): string => JSON.stringify({
  status: "success", data: { resultType: "vector", result: values.map((v, i) => ({ metric: { pod: `p${i}` }, value: [1700000000.1, v] })) },
});
const ANSWERS: Record<string, StubAnswer> = {
  one: { body: vector("0.995") },
  empty: { body: vector() },
  two: { body: vector("1", "2") },
  nan: { body: vector("NaN") },
  inf: { body: vector("+Inf") },
  scalar: { body: JSON.stringify({ status: "success", data: { resultType: "scalar", result: [1, "42"] } }) },
  matrix: { body: JSON.stringify({ status: "success", data: { resultType: "matrix", result: [] } }) },
  bad: { status: 400, body: JSON.stringify({ status: "error", errorType: "bad_data", error: "parse error at char 5" }) },
  down: { status: 503, body: "Service Unavailable" },
  odd: { body: JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ value: "x" }] } }) },
  slow: { body: vector("1"), delayMs: 2000 },
};

let stub: Stub;
before(async () => {
  stub = await startStub((req) => ANSWERS[new URLSearchParams(req.body).get("query") ?? ""] ?? { status: 404, body: "{}" });
});
after(() => stub.close());

test("instant queries: values, empty vectors, NaN, several series, errors and timeouts become readings", async () => {
  const client = new PrometheusClient({ url: `${stub.url}/`, timeoutMs: 500 });
  const cases: [string, VectorMode, number | string][] = [
    ["one", "one", 0.995],
    ["empty", "one", "NoSamples"],
    ["empty", "sum", 0],
    ["two", "one", "AmbiguousResult"],
    ["two", "sum", 3],
    ["nan", "one", "NoSamples"],
    ["inf", "one", "NoSamples"],
    ["scalar", "one", 42],
    ["matrix", "one", "InvalidQuery"],
    ["bad", "one", "InvalidQuery"],
    ["down", "one", "MetricsUnavailable"],
    ["odd", "one", "MetricsUnavailable"],
    ["slow", "one", "MetricsUnavailable"],
  ];
  for (const [query, mode, want] of cases) {
    const reading = await client.query(query, mode);
    assert.equal(reading.ok ? reading.value : reading.reason, want, `${query} (${mode})`);
  }
  const slow = await client.query("slow");
  assert.match(slow.ok ? "" : slow.message, /no answer within 500 ms/);
  const bad = await client.query("bad");
  assert.match(bad.ok ? "" : bad.message, /bad_data.*parse error at char 5/);
  assert.equal(stub.requests[0]?.method, "POST");
  assert.equal(stub.requests[0]?.path, "/api/v1/query");
});

test("an answer larger than maxBytes is cut off: MetricsUnavailable", async () => {
  const client = new PrometheusClient({ url: stub.url, timeoutMs: 1000, maxBytes: 64 });
  const reading = await client.query("two");
  assert.deepEqual(reading.ok ? [] : [reading.reason, /answer larger than 64 bytes/.test(reading.message)], ["MetricsUnavailable", true]);
});

test("an unreachable Prometheus is MetricsUnavailable", async () => {
  const client = new PrometheusClient({ url: "http://127.0.0.1:1", timeoutMs: 1000 });
  const reading = await client.query("up");
  assert.equal(reading.ok ? "" : reading.reason, "MetricsUnavailable");
});
