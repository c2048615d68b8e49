import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseModelAnswer, type ModelAnswer } from "../../../src/agent/answers/model-answer.ts";
import { predictionsOf } from "../../../src/agent/answers/predictions.ts";

const json = (value: unknown): string => JSON.stringify(value);
const v2 = (...outputs: unknown[]): string => json({ model_name: "m", id: "1", outputs });

describe("parseModelAnswer: Open Inference Protocol v2", () => {
  it("reads each output tensor: name, shape, datatype and flat values", () => {
    const body = Buffer.from(v2({ name: "probs", shape: [2, 2], datatype: "FP32", data: [0.1, 0.9, 0.8, 0.2] }, { name: "label", shape: [2], datatype: "INT64", data: [1, 0] }));
    assert.deepEqual(parseModelAnswer(body, "v2"), {
      kind: "tensors",
      tensors: [
        { name: "probs", shape: [2, 2], datatype: "FP32", values: [0.1, 0.9, 0.8, 0.2] },
        { name: "label", shape: [2], datatype: "INT64", values: [1, 0] },
      ],
    });
  });

  it("flattens nested data in row-major order", () => {
    const answer = parseModelAnswer(v2({ name: "y", shape: [2, 2, 1], datatype: "FP64", data: [[[1], [2]], [[3], [4]]] }), "v2");
    assert.deepEqual(answer, { kind: "tensors", tensors: [{ name: "y", shape: [2, 2, 1], datatype: "FP64", values: [1, 2, 3, 4] }] });
  });

  it("keeps strings (BYTES), booleans and null (NaN written by orjson)", () => {
    const answer = parseModelAnswer(v2({ name: "s", shape: [2], datatype: "BYTES", data: ["cat", "dog"] }, { name: "b", shape: [2], datatype: "BOOL", data: [true, false] }, { name: "n", shape: [1], datatype: "FP32", data: [null] }), "v2");
    assert.equal(answer?.kind, "tensors");
    assert.deepEqual(answer.kind === "tensors" && answer.tensors.map((t) => t.values), [["cat", "dog"], [true, false], [null]]);
  });

  it("reads the NaN and Infinity Python writes, but not inside strings", () => {
    const answer = parseModelAnswer('{"outputs":[{"name":"y","shape":[3],"datatype":"FP64","data":[NaN, Infinity, -Infinity]}],"note":"NaN, Infinity"}', "v2");
    assert.ok(answer?.kind === "tensors");
    assert.deepEqual(answer.tensors[0]?.values, [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    assert.deepEqual(parseModelAnswer('{"predictions":["NaN", NaN, "-Infinity"]}', "v1"), { kind: "predictions", rows: ["NaN", Number.NaN, "-Infinity"] });
  });

  it("takes a missing shape as one dimension and a missing datatype as empty", () => {
    assert.deepEqual(parseModelAnswer(v2({ name: "y", data: [1, 2, 3] }), "v2"), { kind: "tensors", tensors: [{ name: "y", shape: [3], datatype: "", values: [1, 2, 3] }] });
  });

  it("rejects malformed tensors rather than guessing", () => {
    for (const output of [
      { name: "y", shape: [3], data: [1, 2] }, // shape does not match the data
      { name: "y", shape: [-1], data: [] },
      { name: "y", shape: "2", data: [1, 2] },
      { shape: [1], data: [1] }, // no name
      { name: "y", shape: [1], data: [{ a: 1 }] },
    ]) {
      assert.equal(parseModelAnswer(v2(output), "v2"), undefined, json(output));
    }
    assert.equal(parseModelAnswer(v2({ name: "y", data: [1] }, { name: "y", data: [2] }), "v2"), undefined, "duplicate names");
    assert.equal(parseModelAnswer(json({ model_name: "m", outputs: [] }), "v2"), undefined, "no outputs");
  });
});

describe("parseModelAnswer: v1, TF Serving, MLflow and plain JSON", () => {
  it("reads {predictions:[…]} rows of scalars, arrays or objects", () => {
    for (const rows of [[1, 0, 2], [[0.1, 0.9], [0.7, 0.3]], [{ label: "cat", score: 0.9 }]]) {
      assert.deepEqual(parseModelAnswer(json({ predictions: rows }), "v1"), { kind: "predictions", rows });
    }
  });

  it("reads a bare array, and MLflow's non-list predictions", () => {
    assert.deepEqual(parseModelAnswer("[3, 4]", "v1"), { kind: "predictions", rows: [3, 4] });
    assert.deepEqual(parseModelAnswer(json({ predictions: 7 }), "v1"), { kind: "predictions", rows: [7] });
    assert.deepEqual(parseModelAnswer(json({ predictions: { a: [1, 2], b: ["x", "y"] } }), "v1"), { kind: "predictions", rows: [{ a: 1, b: "x" }, { a: 2, b: "y" }] });
    assert.deepEqual(parseModelAnswer(json({ predictions: { a: [1, 2], b: "x" } }), "v1"), { kind: "predictions", rows: [{ a: [1, 2], b: "x" }] });
  });

  it("reads TF Serving's columnar {outputs: …} as rows", () => {
    assert.deepEqual(parseModelAnswer(json({ outputs: [[1, 2], [3, 4]] }), "v1"), { kind: "predictions", rows: [[1, 2], [3, 4]] });
    assert.deepEqual(parseModelAnswer(json({ outputs: { scores: [0.5, 0.7] } }), "v1"), { kind: "predictions", rows: [{ scores: 0.5 }, { scores: 0.7 }] });
    assert.deepEqual(parseModelAnswer(json({ outputs: 5 }), "v1"), { kind: "predictions", rows: [5] });
  });

  it("reads v2 shapes under v1 and v1 shapes under v2, but no OpenAI shapes under either", () => {
    assert.equal(parseModelAnswer(v2({ name: "y", data: [1] }), "v1")?.kind, "tensors");
    assert.equal(parseModelAnswer(json({ predictions: [1] }), "v2")?.kind, "predictions");
    assert.equal(parseModelAnswer(json({ choices: [{ text: "hi" }] }), "v2"), undefined);
    assert.equal(parseModelAnswer(json({ predictions: [1] }), "openai"), undefined);
  });
});

describe("parseModelAnswer: OpenAI-compatible", () => {
  it("reads chat completions, keeping the whole choice", () => {
    const choice = { index: 0, message: { role: "assistant", content: "Paris" }, finish_reason: "stop" };
    assert.deepEqual(parseModelAnswer(json({ id: "c", object: "chat.completion", choices: [choice] }), "openai"), { kind: "openai", choices: [{ text: "Paris", choice }] });
  });

  it("gives a message without string content (tool calls) null text", () => {
    const choice = { index: 0, message: { role: "assistant", content: null, tool_calls: [{ id: "t" }] }, finish_reason: "tool_calls" };
    assert.deepEqual(parseModelAnswer(json({ choices: [choice] }), "openai"), { kind: "openai", choices: [{ text: null, choice }] });
  });

  it("reads legacy completions and embeddings", () => {
    const answer = parseModelAnswer(json({ choices: [{ text: "a", index: 0 }, { text: "b", index: 1 }] }), "openai");
    assert.deepEqual(answer?.kind === "openai" && answer.choices.map((c) => c.text), ["a", "b"]);
    assert.deepEqual(parseModelAnswer(json({ object: "list", data: [{ object: "embedding", index: 0, embedding: [0.5, -1] }] }), "openai"), { kind: "openai", choices: [], embeddings: [[0.5, -1]] });
  });

  it("gives undefined for streaming bodies, stream chunks and base64 embeddings", () => {
    assert.equal(parseModelAnswer('data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n', "openai"), undefined);
    assert.equal(parseModelAnswer(json({ object: "chat.completion.chunk", choices: [{ delta: { content: "Hi" } }] }), "openai"), undefined);
    assert.equal(parseModelAnswer(json({ data: [{ embedding: "AAAA" }] }), "openai"), undefined);
  });

  it("reads every shape under raw", () => {
    assert.equal(parseModelAnswer(json({ choices: [{ text: "a" }] }), "raw")?.kind, "openai");
    assert.equal(parseModelAnswer(json({ predictions: [1] }), "raw")?.kind, "predictions");
    assert.equal(parseModelAnswer(v2({ name: "y", data: [1] }), "raw")?.kind, "tensors");
  });
});

describe("parseModelAnswer: garbage", () => {
  it("gives undefined, never throws", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const bodies = ["", "not json", "{", "null", "42", '"text"', "true", json({ error: "model not loaded" }), json({ predictions: null }), json({ outputs: null }),
      json({ choices: "x" }), json({ choices: [1] }), json({ data: [{ embedding: [1, "x"] }] }), deep, `{"predictions":${deep}}`, v2({ name: "y", data: JSON.parse("[".repeat(40) + "1" + "]".repeat(40)) as unknown }),
      Buffer.from([0xff, 0xfe, 0x00])];
    for (const body of bodies) {
      for (const protocol of ["v2", "v1", "openai", "raw"] as const) {
        assert.equal(parseModelAnswer(body, protocol), undefined, `${protocol}: ${String(body).slice(0, 40)}`);
      }
    }
  });

  it("accepts nesting up to 32 levels, not one more", () => {
    const nested = (depth: number): string => `{"predictions":${"[".repeat(depth - 1)}1${"]".repeat(depth - 1)}}`;
    assert.equal(parseModelAnswer(nested(32), "v1")?.kind, "predictions");
    assert.equal(parseModelAnswer(nested(33), "v1"), undefined);
  });
});

describe("predictionsOf", () => {
  const tensor = (shape: number[], values: (number | string | boolean | null)[]): ModelAnswer => ({ kind: "tensors", tensors: [{ name: "y", shape, datatype: "FP32", values }, { name: "z", shape: [1], datatype: "FP32", values: [9] }] });

  it("gives the first tensor's values when it has one per row: shape [n], [n,1] or []", () => {
    assert.deepEqual(predictionsOf(tensor([3], [1, 0, 2])), [1, 0, 2]);
    assert.deepEqual(predictionsOf(tensor([2, 1], ["cat", "dog"])), ["cat", "dog"]);
    assert.deepEqual(predictionsOf(tensor([], [4.5])), [4.5]);
  });

  it("reads booleans as 1/0 and null as NaN", () => {
    assert.deepEqual(predictionsOf(tensor([3], [true, false, null])), [1, 0, Number.NaN]);
  });

  it("gives the argmax of [n,k] scores (the first on ties; NaN for a row holding NaN)", () => {
    assert.deepEqual(predictionsOf(tensor([4, 3], [0.1, 0.7, 0.2, 0.5, 0.3, 0.2, 0.4, 0.4, 0.2, 0.1, Number.NaN, 0.9])), [1, 0, 0, Number.NaN]);
  });

  it("gives undefined for rank 3, non-numeric [n,k] and no tensors", () => {
    assert.equal(predictionsOf(tensor([1, 2, 2], [1, 2, 3, 4])), undefined);
    assert.equal(predictionsOf(tensor([1, 2], ["a", "b"])), undefined);
    assert.equal(predictionsOf({ kind: "tensors", tensors: [] }), undefined);
  });

  it("reads v1 rows: scalars, one-element arrays, argmax of score arrays; not objects", () => {
    assert.deepEqual(predictionsOf({ kind: "predictions", rows: [2, "b", [7], [0.2, 0.8], false] }), [2, "b", 7, 1, 0]);
    assert.equal(predictionsOf({ kind: "predictions", rows: [1, { label: "a" }] }), undefined);
    assert.equal(predictionsOf({ kind: "predictions", rows: [[[1, 2]]] }), undefined);
    assert.equal(predictionsOf({ kind: "predictions", rows: [[]] }), undefined);
  });

  it("reads OpenAI choice texts, not embeddings or tool calls", () => {
    assert.deepEqual(predictionsOf({ kind: "openai", choices: [{ text: "yes", choice: {} }, { text: "no", choice: {} }] }), ["yes", "no"]);
    assert.equal(predictionsOf({ kind: "openai", choices: [{ text: null, choice: {} }] }), undefined);
    assert.equal(predictionsOf({ kind: "openai", choices: [], embeddings: [[1]] }), undefined);
  });
});
