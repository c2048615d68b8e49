// An instant-query client for the Prometheus HTTP API: POST {url}/api/v1/query (form-encoded, so
// long queries fit), the answer validated with zod. Every failure is a reading, never a throw.
import type { Dispatcher } from "undici";
import { z } from "zod";
import { describeError } from "../../runtime/errors.ts";
import { exchange } from "../http.ts";
import { unavailable, type Reading } from "../provider.ts";
import { NO_DATA_REASONS } from "../reasons.ts";

const SampleValue = z.tuple([z.number(), z.string()]);
const QueryAnswer = z.object({
  status: z.enum(["success", "error"]),
  data: z.discriminatedUnion("resultType", [
    z.object({ resultType: z.literal("vector"), result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: SampleValue })) }),
    z.object({ resultType: z.literal("scalar"), result: SampleValue }),
    z.object({ resultType: z.literal("matrix"), result: z.array(z.unknown()) }),
    z.object({ resultType: z.literal("string"), result: SampleValue }),
  ]).optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
});

export interface PrometheusClientOptions {
  /** Base URL, e.g. http://prometheus.monitoring:9090 (a path prefix is kept). */
  readonly url: string;
  /** Per query. */
  readonly timeoutMs: number;
  readonly dispatcher?: Dispatcher;
  /** Largest answer accepted; default 4 MiB. */
  readonly maxBytes?: number;
}

/** One sample of an instant vector. */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** How to read an instant vector: `one` needs exactly one sample; `sum` adds all (none is 0). */
export type VectorMode = "one" | "sum";

export class PrometheusClient {
  private readonly options: PrometheusClientOptions;

  constructor(options: PrometheusClientOptions) {
    this.options = options;
  }

  /**
   * Runs `query` at `time` (Unix seconds; the server's current time when absent). Queries whose
   * values are combined (errors / requests) must share one `time`, or extrapolation at slightly
   * different window edges can make the parts disagree. A scalar or a one-sample vector is its value. An
   * empty vector is NoSamples (mode "one") or 0 (mode "sum"); more than one sample in mode "one"
   * is AmbiguousResult; NaN or ±Inf is NoSamples; a rejected query (bad_data) is InvalidQuery;
   * anything else that fails is MetricsUnavailable.
   */
  async query(query: string, mode: VectorMode = "one", signal?: AbortSignal, time?: number): Promise<Reading<number>> {
    const answer = await this.series(query, signal, time);
    if (!answer.ok) return answer;
    const values = answer.value.map((s) => s.value);
    if (values.length === 0) {
      return mode === "sum" ? { ok: true, value: 0 } : unavailable(NO_DATA_REASONS.noSamples, "the query returned no samples");
    }
    if (mode === "one" && values.length > 1) {
      return unavailable(NO_DATA_REASONS.ambiguousResult, `the query returned ${values.length} series, not one (aggregate it, e.g. with sum())`);
    }
    const value = values.reduce((a, b) => a + b, 0);
    if (!Number.isFinite(value)) return unavailable(NO_DATA_REASONS.noSamples, `the query returned ${value}`);
    return { ok: true, value };
  }

  /**
   * Every sample of `query`'s instant vector with its labels (a scalar is one sample without
   * labels); values may be NaN or ±Inf. Failures as in `query`; a matrix or string is InvalidQuery.
   */
  async series(query: string, signal?: AbortSignal, time?: number): Promise<Reading<Sample[]>> {
    const url = `${this.options.url.replace(/\/+$/, "")}/api/v1/query`;
    let text: string;
    let status: number;
    try {
      const answer = await exchange(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ query, ...(time === undefined ? {} : { time: time.toFixed(3) }) }).toString(),
        timeoutMs: this.options.timeoutMs,
        maxBytes: this.options.maxBytes ?? 4 * 1024 * 1024,
        ...(signal === undefined ? {} : { signal }),
        ...(this.options.dispatcher === undefined ? {} : { dispatcher: this.options.dispatcher }),
      });
      text = answer.text;
      status = answer.status;
    } catch (error) {
      return unavailable(NO_DATA_REASONS.metricsUnavailable, `Prometheus did not answer: ${describeError(error)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return unavailable(NO_DATA_REASONS.metricsUnavailable, `Prometheus answered ${status} without JSON: ${text.slice(0, 200)}`);
    }
    const parsed = QueryAnswer.safeParse(json);
    if (!parsed.success) return unavailable(NO_DATA_REASONS.metricsUnavailable, `Prometheus answered ${status} with an unexpected body: ${z.prettifyError(parsed.error)}`);
    const answer = parsed.data;
    if (answer.status === "error" || answer.data === undefined) {
      const reason = answer.errorType === "bad_data" ? NO_DATA_REASONS.invalidQuery : NO_DATA_REASONS.metricsUnavailable;
      return unavailable(reason, `Prometheus rejected the query (${answer.errorType ?? status}): ${answer.error ?? "no error message"}`);
    }
    const data = answer.data;
    if (data.resultType === "matrix" || data.resultType === "string") {
      return unavailable(NO_DATA_REASONS.invalidQuery, `the query returned a ${data.resultType}, not one number`);
    }
    if (data.resultType === "scalar") return { ok: true, value: [{ labels: {}, value: Number(data.result[1]) }] };
    return { ok: true, value: data.result.map((s) => ({ labels: s.metric, value: Number(s.value[1]) })) };
  }
}
