import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareAnswers, type Comparison, type ComparisonRule } from "../../../src/agent/answers/compare.ts";
import { parseModelAnswer, type ModelAnswer, type Scalar } from "../../../src/agent/answers/model-answer.ts";

const tensors = (...specs: [name: string, shape: number[], values: Scalar[]][]): ModelAnswer => ({
  kind: "tensors",
  tensors: specs.map(([name, shape, values]) => ({ name, shape, datatype: "FP32", values })),
});
const rows = (...values: unknown[]): ModelAnswer => ({ kind: "predictions", rows: values });
const chat = (...texts: (string | null)[]): ModelAnswer => ({
  kind: "openai",
  choices: texts.map((text, index) => ({ text, choice: { index, message: { role: "assistant", content: text }, finish_reason: "stop" } })),
});
const numeric = (absoluteTolerance?: number, relativeTolerance?: number): ComparisonRule => ({ mode: "numeric", absoluteTolerance, relativeTolerance });
const LABEL: ComparisonRule = { mode: "label" };
const EXACT: ComparisonRule = { mode: "exact" };

/** The reason of an incomparable result; fails the test on a comparable one. */
function reasonOf(result: Comparison): string {
  assert.equal(result.comparable, false, JSON.stringify(result));
  return result.comparable ? "" : result.reason;
}

describe("compareAnswers: label mode", () => {
  it("counts rows whose labels are equal", () => {
    assert.deepEqual(compareAnswers(rows(1, 0, 2, "a"), rows(1, 1, 2, "b"), LABEL), { comparable: true, rows: 4, agreeingRows: 2 });
  });

  it("compares the argmax of [n,k] scores, not the scores", () => {
    const a = tensors(["p", [3, 2], [0.1, 0.9, 0.8, 0.2, 0.6, 0.4]]);
    const b = tensors(["p", [3, 2], [0.3, 0.7, 0.1, 0.9, 0.51, 0.49]]);
    assert.deepEqual(compareAnswers(a, b, LABEL), { comparable: true, rows: 3, agreeingRows: 2 });
  });

  it("compares strings exactly and never equates a number with its text or NaN with NaN", () => {
    assert.deepEqual(compareAnswers(rows("Cat", 1, Number.NaN, null), rows("cat", "1", Number.NaN, null), LABEL), { comparable: true, rows: 4, agreeingRows: 0 });
  });

  it("reads the label from the one field named: a key of object rows or an output", () => {
    const a = rows({ label: "cat", score: 0.9 }, { label: "dog", score: 0.8 });
    const b = rows({ label: "cat", score: 0.1 }, { label: "cow", score: 0.8 });
    assert.deepEqual(compareAnswers(a, b, { mode: "label", fields: ["label"] }), { comparable: true, rows: 2, agreeingRows: 1 });
    const ta = tensors(["p", [2, 2], [0.1, 0.9, 0.8, 0.2]], ["cls", [2], ["b", "a"]]);
    const tb = tensors(["p", [2, 2], [0.9, 0.1, 0.8, 0.2]], ["cls", [2], ["b", "a"]]);
    assert.deepEqual(compareAnswers(ta, tb, { mode: "label", fields: ["cls"] }), { comparable: true, rows: 2, agreeingRows: 2 });
    assert.deepEqual(compareAnswers(ta, tb, LABEL), { comparable: true, rows: 2, agreeingRows: 1 }, "the first output without fields");
  });

  it("is incomparable without one label per row, with different row counts, or with several fields", () => {
    assert.match(reasonOf(compareAnswers(rows({ a: 1 }), rows({ a: 1 }), LABEL)), /primary answer: no single prediction per row/);
    assert.match(reasonOf(compareAnswers(rows(1), rows([[1, 2]]), LABEL)), /candidate answer/);
    assert.match(reasonOf(compareAnswers(rows(1, 2), rows(1), LABEL)), /different row counts: 2 vs 1/);
    assert.match(reasonOf(compareAnswers(rows({ a: 1 }), rows({ a: 1 }), { mode: "label", fields: ["a", "b"] })), /one field, not 2/);
    assert.match(reasonOf(compareAnswers(tensors(["p", [1], [1]]), tensors(["p", [1], [1]]), { mode: "label", fields: ["q"] })), /no output "q"/);
  });
});

