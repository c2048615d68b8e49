import { driftQueries } from "../../../src/analysis/prometheus/drift.ts";
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { builtinQueries } from "../../../src/analysis/prometheus/queries.ts";
import { escapeLabelValue, promDuration, renderQuery } from "../../../src/analysis/prometheus/template.ts";

const target = { namespace: "ml", name: "fraud", revision: "abc123", intervalMs: 60_000 };

test("label values are escaped for a double-quoted PromQL string", () => {
  const cases: [string, string][] = [
    ["plain", "plain"],
    ['a"b', 'a\\"b'],
    ["a\\b", "a\\\\b"],
    ["line\nbreak", "line\\nbreak"],
    ['x"} or vector(1) #', 'x\\"} or vector(1) #'],
    ["\\\"", '\\\\\\"'],
  ];
  for (const [input, want] of cases) assert.equal(escapeLabelValue(input), want, JSON.stringify(input));
});

test("intervals render as whole seconds, at least 1s", () => {
  const cases: [number, string][] = [[60_000, "60s"], [30_000, "30s"], [1500, "2s"], [10, "1s"], [3_600_000, "3600s"]];
  for (const [ms, want] of cases) assert.equal(promDuration(ms), want);
});

test("custom query templates: placeholders replaced, values escaped, unknown ones rejected", () => {
  const cases: { template: string; target?: typeof target; want?: string; error?: RegExp }[] = [
    {
      template: 'sum(rate(x{namespace="{{namespace}}",model="{{name}}",revision="{{revision}}"}[{{interval}}]))',
      want: 'sum(rate(x{namespace="ml",model="fraud",revision="abc123"}[60s]))',
    },
    { template: "{{ revision }}/{{revision}}", want: "abc123/abc123" },
    { template: 'x{revision="{{revision}}"}', target: { ...target, revision: 'r"} or up{a="' }, want: 'x{revision="r\\"} or up{a=\\""}' },
    { template: "no placeholders", want: "no placeholders" },
    { template: "{{stable}} and {{pod}}", error: /unknown placeholder \{\{stable\}\}, \{\{pod\}\}/ },
  ];
  for (const c of cases) {
    const rendered = renderQuery(c.template, c.target ?? target);
    if (c.error !== undefined) {
      assert.equal(rendered.ok, false, c.template);
      if (!rendered.ok) assert.match(rendered.message, c.error);
    } else {
      assert.deepEqual(rendered, { ok: true, query: c.want }, c.template);
    }
  }
});

test("built-in queries select the revision by namespace, model and revision, without health and metadata routes", () => {
  const q = builtinQueries({ ...target, namespace: 'n"s' });
  const selector = 'namespace="n\\"s",model="fraud",revision="abc123"';
  assert.equal(q.requests, `sum(increase(mdo_agent_requests_total{${selector},route!~"health|metadata"}[60s]))`);
  assert.equal(q.errors, `sum(increase(mdo_agent_requests_total{${selector},route!~"health|metadata",code=~"5.."}[60s]))`);
  assert.equal(q.latencyP99, `histogram_quantile(0.99, sum by (le) (rate(mdo_agent_request_duration_seconds_bucket{${selector},route!~"health|metadata"}[60s])))`);
  const d = driftQueries({ ...target, namespace: 'n"s' });
  assert.equal(d.pValues, `mdo_agent_drift_p_value{${selector}}`);
  assert.equal(d.psi, `mdo_agent_drift_psi{${selector}}`);
  assert.equal(d.windows, `mdo_agent_drift_window_samples{${selector}} and (mdo_agent_drift_available{${selector}} == 1)`);
});
