// A model server's answer, read into one uniform shape so that two answers can be compared
// (shadow traffic) and their predictions read (accuracy, error, prediction drift). The shape of
// the body says what it is, as for requests in ../features.ts:
//
//   Open Inference Protocol v2  {"model_name","outputs":[{"name","shape","datatype","data"}]}
//                               -> kind "tensors" (data flat or nested; shape must match it)
//   v1 / KServe v1 / TF Serving {"predictions":[…]} rows, {"outputs":[…]} columnar rows
//   MLflow, plain JSON          {"predictions": …}, a bare array […]   -> kind "predictions"
//   OpenAI-compatible           {"choices":[{"message":{"content"}}]} chat, {"choices":[{"text"}]}
//                               completions, {"data":[{"embedding":[…]}]} -> kind "openai"
//
// The protocol says which shapes are looked for: "openai" only the OpenAI ones, "v2" and "v1" the
// others (a server speaking one often answers in the other's shape), "raw" all of them.
// Streaming answers (server-sent events) and base64 embeddings are not JSON answers: they give
// undefined and are not compared.
import type { Protocol } from "../../api/index.ts";
import { depthWithin, flatten, isObject, MAX_DEPTH, own, parseJson, type JsonObject } from "./json.ts";


/** One element of a tensor. null stands for a number the server could not write (orjson writes NaN as null). */
export type Scalar = number | string | boolean | null;

/** One v2 output tensor. `values` is row-major and holds exactly the product of `shape` elements. */
export interface Tensor {
  readonly name: string;
  /** Its dimensions; the first is the batch (rows). [] is a scalar: one row of one value. */
  readonly shape: readonly number[];
  /** As the server wrote it ("FP32", "BYTES", …; "" when absent). Never compared. */
  readonly datatype: string;
  readonly values: readonly Scalar[];
}

/** A v2 answer: its output tensors, in the server's order, with distinct names. */
export interface TensorAnswer {
  readonly kind: "tensors";
  readonly tensors: readonly Tensor[];
}

/** A v1, TF Serving, MLflow or plain JSON answer: one JSON value per row (scalar, array or object). */
export interface PredictionAnswer {
  readonly kind: "predictions";
  readonly rows: readonly unknown[];
}

/** One OpenAI choice: the generated text (null when the message has no string content, e.g. tool calls) and the whole choice object. */
export interface OpenAIChoice {
  readonly text: string | null;
  readonly choice: JsonObject;
}

/** An OpenAI-compatible answer: completion choices in order, or (with no choices) embedding vectors. */
export interface OpenAIAnswer {
  readonly kind: "openai";
  readonly choices: readonly OpenAIChoice[];
  readonly embeddings?: readonly (readonly number[])[];
}

export type ModelAnswer = TensorAnswer | PredictionAnswer | OpenAIAnswer;

/**
 * Reads a model server's answer body (a Buffer is read as UTF-8) sent with `protocol`.
 * Contract: never throws; undefined for a body that is not JSON, nests deeper than MAX_DEPTH, or
 * has none of the shapes above (error bodies such as {"error": …} included).
 */
export function parseModelAnswer(body: Buffer | string, protocol: Protocol): ModelAnswer | undefined {
  try {
    const json = parseJson(typeof body === "string" ? body : body.toString("utf8"));
    if (json === undefined || !depthWithin(json, MAX_DEPTH)) return undefined;
    if (protocol === "openai") return readOpenAI(json);
    return readInference(json) ?? (protocol === "raw" ? readOpenAI(json) : undefined);
  } catch {
    return undefined; // an unforeseen body must never fail the request it came with
  }
}

const isTensorLike = (v: unknown): v is JsonObject & { data: unknown[] } => isObject(v) && Array.isArray(v.data);
const isScalar = (v: unknown): v is Scalar => v === null || ["number", "string", "boolean"].includes(typeof v);
const isSize = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

function readInference(json: unknown): ModelAnswer | undefined {
  if (Array.isArray(json)) return { kind: "predictions", rows: json };
  if (!isObject(json)) return undefined;
  const outputs = own(json, "outputs");
  if (Array.isArray(outputs) && outputs.length === 0) return undefined;
  if (Array.isArray(outputs) && outputs.every(isTensorLike)) return readTensors(outputs);
  const predictions = own(json, "predictions") ?? outputs;
  if (predictions === undefined || predictions === null) return undefined;
  if (Array.isArray(predictions)) return { kind: "predictions", rows: predictions };
  return { kind: "predictions", rows: isObject(predictions) ? records(predictions) : [predictions] };
}

/** Named columns of equal length n ({"a":[…],"b":[…]}) as n rows by name; anything else is one row. */
function records(columns: JsonObject): unknown[] {
  const keys = Object.keys(columns);
  const lengths = new Set(keys.map((k) => (Array.isArray(columns[k]) ? columns[k].length : -1)));
  const [n] = lengths;
  if (keys.length === 0 || lengths.size !== 1 || n === undefined || n <= 0) return [columns];
  return Array.from({ length: n }, (_, r) => Object.fromEntries(keys.map((k) => [k, (columns[k] as unknown[])[r]])));
}

function readTensors(outputs: readonly (JsonObject & { data: unknown[] })[]): TensorAnswer | undefined {
  const tensors: Tensor[] = [];
  for (const output of outputs) {
    const tensor = readTensor(output);
    if (tensor === undefined || tensors.some((t) => t.name === tensor.name)) return undefined;
    tensors.push(tensor);
  }
  return { kind: "tensors", tensors };
}

function readTensor(output: JsonObject & { data: unknown[] }): Tensor | undefined {
  const { name, datatype, shape } = output;
  const values = flatten(output.data);
  if (typeof name !== "string" || values === undefined || !values.every(isScalar)) return undefined;
  const dims: unknown = shape ?? [values.length];
  if (!Array.isArray(dims) || !dims.every(isSize)) return undefined;
  if (dims.reduce((a, b) => a * b, 1) !== values.length) return undefined;
  return { name, shape: dims, datatype: typeof datatype === "string" ? datatype : "", values };
}

function readOpenAI(json: unknown): OpenAIAnswer | undefined {
  if (!isObject(json)) return undefined;
  const choices = own(json, "choices");
  if (Array.isArray(choices)) {
    const read = choices.map(readChoice);
    return read.every((c) => c !== undefined) ? { kind: "openai", choices: read } : undefined;
  }
  const data = own(json, "data");
  if (!Array.isArray(data)) return undefined;
  const embeddings = data.map((d) => (isObject(d) ? own(d, "embedding") : undefined));
  if (!embeddings.every((e): e is number[] => Array.isArray(e) && e.every((x) => typeof x === "number"))) return undefined;
  return { kind: "openai", choices: [], embeddings };
}

/** A chat choice (message) or a completion choice (text); a streaming chunk (delta) is neither. */
function readChoice(choice: unknown): OpenAIChoice | undefined {
  if (!isObject(choice)) return undefined;
  const message = own(choice, "message");
  if (isObject(message)) {
    const content = own(message, "content");
    return { text: typeof content === "string" ? content : null, choice };
  }
  const text = own(choice, "text");
  return typeof text === "string" ? { text, choice } : undefined;
}
