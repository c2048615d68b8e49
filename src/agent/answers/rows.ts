// The rows two answers are compared by, row r of one against row r of the other. Contract: pure;
// `rowTables` either gives both answers' rows, aligned (same outputs, same shapes, same fields,
// in the same order), or the reason they cannot be aligned; `labelsOf` gives one label per row.
import { brief, isObject, own } from "./json.ts";
import type { ModelAnswer, OpenAIAnswer, PredictionAnswer, Tensor, TensorAnswer } from "./model-answer.ts";
import { predictionsOf, type Prediction } from "./predictions.ts";

/** Why two answers cannot be compared. */
export interface RowProblem {
  readonly reason: string;
}

export interface Tables {
  readonly primary: readonly unknown[];
  readonly candidate: readonly unknown[];
}

const problem = (reason: string): RowProblem => ({ reason });
const isRowProblem = (v: object): v is RowProblem => "reason" in v;

/**
 * Rows of two answers of the same kind. Tensors: row r holds, per compared output (all, by name,
 * or those `fields` names, in that order), the r-th slice along its first dimension; outputs and
 * shapes must match. Predictions: each row, or with `fields` the listed keys of each (object) row.
 * OpenAI: the embedding vectors; else each choice's text (its message when it has no text), or
 * with `fields` the listed keys of each choice. A key missing from a row reads as undefined.
 */
export function rowTables(primary: ModelAnswer, candidate: ModelAnswer, fields: readonly string[] | undefined): Tables | RowProblem {
  if (primary.kind === "tensors" && candidate.kind === "tensors") return tensorTables(primary, candidate, fields);
  if (primary.kind === "tensors" || candidate.kind === "tensors") return problem(`different kinds: ${primary.kind} vs ${candidate.kind}`);
  if (primary.kind === "openai" && candidate.kind === "openai" && (primary.embeddings === undefined) !== (candidate.embeddings === undefined)) {
    return problem(`different kinds: ${primary.embeddings === undefined ? "choices vs embeddings" : "embeddings vs choices"}`);
  }
  const a = rowsOf(primary, fields);
  if (isRowProblem(a)) return problem(`primary answer: ${a.reason}`);
  const b = rowsOf(candidate, fields);
  if (isRowProblem(b)) return problem(`candidate answer: ${b.reason}`);
  return { primary: a.rows, candidate: b.rows };
}

/** One label per row (predictionsOf), or with one field the label held by that output or key. */
export function labelsOf(answer: ModelAnswer, fields: readonly string[] | undefined): Prediction[] | RowProblem {
  let source: ModelAnswer = answer;
  if (fields !== undefined) {
    const [field] = fields;
    if (fields.length !== 1 || field === undefined) return problem(`label mode reads one field, not ${fields.length}`);
    if (answer.kind === "tensors") {
      const tensor = answer.tensors.find((t) => t.name === field);
      if (tensor === undefined) return problem(`no output "${field}"`);
      source = { kind: "tensors", tensors: [tensor] };
    } else {
      const rows = rowsOf(answer, fields);
      if (isRowProblem(rows)) return rows;
      source = { kind: "predictions", rows: rows.rows.map((r) => (r as unknown[])[0]) };
    }
  }
  return predictionsOf(source) ?? problem("no single prediction per row");
}

function rowsOf(answer: PredictionAnswer | OpenAIAnswer, fields: readonly string[] | undefined): { rows: unknown[] } | RowProblem {
  if (answer.kind === "openai" && answer.embeddings !== undefined) {
    return fields === undefined ? { rows: [...answer.embeddings] } : problem("fields select keys of choices, not embeddings");
  }
  const objects = answer.kind === "openai" ? answer.choices.map((c) => c.choice) : answer.rows;
  if (fields === undefined) {
    return { rows: answer.kind === "openai" ? answer.choices.map((c) => c.text ?? own(c.choice, "message")) : [...answer.rows] };
  }
  const rows: unknown[] = [];
  for (const [r, row] of objects.entries()) {
    if (!isObject(row)) return problem(`fields select keys of object rows, row ${r} is ${brief(row)}`);
    rows.push(fields.map((f) => own(row, f)));
  }
  return { rows };
}

function tensorTables(a: TensorAnswer, b: TensorAnswer, fields: readonly string[] | undefined): Tables | RowProblem {
  const names = fields ?? a.tensors.map((t) => t.name).sort();
  const other = fields ?? b.tensors.map((t) => t.name).sort();
  if (names.join("\u0000") !== other.join("\u0000")) return problem(`different outputs: ${brief(names)} vs ${brief(other)}`);
  const pairs: [Tensor, Tensor][] = [];
  for (const name of names) {
    const ta = a.tensors.find((t) => t.name === name);
    const tb = b.tensors.find((t) => t.name === name);
    if (ta === undefined || tb === undefined) return problem(`output "${name}" missing from the ${ta === undefined ? "primary" : "candidate"} answer`);
    if (ta.shape.join() !== tb.shape.join()) return problem(`shape mismatch for output "${name}": [${ta.shape.join()}] vs [${tb.shape.join()}]`);
    pairs.push([ta, tb]);
  }
  const counts = new Set(pairs.map(([t]) => rowCount(t)));
  if (counts.size > 1) return problem(`outputs differ in rows (first dimension): ${[...counts].join(", ")}`);
  if (counts.has(undefined)) return problem("an output's values do not fill its shape");
  const [rows = 0] = counts;
  const table = (side: 0 | 1): unknown[][] =>
    Array.from({ length: rows }, (_, r) => pairs.map((pair) => slice(pair[side], r, rows)));
  return { primary: table(0), candidate: table(1) };
}

/** Rows of a tensor: its first dimension (1 for a scalar); undefined when its values do not fill its shape. */
function rowCount(t: Tensor): number | undefined {
  if (t.shape.reduce((x, y) => x * y, 1) !== t.values.length) return undefined;
  return t.shape[0] ?? 1;
}

function slice(t: Tensor, r: number, rows: number): unknown[] {
  const width = rows === 0 ? 0 : t.values.length / rows;
  return t.values.slice(r * width, (r + 1) * width);
}
