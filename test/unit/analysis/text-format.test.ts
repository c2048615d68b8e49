import { strict as assert } from "node:assert";
import { test } from "node:test";
import { AgentMetrics } from "../../../src/agent/metrics.ts";
import { isCumulative, parseExposition, sampleType, seriesKey } from "../../../src/analysis/agent/text-format.ts";
import { TextFormatError } from "../../../src/analysis/errors.ts";

test("parses samples, labels with escapes, special values and timestamps", () => {
  const text = [
    "# HELP x_total Things. With \\\\ and \\n in help",
    "# TYPE x_total counter",
    'x_total{route="infer",code="200"} 12',
    'x_total{route="a\\"b\\\\c\\nd",code="500",} 3 1700000000000',
    "# TYPE g gauge",
    "g 1.5e-3",
    "g_inf +Inf",
    "g_ninf -Inf",
    "g_nan NaN",
    "g_nan2 Nan",
    "  ",
    "# a comment",
    'h_bucket{le="+Inf"} 4',
  ].join("\n");
  const e = parseExposition(text);
  assert.equal(e.types.get("x_total"), "counter");
  assert.equal(e.types.get("g"), "gauge");
  assert.deepEqual(e.samples[0], { name: "x_total", labels: { route: "infer", code: "200" }, value: 12 });
  assert.deepEqual(e.samples[1]?.labels, { route: 'a"b\\c\nd', code: "500" });
  assert.equal(e.samples[1]?.value, 3);
  assert.equal(e.samples[2]?.value, 0.0015);
  assert.equal(e.samples[3]?.value, Number.POSITIVE_INFINITY);
  assert.equal(e.samples[4]?.value, Number.NEGATIVE_INFINITY);
  assert.ok(Number.isNaN(e.samples[5]?.value));
  assert.ok(Number.isNaN(e.samples[6]?.value));
  assert.deepEqual(e.samples[7]?.labels, { le: "+Inf" });
});

test("malformed lines fail with their line number", () => {
  const cases: [string, RegExp][] = [
    ["ok 1\n{x=\"1\"} 2", /line 2: expected a metric name/],
    ['x{a="1} 2', /line 1: unterminated value of label a/],
    ['x{a=1} 2', /line 1: expected =".*" after label a/],
    ['x{a="\\t"} 2', /invalid escape/],
    ['x{a="1" b="2"} 2', /expected , or \}/],
    ["x", /line 1: expected a value/],
    ["x one", /invalid sample value "one"/],
    ["x 1 2 3", /expected a value/],
    ["# TYPE x widget", /unknown metric type widget/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseExposition(text), (e: unknown) => e instanceof TextFormatError && message.test(e.message), text);
  }
});

test("sample types and cumulative series follow the family's TYPE", () => {
  const e = parseExposition([
    "# TYPE c_total counter", "# TYPE h histogram", "# TYPE s summary", "# TYPE g gauge", "# TYPE om counter",
  ].join("\n"));
  const cases: [string, Record<string, string>, string, boolean][] = [
    ["c_total", {}, "counter", true],
    ["h_bucket", { le: "1" }, "histogram", true],
    ["h_count", {}, "histogram", true],
    ["h_sum", {}, "histogram", true],
    ["s", { quantile: "0.5" }, "summary", false],
    ["s_count", {}, "summary", true],
    ["g", {}, "gauge", false],
    ["om_total", {}, "counter", true],
    ["unknown", {}, "untyped", false],
  ];
  for (const [name, labels, type, cumulative] of cases) {
    assert.equal(sampleType(e.types, name), type, name);
    assert.equal(isCumulative(e.types, { name, labels }), cumulative, name);
  }
  assert.equal(seriesKey({ name: "x", labels: { b: "2", a: "1" } }), seriesKey({ name: "x", labels: { a: "1", b: "2" } }));
});

test("parses what the agent's own registry writes", async () => {
  const metrics = new AgentMetrics({ model: "fraud", version: "v1", revision: "abc", processMetrics: true });
  metrics.requests.inc({ route: "infer", code: "200" }, 3);
  metrics.duration.observe({ route: "infer" }, 0.02);
  const e = parseExposition(await metrics.registry.metrics());
  const requests = e.samples.find((s) => s.name === "mdo_agent_requests_total");
  assert.deepEqual(requests, { name: "mdo_agent_requests_total", labels: { route: "infer", code: "200", model: "fraud", version: "v1", revision: "abc" }, value: 3 });
  assert.equal(sampleType(e.types, "mdo_agent_request_duration_seconds_bucket"), "histogram");
  assert.ok(e.samples.some((s) => s.name === "mdo_agent_process_start_time_seconds"));
});
