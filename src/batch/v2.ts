// The Open Inference Protocol (V2) as `mdo batch run` speaks it: one FP64 input `input-0` of
// shape [rows, features]; the first output's data holds one prediction per row (a scalar, or
// `data.length / rows` values each). Pure: bodies, answers, and how a failed call is classified.
import { upstreamErrorKind } from "../agent/upstream-errors.ts";
import { InferenceError, type InferenceErrorKind } from "./errors.ts";
import type { FeatureRow } from "./features.ts";

export interface V2Request {
  inputs: { name: string; shape: number[]; datatype: "FP64"; data: number[] }[];
}

/** The request body for feature rows (all of the same width). */
export function v2Body(rows: readonly number[][]): V2Request {
  return { inputs: [{ name: "input-0", shape: [rows.length, rows[0]?.length ?? 0], datatype: "FP64", data: rows.flat() }] };
}

/**
 * The body the worker sends: the JSON of v2Body(features of rows), assembled without the flat copy
 * and the object. A row's `json` (its features' text in the input) is used as it is; other rows
 * hold finite numbers only (features.ts), whose JSON is String(n).
 */
export function v2BodyText(rows: readonly FeatureRow[]): string {
  let data = "";
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const text = row.json ?? row.features.join(",");
    data += i === 0 ? text : `,${text}`;
  }
  return `{"inputs":[{"name":"input-0","shape":[${rows.length},${rows[0]?.features.length ?? 0}],"datatype":"FP64","data":[${data}]}]}`;
}

export type Prediction = number | string | boolean | null | Prediction[];

/** One prediction per row from a V2 answer; throws a fatal InferenceError for an answer of another shape. */
export function predictionsOf(answer: unknown, rows: number): Prediction[] {
  const outputs = typeof answer === "object" && answer !== null && "outputs" in answer ? answer.outputs : undefined;
  const first: unknown = Array.isArray(outputs) ? outputs[0] : undefined;
  const data = typeof first === "object" && first !== null && "data" in first ? first.data : undefined;
  if (!Array.isArray(data)) throw new InferenceError("fatal", "The model server's answer has no outputs[0].data");
  const values = data as Prediction[];
  if (values.length === rows) return values;
  if (rows === 0 || values.length % rows !== 0) {
    throw new InferenceError("fatal", `The model server answered ${values.length} values for ${rows} rows`);
  }
  const width = values.length / rows;
  return Array.from({ length: rows }, (_v, i) => values.slice(i * width, (i + 1) * width));
}

/**
 * What a non-200 status means for a batch: 429, 502, 503 and 504 are transient (retry later);
 * another 4xx, or 500 (a model raising on its input), is a rejection of the batch's rows (retry
 * row by row); anything else ends the run.
 */
export function classifyStatus(status: number): InferenceErrorKind {
  if (status === 429 || status === 502 || status === 503 || status === 504) return "transient";
  if ((status >= 400 && status < 500) || status === 500) return "rejected";
  return "fatal";
}

/** What a thrown (network) error means: refused, reset and timed out connections are transient. */
export function classifyNetworkError(error: unknown): InferenceErrorKind {
  return upstreamErrorKind(error) === "other" ? "fatal" : "transient";
}
