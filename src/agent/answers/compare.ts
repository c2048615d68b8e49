// Whether a candidate model's answer agrees with the primary's, row by row, for shadow traffic.
// Contract: pure and total — compareAnswers never throws; two answers it cannot line up give
// { comparable: false, reason }, else the number of rows and of rows that agree (a row agrees when
// all its elements agree). NaN never agrees with anything, in every mode, NaN included.
import { brief, isObject, sameJson } from "./json.ts";
import type { ModelAnswer } from "./model-answer.ts";
import { labelsOf, rowTables } from "./rows.ts";

/** Top-level keys of each object row (v1 rows, OpenAI choices) or names of v2 outputs to compare; all when absent. */
type Fields = { readonly fields?: readonly string[] };

/**
 * How two answers are compared; `primary` is the reference.
 * - label: for classifiers. Each answer's predictions (predictionsOf: one label per row, the argmax
 *   of [n,k] scores) must be equal: numbers identical, strings exact. With `fields`, exactly one,
 *   naming the output or key that holds the label.
 * - numeric: element-wise over all compared outputs or row values, which must all be numbers (null
 *   reads as NaN). Primary a and candidate b agree when |a − b| ≤ absoluteTolerance +
 *   relativeTolerance · |a| — numpy.isclose(b, a) with equal_nan=False, in float64, so a decimal
 *   tolerance (0.1) is as exact as its binary value; equal infinities agree. Both default to 0.
 * - exact: deep equality of the compared rows (v2 values, v1 rows, OpenAI choice texts — a
 *   choice without text content compares its message); key order and v2 datatypes are ignored.
 */
export type ComparisonRule =
  | ({ readonly mode: "label" } & Fields)
  | ({ readonly mode: "numeric"; readonly absoluteTolerance?: number; readonly relativeTolerance?: number } & Fields)
  | ({ readonly mode: "exact" } & Fields);

/** The comparison of one request's two answers; its agreement is agreeingRows / rows. */
export type Comparison =
  | {
      readonly comparable: true;
      readonly rows: number;
      readonly agreeingRows: number;
      /** numeric mode: the numbers compared and those that agree. */
      readonly elements?: number;
      readonly agreeingElements?: number;
      /** numeric mode: the largest |a − b| over elements where both are finite; absent when there is none. */
      readonly maxAbsoluteError?: number;
    }
  | { readonly comparable: false; readonly reason: string };

const incomparable = (reason: string): Comparison => ({ comparable: false, reason });

/**
 * Compares `candidate` with `primary` under `rule`. Incomparable: different kinds, an invalid
 * rule, different outputs, shapes or row counts, a missing label, a non-number in numeric mode, or
 * rows of different structure (array lengths, key sets) in numeric mode. Answers with no rows are
 * comparable with rows 0: they carry no agreement.
 */
export function compareAnswers(primary: ModelAnswer, candidate: ModelAnswer, rule: ComparisonRule): Comparison {
  const invalid = ruleProblem(rule);
  if (invalid !== undefined) return incomparable(`invalid rule: ${invalid}`);
  if (primary.kind !== candidate.kind) return incomparable(`different kinds: ${primary.kind} vs ${candidate.kind}`);
  if (rule.mode === "label") {
    const a = labelsOf(primary, rule.fields);
    if (!Array.isArray(a)) return incomparable(`primary answer: ${a.reason}`);
    const b = labelsOf(candidate, rule.fields);
    if (!Array.isArray(b)) return incomparable(`candidate answer: ${b.reason}`);
    if (a.length !== b.length) return incomparable(`different row counts: ${a.length} vs ${b.length}`);
    return { comparable: true, rows: a.length, agreeingRows: a.filter((label, r) => label === b[r]).length };
  }
  const tables = rowTables(primary, candidate, rule.fields);
  if ("reason" in tables) return incomparable(tables.reason);
  const { primary: a, candidate: b } = tables;
  if (a.length !== b.length) return incomparable(`different row counts: ${a.length} vs ${b.length}`);
  if (rule.mode === "exact") return { comparable: true, rows: a.length, agreeingRows: a.filter((row, r) => sameJson(row, b[r])).length };
  const tally = new Tally(rule.absoluteTolerance ?? 0, rule.relativeTolerance ?? 0);
  let agreeingRows = 0;
  for (let r = 0; r < a.length; r++) {
    const agrees = tally.row(a[r], b[r]);
    if (typeof agrees === "string") return incomparable(`row ${r}: ${agrees}`);
    if (agrees) agreeingRows++;
  }
  const { elements, agreeing: agreeingElements, maxError } = tally;
  return { comparable: true, rows: a.length, agreeingRows, elements, agreeingElements, ...(maxError === undefined ? {} : { maxAbsoluteError: maxError }) };
}

function ruleProblem(rule: ComparisonRule): string | undefined {
  if (rule.fields !== undefined && rule.fields.length === 0) return "fields must name at least one key or output";
  if (rule.mode !== "numeric") return undefined;
  for (const [name, value] of [["absoluteTolerance", rule.absoluteTolerance], ["relativeTolerance", rule.relativeTolerance]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) return `${name} must be a finite number >= 0, not ${value}`;
  }
  return undefined;
}

/** Element counts of a numeric comparison, accumulated row by row. */
class Tally {
  elements = 0;
  agreeing = 0;
  maxError: number | undefined = undefined;
  private readonly absolute: number;
  private readonly relative: number;

  constructor(absolute: number, relative: number) {
    this.absolute = absolute;
    this.relative = relative;
  }

  /** Whether every element of the two rows agrees, or why they cannot be compared. */
  row(a: unknown, b: unknown): boolean | string {
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return `shape mismatch: ${brief(a)} vs ${brief(b)}`;
      return this.all(a.map((x, i) => [x, b[i]]));
    }
    if (isObject(a) || isObject(b)) {
      const keys = isObject(a) ? Object.keys(a).sort() : [];
      if (!isObject(a) || !isObject(b) || keys.join("\u0000") !== Object.keys(b).sort().join("\u0000")) return `different keys: ${brief(a)} vs ${brief(b)}`;
      return this.all(keys.map((k) => [a[k], b[k]]));
    }
    if (!isNumeric(a) || !isNumeric(b)) return `non-numeric value: ${brief(isNumeric(a) ? b : a)}`;
    return this.element(a ?? Number.NaN, b ?? Number.NaN);
  }

  private all(pairs: readonly (readonly [unknown, unknown])[]): boolean | string {
    let agrees = true;
    for (const [x, y] of pairs) {
      const result = this.row(x, y);
      if (typeof result === "string") return result;
      agrees &&= result;
    }
    return agrees;
  }

  private element(a: number, b: number): boolean {
    this.elements++;
    const finite = Number.isFinite(a) && Number.isFinite(b);
    if (finite) this.maxError = Math.max(this.maxError ?? 0, Math.abs(a - b));
    const agrees = finite ? Math.abs(a - b) <= this.absolute + this.relative * Math.abs(a) : a === b; // NaN !== NaN
    if (agrees) this.agreeing++;
    return agrees;
  }
}

const isNumeric = (v: unknown): v is number | null => v === null || typeof v === "number";