describe("compareAnswers: numeric mode", () => {
  it("is exact with the default tolerances, and reports elements and the largest error", () => {
    assert.deepEqual(compareAnswers(rows(1, 2, 3), rows(1, 2.5, 3), numeric()), { comparable: true, rows: 3, agreeingRows: 2, elements: 3, agreeingElements: 2, maxAbsoluteError: 0.5 });
  });

  it("agrees exactly at the absolute tolerance and not just over it", () => {
    const over = 0.5 + 2 ** -20; // exact in float64, as are the differences below
    const result = compareAnswers(rows(1, 1, -1), rows(1.5, 1 + over, -1.5), numeric(0.5));
    assert.deepEqual(result, { comparable: true, rows: 3, agreeingRows: 2, elements: 3, agreeingElements: 2, maxAbsoluteError: over });
  });

  it("scales the relative tolerance by the primary's value, not the candidate's", () => {
    // 0.25 · |4| = 1: 5 and 3 are exactly at the boundary.
    const result = compareAnswers(rows(4, 4, 4, 4), rows(5, 3, 5.000001, 2.999999), numeric(0, 0.25));
    assert.equal(result.comparable && result.agreeingElements, 2);
    const agreeing = (primary: number, candidate: number): number | false => {
      const r = compareAnswers(rows(primary), rows(candidate), numeric(0, 0.25));
      return r.comparable && r.agreeingRows;
    };
    assert.equal(agreeing(5.2, 4), 1, "|5.2 − 4| = 1.2 ≤ 0.25 · 5.2 = 1.3");
    assert.equal(agreeing(4, 5.2), 0, "|4 − 5.2| = 1.2 > 0.25 · 4 = 1");
  });

  it("adds the absolute and relative tolerances", () => {
    const result = compareAnswers(rows(4, 4), rows(5.5, 5.5000001), numeric(0.5, 0.25));
    assert.equal(result.comparable && result.agreeingRows, 1);
  });

  it("never agrees on NaN or null (NaN written as null), and agrees on equal infinities", () => {
    const inf = Number.POSITIVE_INFINITY;
    const result = compareAnswers(rows(Number.NaN, Number.NaN, null, 1, inf, inf, 1), rows(Number.NaN, 1, null, null, inf, -inf, inf), numeric(1000, 1));
    assert.deepEqual(result, { comparable: true, rows: 7, agreeingRows: 1, elements: 7, agreeingElements: 1 }, "no finite pair: no maxAbsoluteError");
  });

  it("compares element-wise; a row agrees when all its elements do; rows are a tensor's first dimension", () => {
    const a = tensors(["y", [3, 2], [1, 2, 3, 4, 5, 6]], ["z", [3], [0, 0, 0]]);
    const b = tensors(["z", [3], [0, 0, 0.5]], ["y", [3, 2], [1, 2, 3, 4.25, 5, 6]]);
    assert.deepEqual(compareAnswers(a, b, numeric(0.2)), { comparable: true, rows: 3, agreeingRows: 1, elements: 9, agreeingElements: 7, maxAbsoluteError: 0.5 });
  });

  it("compares object rows and OpenAI embeddings element by element", () => {
    assert.deepEqual(compareAnswers(rows({ a: 1, b: [2, 3] }), rows({ b: [2, 3.5], a: 1 }), numeric()), { comparable: true, rows: 1, agreeingRows: 0, elements: 3, agreeingElements: 2, maxAbsoluteError: 0.5 });
    const e = (...v: number[][]): ModelAnswer => ({ kind: "openai", choices: [], embeddings: v });
    assert.deepEqual(compareAnswers(e([1, 0], [0, 1]), e([1, 0.01], [0, 1]), numeric(0.001)), { comparable: true, rows: 2, agreeingRows: 1, elements: 4, agreeingElements: 3, maxAbsoluteError: 0.01 });
  });

  it("is incomparable with non-numbers, different structures, shapes, outputs or an invalid tolerance", () => {
    assert.match(reasonOf(compareAnswers(rows(1, "cat"), rows(1, "cat"), numeric())), /row 1: non-numeric value: "cat"/);
    assert.match(reasonOf(compareAnswers(rows(true), rows(true), numeric())), /non-numeric value: true/);
    assert.match(reasonOf(compareAnswers(chat("4"), chat("4"), numeric())), /non-numeric/);
    assert.match(reasonOf(compareAnswers(rows([1, 2]), rows([1, 2, 3]), numeric())), /row 0: shape mismatch/);
    assert.match(reasonOf(compareAnswers(rows({ a: 1 }), rows({ b: 1 }), numeric())), /different keys/);
    assert.match(reasonOf(compareAnswers(tensors(["y", [2, 2], [1, 2, 3, 4]]), tensors(["y", [4, 1], [1, 2, 3, 4]]), numeric())), /shape mismatch for output "y": \[2,2\] vs \[4,1\]/);
    assert.match(reasonOf(compareAnswers(tensors(["y", [1], [1]]), tensors(["x", [1], [1]]), numeric())), /different outputs/);
    assert.match(reasonOf(compareAnswers(tensors(["y", [2], [1, 2]], ["z", [1], [1]]), tensors(["y", [2], [1, 2]], ["z", [1], [1]]), numeric())), /differ in rows/);
    assert.match(reasonOf(compareAnswers(rows(1), rows(1), numeric(-1))), /invalid rule: absoluteTolerance/);
    assert.match(reasonOf(compareAnswers(rows(1), rows(1), numeric(0, Number.NaN))), /invalid rule: relativeTolerance/);
  });
});

