// A parser for the Prometheus text exposition format 0.0.4, as prom-client writes it: `# TYPE`
// lines, samples `name{label="value",…} value [timestamp]`, label values with \\, \" and \n
// escapes, values as floats, +Inf, -Inf or NaN (any case). `# HELP` and other comments are skipped.
// (No npm parser is a dependency: the one on the registry is unmaintained, and this is small.)
import { TextFormatError } from "../errors.ts";

export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  /** Family name → type, from `# TYPE` lines. */
  readonly types: ReadonlyMap<string, MetricType>;
  readonly samples: readonly Sample[];
}

const TYPES = new Set<string>(["counter", "gauge", "histogram", "summary", "untyped"]);
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Parses a whole exposition. Throws TextFormatError on the first malformed line. */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, MetricType>();
  const samples: Sample[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      const type = /^#\s+TYPE\s+(\S+)\s+(\S+)$/.exec(line);
      if (type !== null) {
        if (!TYPES.has(type[2]!)) throw new TextFormatError(`unknown metric type ${type[2]}`, i + 1);
        types.set(type[1]!, type[2] as MetricType);
      }
      continue;
    }
    samples.push(parseSample(line, i + 1));
  }
  return { types, samples };
}

function parseSample(line: string, lineNo: number): Sample {
  const name = NAME.exec(line)?.[0];
  if (name === undefined) throw new TextFormatError(`expected a metric name in ${JSON.stringify(line)}`, lineNo);
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith("{")) {
    rest = parseLabels(rest.slice(1), labels, lineNo);
  }
  const fields = rest.trim().split(/\s+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === "") {
    throw new TextFormatError(`expected a value (and an optional timestamp) after ${name}`, lineNo);
  }
  return { name, labels, value: parseValue(fields[0]!, lineNo) };
}

/** Reads `label="value",…}` into `labels`; returns the text after the closing brace. */
function parseLabels(text: string, labels: Record<string, string>, lineNo: number): string {
  let rest = text;
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith("}")) return rest.slice(1);
    const label = LABEL_NAME.exec(rest)?.[0];
    if (label === undefined) throw new TextFormatError("expected a label name", lineNo);
    rest = rest.slice(label.length).trimStart();
    if (!rest.startsWith('="')) throw new TextFormatError(`expected ="…" after label ${label}`, lineNo);
    let value = "";
    let i = 2;
    for (; i < rest.length && rest[i] !== '"'; i++) {
      if (rest[i] === "\\") {
        const next = rest[++i];
        if (next === "n") value += "\n";
        else if (next === "\\" || next === '"') value += next;
        else throw new TextFormatError(`invalid escape \\${next ?? ""} in label ${label}`, lineNo);
      } else {
        value += rest[i];
      }
    }
    if (i >= rest.length) throw new TextFormatError(`unterminated value of label ${label}`, lineNo);
    labels[label] = value;
    rest = rest.slice(i + 1).trimStart();
    if (rest.startsWith(",")) rest = rest.slice(1);
    else if (!rest.startsWith("}")) throw new TextFormatError(`expected , or } after label ${label}`, lineNo);
  }
}

/** Values as Go's ParseFloat reads them: special values in any case (prom-client writes "Nan"). */
function parseValue(text: string, lineNo: number): number {
  const lower = text.toLowerCase();
  if (lower === "+inf" || lower === "inf" || lower === "+infinity" || lower === "infinity") return Number.POSITIVE_INFINITY;
  if (lower === "-inf" || lower === "-infinity") return Number.NEGATIVE_INFINITY;
  if (lower === "nan") return Number.NaN;
  const value = Number(text);
  if (text === "" || Number.isNaN(value)) throw new TextFormatError(`invalid sample value ${JSON.stringify(text)}`, lineNo);
  return value;
}

/**
 * The type of the family a sample belongs to: its own name's `# TYPE`, or that of the name
 * without a histogram/summary suffix (_bucket, _count, _sum) or without `_total` (OpenMetrics
 * style). "untyped" when none is declared.
 */
export function sampleType(types: ReadonlyMap<string, MetricType>, sampleName: string): MetricType {
  const own = types.get(sampleName);
  if (own !== undefined) return own;
  const suffix = /^(.*)_(bucket|count|sum|total)$/.exec(sampleName);
  return (suffix === null ? undefined : types.get(suffix[1]!)) ?? "untyped";
}

/**
 * True for samples that only grow while the process lives: counters, and the _bucket, _count
 * and _sum series of histograms and summaries (a summary's quantile series are not).
 */
export function isCumulative(types: ReadonlyMap<string, MetricType>, sample: Pick<Sample, "name" | "labels">): boolean {
  const type = sampleType(types, sample.name);
  if (type === "counter") return true;
  if (type === "histogram") return /_(bucket|count|sum)$/.test(sample.name);
  if (type === "summary") return /_(count|sum)$/.test(sample.name) && sample.labels.quantile === undefined;
  return false;
}

/** A stable key of a series: name and labels in sorted order. */
export function seriesKey(sample: Pick<Sample, "name" | "labels">): string {
  const labels = Object.keys(sample.labels).sort().map((k) => `${k}=${JSON.stringify(sample.labels[k])}`);
  return `${sample.name}{${labels.join(",")}}`;
}
