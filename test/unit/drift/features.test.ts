import { strict as assert } from "node:assert";
import { test } from "node:test";
import { FeatureExtractor, type FeatureRef } from "../../../src/agent/features.ts";

// Baseline order differs from tensor order on purpose: rows follow the baseline's order.
const features: FeatureRef[] = [
  { name: "income", index: 2, kind: "numeric" },
  { name: "age", index: 0, kind: "numeric" },
  { name: "country", index: 1, kind: "categorical" },
];
const extractor = new FeatureExtractor(features);

test("v2: a 2-D tensor with flat data gives one row per tensor row, columns by index", () => {
  const body = { inputs: [{ name: "input-0", shape: [2, 3], datatype: "FP32", data: [30, 1, 5000, 40, 2, 7000] }] };
  assert.deepEqual(extractor.rows(body), [[5000, 30, "1"], [7000, 40, "2"]]);
});

test("v2: nested data, and a 1-D tensor as one row", () => {
  const nested = { inputs: [{ name: "x", shape: [2, 3], datatype: "FP64", data: [[30, 1, 5000], [40, 2, 7000]] }] };
  assert.deepEqual(extractor.rows(nested), [[5000, 30, "1"], [7000, 40, "2"]]);
  const single = { inputs: [{ name: "x", shape: [3], datatype: "FP64", data: [30, 1, 5000] }] };
  assert.deepEqual(extractor.rows(single), [[5000, 30, "1"]]);
});

test("v2: one input per feature, matched by name (n values each, shape [n] or [n, 1])", () => {
  const body = {
    inputs: [
      { name: "age", shape: [2, 1], datatype: "INT64", data: [[30], [40]] },
      { name: "country", shape: [2], datatype: "BYTES", data: ["de", "fr"] },
      { name: "unrelated", shape: [2], datatype: "FP32", data: [0, 0] },
    ],
    parameters: { content_type: "pd" },
  };
  assert.deepEqual(extractor.rows(body), [[undefined, 30, "de"], [undefined, 40, "fr"]]);
});

test("v1: instances as arrays (by index) or objects (by name); TF inputs rows and columns", () => {
  assert.deepEqual(extractor.rows({ instances: [[30, "de", 5000], [40, "fr", 7000]] }), [[5000, 30, "de"], [7000, 40, "fr"]]);
  assert.deepEqual(extractor.rows({ instances: [{ age: 30, country: "de", income: "5000" }] }), [[5000, 30, "de"]]);
  assert.deepEqual(extractor.rows({ inputs: [[30, "de", 5000]] }), [[5000, 30, "de"]]);
  assert.deepEqual(extractor.rows({ inputs: { age: [30, 40], country: ["de", "fr"] } }), [[undefined, 30, "de"], [undefined, 40, "fr"]]);
  assert.deepEqual(extractor.rows({ dataframe_split: { columns: ["country", "age"], data: [["de", 30]] } }), [[undefined, 30, "de"]]);
  assert.deepEqual(extractor.rows({ dataframe_records: [{ age: 30 }] }), [[undefined, 30, undefined]]);
});

test("plain JSON: object, array of objects, array of arrays, one array of scalars", () => {
  assert.deepEqual(extractor.rows({ age: 30, country: "de", income: 5000, extra: 1 }), [[5000, 30, "de"]]);
  assert.deepEqual(extractor.rows([{ age: 30 }, { income: 1 }]), [[undefined, 30, undefined], [1, undefined, undefined]]);
  assert.deepEqual(extractor.rows([[30, "de", 5000], [40]]), [[5000, 30, "de"], [undefined, 40, undefined]]);
  assert.deepEqual(extractor.rows([30, "de", 5000]), [[5000, 30, "de"]]);
  assert.deepEqual(extractor.rowsFromText('{"age": 30}'), [[undefined, 30, undefined]]);
});

test("values are converted to the feature's kind", () => {
  const rows = extractor.rows([{ age: true, income: " 12.5 ", country: 7 }, { age: "old", income: null, country: false }]);
  assert.deepEqual(rows, [[12.5, 1, "7"], [undefined, undefined, "false"]]);
});

test("odd bodies give no rows and never throw", () => {
  const odd: unknown[] = [
    null, 42, "text", true, [], {}, { inputs: [] }, { instances: "x" }, { inputs: [{ name: "x", data: "nope" }] },
    { model: "gpt", messages: [{ role: "user", content: "hi" }] }, { inputs: [{ name: "x", shape: [2, 0], data: [] }] },
    { dataframe_split: { columns: "a", data: 1 } }, { __proto__: { age: 1 } }, { constructor: 1 },
  ];
  for (const body of odd) assert.deepEqual(extractor.rows(body), [], JSON.stringify(body));
  let deep: unknown = [1];
  for (let i = 0; i < 50; i++) deep = [deep];
  assert.deepEqual(extractor.rows({ inputs: [{ name: "x", shape: [1, 3], data: deep }] }), []);
  assert.deepEqual(extractor.rowsFromText("{not json"), []);
  assert.deepEqual(extractor.rowsFromText(Buffer.from("{not json")), []);
});

test("a Buffer body is read as UTF-8; the openai protocol gives no rows", () => {
  assert.deepEqual(extractor.rowsFromText(Buffer.from('{"country": "españa"}'), "v1"), [[undefined, undefined, "españa"]]);
  assert.deepEqual(extractor.rowsFromText('{"age": 30}', "openai"), []);
  assert.deepEqual(extractor.rows({ age: 30 }, "openai"), []);
});

test("at most maxRows rows per body", () => {
  const small = new FeatureExtractor(features, { maxRows: 2 });
  const data = Array.from({ length: 30 }, (_, i) => i);
  assert.equal(small.rows({ inputs: [{ name: "x", shape: [10, 3], datatype: "FP32", data }] }).length, 2);
  assert.equal(small.rows({ instances: [[1], [2], [3]] }).length, 2);
  assert.equal(small.rows({ inputs: [{ name: "age", shape: [5], datatype: "FP32", data: [1, 2, 3, 4, 5] }] }).length, 2);
});