describe("compareAnswers: exact mode", () => {
  it("counts rows that are deeply equal, ignoring key order", () => {
    assert.deepEqual(compareAnswers(rows({ a: 1, b: [1, 2] }, [1, 2], "x"), rows({ b: [1, 2], a: 1 }, [1, 2.0000001], "x"), EXACT), { comparable: true, rows: 3, agreeingRows: 2 });
  });

  it("never equates NaN, even with NaN", () => {
    assert.deepEqual(compareAnswers(rows(Number.NaN, [Number.NaN]), rows(Number.NaN, [Number.NaN]), EXACT), { comparable: true, rows: 2, agreeingRows: 0 });
  });

  it("compares OpenAI choices by their text, and a choice without text by its message", () => {
    assert.deepEqual(compareAnswers(chat("Paris", "Lyon"), chat("Paris", "lyon"), EXACT), { comparable: true, rows: 2, agreeingRows: 1 });
    const tool = (name: string): ModelAnswer => ({ kind: "openai", choices: [{ text: null, choice: { message: { content: null, tool_calls: [{ name }] } } }] });
    assert.deepEqual(compareAnswers(tool("f"), tool("f"), EXACT), { comparable: true, rows: 1, agreeingRows: 1 });
    assert.deepEqual(compareAnswers(tool("f"), tool("g"), EXACT), { comparable: true, rows: 1, agreeingRows: 0 });
  });

  it("compares v2 values row by row, whatever their datatype", () => {
    const a: ModelAnswer = { kind: "tensors", tensors: [{ name: "y", shape: [2], datatype: "FP32", values: [1, 2] }] };
    const b: ModelAnswer = { kind: "tensors", tensors: [{ name: "y", shape: [2], datatype: "FP64", values: [1, 3] }] };
    assert.deepEqual(compareAnswers(a, b, EXACT), { comparable: true, rows: 2, agreeingRows: 1 });
  });

  it("is incomparable across kinds and row counts", () => {
    assert.match(reasonOf(compareAnswers(rows(1), tensors(["y", [1], [1]]), EXACT)), /different kinds: predictions vs tensors/);
    assert.match(reasonOf(compareAnswers(chat("a"), { kind: "openai", choices: [], embeddings: [[1]] }, EXACT)), /different kinds: choices vs embeddings/);
    assert.match(reasonOf(compareAnswers(chat("a", "b"), chat("a"), EXACT)), /different row counts: 2 vs 1/);
  });

  it("gives zero rows for two empty answers", () => {
    assert.deepEqual(compareAnswers(rows(), rows(), EXACT), { comparable: true, rows: 0, agreeingRows: 0 });
  });
});

