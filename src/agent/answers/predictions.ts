// One prediction per row of an answer, for single-output models: what accuracy, error and
// prediction drift are computed on, and what label-mode comparison compares. Contract: pure and
// total — an answer that does not hold exactly one prediction per row gives undefined.
import type { ModelAnswer, Tensor } from "./model-answer.ts";

/** A prediction: a class label or a number. */
export type Prediction = number | string;

/**
 * The predictions of an answer, one per row, in row order:
 * - tensors: the first output tensor; shape [] or [n] or [n,1] gives its values, shape [n,k]
 *   (k > 1, numeric: class scores or probabilities) the argmax index of each row (the first on ties;
 *   NaN when the row holds a NaN or null); other ranks give undefined;
 * - predictions: a scalar row is its value, a one-element array row its element, a numeric array
 *   row its argmax index; an object row (or a nested array) gives undefined;
 * - openai: the choices' texts (undefined for embeddings, or a choice without text content).
 * Booleans read as 1 and 0, null (a number the server could not write) as NaN.
 */
export function predictionsOf(answer: ModelAnswer): Prediction[] | undefined {
  switch (answer.kind) {
    case "tensors":
      return answer.tensors[0] === undefined ? undefined : tensorPredictions(answer.tensors[0]);
    case "predictions":
      return allDefined(answer.rows.map(rowPrediction));
    case "openai":
      return answer.embeddings === undefined ? allDefined(answer.choices.map((c) => c.text ?? undefined)) : undefined;
  }
}

function tensorPredictions(tensor: Tensor): Prediction[] | undefined {
  const { shape, values } = tensor;
  if (shape.length <= 1 || (shape.length === 2 && shape[1] === 1)) return allDefined(values.map(scalarPrediction));
  const [rows, width] = shape;
  if (shape.length !== 2 || rows === undefined || width === undefined) return undefined;
  const out: (Prediction | undefined)[] = [];
  for (let r = 0; r < rows; r++) out.push(argmax(values.slice(r * width, (r + 1) * width)));
  return allDefined(out);
}

function rowPrediction(row: unknown): Prediction | undefined {
  if (!Array.isArray(row)) return scalarPrediction(row);
  return row.length === 1 ? scalarPrediction(row[0]) : argmax(row);
}

function scalarPrediction(value: unknown): Prediction | undefined {
  if (typeof value === "number" || typeof value === "string") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  return value === null ? Number.NaN : undefined;
}

/** Index of the largest number (the first on ties); NaN if one is NaN or null; undefined when empty or not all numbers. */
function argmax(values: readonly unknown[]): number | undefined {
  if (values.length === 0) return undefined;
  let best = 0;
  let unusable = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || (typeof v === "number" && Number.isNaN(v))) unusable = true;
    else if (typeof v !== "number") return undefined;
    else if (v > (values[best] as number)) best = i;
  }
  return unusable ? Number.NaN : best;
}

function allDefined<T>(items: readonly (T | undefined)[]): T[] | undefined {
  return items.every((x) => x !== undefined) ? (items as T[]) : undefined;
}
