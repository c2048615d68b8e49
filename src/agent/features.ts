// Feature rows from request bodies, for drift monitoring. The shape of the body says which
// protocol it speaks, so one extractor serves every endpoint:
//
//   Open Inference Protocol v2  {"inputs":[{"name","shape":[n,k],"datatype","data":[…]}]}
//                               one 2-D tensor (flat or nested data; columns by feature index),
//                               or one tensor per feature (matched by name; n values each);
//                               a tensor with a 1-D or no shape is one row
//   v1 / TF Serving / KServe    {"instances":[[…],…]} (by index) or {"instances":[{…},…]} (by name),
//                               {"inputs":[[…],…]} rows or {"inputs":{"name":[…],…}} columns
//   MLflow                      {"dataframe_records":[{…}]}, {"dataframe_split":{"columns","data"}}
//   plain JSON                  [[…],…] or [{…},…] rows, [x, y, …] one row, {…} one row by name
//
// OpenAI-compatible bodies (prompts, messages) carry no tabular features: the "openai" protocol
// gives no rows without parsing.
import type { Protocol } from "../api/index.ts";
import type { BaselineFeature } from "../drift/baseline.ts";
import type { FeatureValue } from "../drift/feature-vector.ts";

/** What the extractor needs of a baseline feature. */
export type FeatureRef = Pick<BaselineFeature, "name" | "index" | "kind">;

/** Default most rows taken from one request: bounds the drift work a single huge batch can cause. */
export const DEFAULT_MAX_ROWS = 1000;
/** Deepest nesting of tensor data that is flattened; deeper bodies give no rows. */
const MAX_DEPTH = 8;

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const own = (o: JsonObject, key: string): Json => (Object.hasOwn(o, key) ? o[key] : undefined);

/** Appends the scalars of nested arrays in row-major order; false when nested deeper than MAX_DEPTH. */
function flattenInto(data: readonly Json[], out: Json[], depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  for (const item of data) {
    if (!Array.isArray(item)) out.push(item);
    else if (!flattenInto(item, out, depth + 1)) return false;
  }
  return true;
}

function flatten(data: readonly Json[]): Json[] | undefined {
  if (!data.some(Array.isArray)) return data as Json[];
  const out: Json[] = [];
  return flattenInto(data, out, 0) ? out : undefined;
}

const hasValue = (row: readonly FeatureValue[]): boolean => row.some((v) => v !== undefined);

const isTensor = (v: Json): v is JsonObject & { data: Json[] } => isObject(v) && Array.isArray(v.data);

/**
 * Maps request bodies onto a baseline's features. Row j of a result holds the value of
 * `features[j]`: numbers for numeric features (numeric strings and booleans converted), strings
 * for categorical ones (numbers and booleans converted), undefined when missing or unusable.
 * Contract: `rows` never throws, whatever the body; an unrecognised body, or rows in which no
 * feature was found, give no rows; at most `maxRows` rows are returned per body.
 */
export class FeatureExtractor {
  private readonly features: readonly FeatureRef[];
  private readonly names: ReadonlySet<string>;
  private readonly numeric: readonly boolean[];
  private readonly maxRows: number;

  constructor(features: readonly FeatureRef[], options: { maxRows?: number } = {}) {
    this.features = features;
    this.names = new Set(features.map((f) => f.name));
    this.numeric = features.map((f) => f.kind === "numeric");
    this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  }

  /** Rows of an already-parsed JSON body sent with `protocol` (any shape above when absent). */
  rows(body: Json, protocol?: Protocol): FeatureValue[][] {
    if (protocol === "openai") return [];
    try {
      const rows = this.dispatch(body);
      return rows.every(hasValue) ? rows : rows.filter(hasValue);
    } catch {
      return []; // drift is best effort: an unforeseen body must never fail the request
    }
  }

  /** Rows of a body's text (a Buffer is read as UTF-8); invalid JSON gives no rows. */
  rowsFromText(text: string | Buffer, protocol?: Protocol): FeatureValue[][] {
    if (protocol === "openai") return [];
    let body: Json;
    try {
      body = JSON.parse(typeof text === "string" ? text : text.toString("utf8"));
    } catch {
      return [];
    }
    return this.rows(body, protocol);
  }

