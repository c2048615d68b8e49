// Custom checks with provider `agent`: `query` is an agent metric name with optional equality
// matchers, `name` or `name{label="value",label!="value"}`. The value is:
//   - cumulative series (counters; a histogram's _count, _sum, _bucket): the increase over the
//     interval, summed over the matching series of all pods (events in the interval);
//   - gauges (and untyped): the current value, summed over the matching series of all pods.
import { NO_DATA_REASONS } from "../reasons.ts";
import { unavailable, type Reading } from "../provider.ts";
import type { PodInterval } from "./intervals.ts";
import { isCumulative, sampleType, type Sample } from "./text-format.ts";

export interface LabelMatcher {
  readonly label: string;
  readonly op: "=" | "!=";
  readonly value: string;
}

export interface MetricSelector {
  readonly name: string;
  readonly matchers: readonly LabelMatcher[];
}

const SELECTOR = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(.*)\})?\s*$/s;
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/s;

/** Parses `query`; a string message (not a throw) when it is not a selector. */
export function parseSelector(query: string): MetricSelector | string {
  const match = SELECTOR.exec(query);
  if (match === null) return `agent metric query ${JSON.stringify(query)} is not name or name{label="value",…}`;
  const matchers: LabelMatcher[] = [];
  let rest = match[2] ?? "";
  while (rest.trim() !== "") {
    const m = MATCHER.exec(rest);
    if (m === null) return `agent metric query ${JSON.stringify(query)}: expected label="value" or label!="value" at ${JSON.stringify(rest.trim())}`;
    matchers.push({ label: m[1]!, op: m[2] as "=" | "!=", value: m[3]!.replace(/\\(.)/gs, (_, c: string) => (c === "n" ? "\n" : c)) });
    rest = rest.slice(m[0].length);
  }
  return { name: match[1]!, matchers };
}

function matches(selector: MetricSelector, sample: Sample): boolean {
  if (sample.name !== selector.name) return false;
  return selector.matchers.every((m) => ((sample.labels[m.label] ?? "") === m.value) === (m.op === "="));
}

/** The value of `selector` over `pods` (see the file comment for what is summed). */
export function agentMetricValue(selector: MetricSelector, pods: readonly PodInterval[]): Reading<number> {
  const declared = pods.find((p) => p.current.types.has(selector.name) || sampleType(p.current.types, selector.name) !== "untyped"
    || p.current.samples.some((s) => s.name === selector.name));
  if (declared === undefined) {
    return unavailable(NO_DATA_REASONS.metricNotFound, `no agent of the revision exports ${selector.name}`);
  }
  // The family name of a histogram or summary has no samples of its own.
  const type = declared.current.types.get(selector.name);
  if (type === "histogram" || type === "summary") {
    return unavailable(NO_DATA_REASONS.invalidQuery, `${selector.name} is a ${type}: name one of its series (_count, _sum or _bucket{le="…"})`);
  }
  const cumulative = isCumulative(declared.current.types, { name: selector.name, labels: {} });
  let sum = 0;
  let found = 0;
  for (const pod of pods) {
    for (const s of cumulative ? pod.increases : pod.current.samples) {
      if (!matches(selector, s)) continue;
      sum += s.value;
      found++;
    }
  }
  // A labelled counter without series has not counted anything yet: 0 events. A gauge without
  // series has no value.
  if (found === 0 && !cumulative) return unavailable(NO_DATA_REASONS.noSamples, `no series of ${selector.name} matches the query`);
  if (!Number.isFinite(sum)) return unavailable(NO_DATA_REASONS.noSamples, `${selector.name} is ${sum}`);
  return { ok: true, value: sum, note: cumulative ? `increase of ${found} series over the interval` : `sum of ${found} series` };
}