describe("compareAnswers: fields", () => {
  it("compares only the listed keys of object rows", () => {
    const a = rows({ label: "cat", score: 0.91, id: "a" }, { label: "dog", score: 0.5, id: "b" });
    const b = rows({ label: "cat", score: 0.91, id: "x" }, { label: "dog", score: 0.75, id: "y" });
    assert.deepEqual(compareAnswers(a, b, EXACT), { comparable: true, rows: 2, agreeingRows: 0 });
    assert.deepEqual(compareAnswers(a, b, { mode: "exact", fields: ["label"] }), { comparable: true, rows: 2, agreeingRows: 2 });
    assert.deepEqual(compareAnswers(a, b, { mode: "exact", fields: ["label", "score"] }), { comparable: true, rows: 2, agreeingRows: 1 });
    assert.deepEqual(compareAnswers(a, b, { mode: "numeric", fields: ["score"], absoluteTolerance: 0.3 }), { comparable: true, rows: 2, agreeingRows: 2, elements: 2, agreeingElements: 2, maxAbsoluteError: 0.25 });
  });

  it("compares only the listed keys of OpenAI choices", () => {
    const a = chat("Paris");
    const b: ModelAnswer = { kind: "openai", choices: [{ text: "Paris, France", choice: { index: 0, message: { content: "Paris, France" }, finish_reason: "stop" } }] };
    assert.deepEqual(compareAnswers(a, b, EXACT), { comparable: true, rows: 1, agreeingRows: 0 });
    assert.deepEqual(compareAnswers(a, b, { mode: "exact", fields: ["finish_reason", "index"] }), { comparable: true, rows: 1, agreeingRows: 1 });
  });

  it("selects v2 outputs by name", () => {
    const a = tensors(["y", [2], [1, 2]], ["debug", [2], [1, 2]]);
    const b = tensors(["y", [2], [1, 2]], ["debug", [2], [9, 9]]);
    assert.deepEqual(compareAnswers(a, b, numeric()), { comparable: true, rows: 2, agreeingRows: 0, elements: 4, agreeingElements: 2, maxAbsoluteError: 8 });
    assert.deepEqual(compareAnswers(a, b, { mode: "numeric", fields: ["y"] }), { comparable: true, rows: 2, agreeingRows: 2, elements: 2, agreeingElements: 2, maxAbsoluteError: 0 });
    assert.match(reasonOf(compareAnswers(a, tensors(["debug", [2], [1, 2]]), { mode: "exact", fields: ["y"] })), /output "y" missing from the candidate answer/);
  });

  it("reads a missing key as missing: equal to missing in exact mode, incomparable in numeric mode", () => {
    assert.deepEqual(compareAnswers(rows({ a: 1 }), rows({ a: 2 }), { mode: "exact", fields: ["b"] }), { comparable: true, rows: 1, agreeingRows: 1 });
    assert.match(reasonOf(compareAnswers(rows({ a: 1 }), rows({ a: 1, b: 2 }), { mode: "numeric", fields: ["b"] })), /non-numeric value: missing/);
  });

  it("is incomparable for rows that are not objects, embeddings, or no fields at all", () => {
    assert.match(reasonOf(compareAnswers(rows(1), rows(1), { mode: "exact", fields: ["a"] })), /primary answer: fields select keys of object rows, row 0 is 1/);
    const e: ModelAnswer = { kind: "openai", choices: [], embeddings: [[1]] };
    assert.match(reasonOf(compareAnswers(e, e, { mode: "numeric", fields: ["embedding"] })), /not embeddings/);
    assert.match(reasonOf(compareAnswers(rows({ a: 1 }), rows({ a: 1 }), { mode: "exact", fields: [] })), /invalid rule: fields/);
  });
});

describe("compareAnswers on parsed bodies", () => {
  it("compares two v2 answers end to end", () => {
    const body = (data: unknown): string => JSON.stringify({ model_name: "m", outputs: [{ name: "p", shape: [2, 3], datatype: "FP32", data }] });
    const a = parseModelAnswer(body([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]]), "v2");
    const b = parseModelAnswer(body([[0.1, 0.25, 0.65], [0.2, 0.3, 0.5]]), "v2");
    assert.ok(a !== undefined && b !== undefined);
    assert.deepEqual(compareAnswers(a, b, LABEL), { comparable: true, rows: 2, agreeingRows: 1 });
    const close = compareAnswers(a, b, numeric(0.05));
    assert.equal(close.comparable && close.agreeingRows, 1);
  });
});