  private dispatch(body: Json): FeatureValue[][] {
    if (Array.isArray(body)) return this.fromRowList(body, true);
    if (!isObject(body)) return [];
    const inputs = own(body, "inputs");
    if (Array.isArray(inputs) && inputs.length > 0 && inputs.every(isTensor)) return this.fromTensors(inputs);
    if (Array.isArray(inputs)) return this.fromRowList(inputs, false);
    if (isObject(inputs)) return this.fromColumns(inputs);
    const instances = own(body, "instances") ?? own(body, "dataframe_records");
    if (Array.isArray(instances)) return this.fromRowList(instances, false);
    const split = own(body, "dataframe_split");
    if (isObject(split)) return this.fromSplit(split);
    return [this.fromNamed(body)];
  }

  /** A list of rows (arrays or objects). A list of scalars is one row if `scalarsAreOneRow`, else one row per scalar. */
  private fromRowList(list: readonly Json[], scalarsAreOneRow: boolean): FeatureValue[][] {
    if (list.length > 0 && list.every((v) => !Array.isArray(v) && !isObject(v))) {
      return scalarsAreOneRow ? [this.fromPositional(list, 0, list.length)] : this.limit(list).map((v) => this.fromPositional([v], 0, 1));
    }
    return this.limit(list).map((row) => {
      if (Array.isArray(row)) return this.fromPositional(row, 0, row.length);
      return isObject(row) ? this.fromNamed(row) : [];
    });
  }

  private fromTensors(tensors: readonly (JsonObject & { data: Json[] })[]): FeatureValue[][] {
    const named = tensors.filter((t) => typeof t.name === "string" && this.names.has(t.name));
    if (named.length > 0) {
      const columns: JsonObject = {};
      for (const t of named) columns[t.name as string] = flatten(t.data) ?? [];
      return this.fromColumns(columns);
    }
    const tensor = tensors.find((t) => Array.isArray(t.shape) && t.shape.length >= 2) ?? tensors[0]!;
    const flat = flatten(tensor.data);
    if (flat === undefined) return [];
    const shape = Array.isArray(tensor.shape) ? tensor.shape : [];
    const dims = shape.slice(1).map(Number);
    const width = shape.length >= 2 && dims.every((d) => Number.isInteger(d) && d > 0) ? dims.reduce((a, b) => a * b, 1) : flat.length;
    if (width === 0) return [];
    const rows: FeatureValue[][] = [];
    for (let offset = 0; offset + width <= flat.length && rows.length < this.maxRows; offset += width) {
      rows.push(this.fromPositional(flat, offset, width));
    }
    return rows;
  }

  /** Columns by feature name: row r takes element r of each feature's column (or its scalar). */
  private fromColumns(columns: JsonObject): FeatureValue[][] {
    const values = this.features.map((f) => own(columns, f.name));
    const length = Math.max(0, ...values.map((v) => (Array.isArray(v) ? v.length : 0)));
    if (length === 0) return [this.fromNamed(columns)];
    const rows: FeatureValue[][] = [];
    for (let r = 0; r < Math.min(length, this.maxRows); r++) {
      rows.push(values.map((v, j) => this.convert(j, Array.isArray(v) ? v[r] : v)));
    }
    return rows;
  }

  private fromSplit(split: JsonObject): FeatureValue[][] {
    const { columns, data } = split;
    if (!Array.isArray(columns) || !Array.isArray(data)) return [];
    const positions = this.features.map((f) => columns.indexOf(f.name));
    return this.limit(data).map((row) => (Array.isArray(row) ? positions.map((p, j) => this.convert(j, p < 0 ? undefined : row[p])) : []));
  }

  /** `cells[offset … offset + width)` is one row; feature j reads cell `offset + index`. */
  private fromPositional(cells: readonly Json[], offset: number, width: number): FeatureValue[] {
    const features = this.features;
    const row = new Array<FeatureValue>(features.length);
    for (let j = 0; j < features.length; j++) {
      const index = features[j]!.index;
      row[j] = index < width ? this.convert(j, cells[offset + index]) : undefined;
    }
    return row;
  }

  private fromNamed(row: JsonObject): FeatureValue[] {
    return this.features.map((f, j) => this.convert(j, own(row, f.name)));
  }

  private limit<T>(list: readonly T[]): readonly T[] {
    return list.length > this.maxRows ? list.slice(0, this.maxRows) : list;
  }

  private convert(j: number, v: Json): FeatureValue {
    if (this.numeric[j] === true) {
      if (typeof v === "number") return v;
      if (typeof v === "boolean") return v ? 1 : 0;
      if (typeof v === "string" && v.trim() !== "") {
        const n = Number(v);
        return Number.isNaN(n) ? undefined : n;
      }
      return undefined;
    }
    if (typeof v === "string") return v;
    return typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
  }
}
