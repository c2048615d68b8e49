import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CsvRowDecoder, JsonRowDecoder } from "../../../src/batch/features.ts";

describe("JsonRowDecoder", () => {
  it("takes arrays of numbers; the first good row fixes the width", () => {
    const d = new JsonRowDecoder(undefined);
    assert.deepEqual(d.decode("[1, 2.5, 3]", 0), { ok: true, row: 0, id: 0, features: [1, 2.5, 3], json: "1, 2.5, 3" });
    assert.deepEqual(d.decode("[1, 2]", 1), { ok: false, row: 1, id: 1, error: "2 features, the first row has 3" });
    assert.deepEqual(d.decode('[1, "2", 3]', 2), { ok: false, row: 2, id: 2, error: "element 1 is not a number" });
    assert.equal(d.decode("[4, 5, 6]", 3).ok, true);
  });
  it("takes objects in the first good row's key order, the id field aside", () => {
    const d = new JsonRowDecoder("id");
    assert.deepEqual(d.decode('{"id": "a", "x": 1, "y": 2}', 0), { ok: true, row: 0, id: "a", features: [1, 2] });
    assert.deepEqual(d.decode('{"y": 4, "x": 3, "id": 7}', 1), { ok: true, row: 1, id: 7, features: [3, 4] });
    assert.deepEqual(d.decode('{"x": 3, "z": 4}', 2), { ok: false, row: 2, id: 2, error: 'feature "y" is missing' });
    assert.deepEqual(d.decode('{"id": "b", "x": 3}', 3), { ok: false, row: 3, id: "b", error: "1 features, the first row has 2" });
    assert.deepEqual(d.decode('{"id": "c", "x": 3, "y": null}', 4), { ok: false, row: 4, id: "c", error: 'feature "y" is not a number' });
    assert.deepEqual(d.decode("[1, 2]", 5), { ok: false, row: 5, id: 5, error: "expected a JSON object like the first row" });
  });
  it("reports bad JSON and non-container values with the row number as id", () => {
    const d = new JsonRowDecoder("id");
    const bad = d.decode('{"x": 1,', 9);
    assert.equal(bad.ok, false);
    assert.equal(bad.id, 9);
    assert.match(!bad.ok ? bad.error : "", /^invalid JSON/);
    assert.deepEqual(d.decode("42", 10), { ok: false, row: 10, id: 10, error: "expected a JSON object or array" });
    assert.deepEqual(d.decode("[]", 11), { ok: false, row: 11, id: 11, error: "no features" });
  });
});

describe("CsvRowDecoder", () => {
  it("turns every column but the id column into numbers", () => {
    const d = new CsvRowDecoder(["id", "a", "b"], "id");
    assert.deepEqual(d.features, ["a", "b"]);
    assert.deepEqual(d.decode(["r1", "1.5", " -2e3 "], 0), { ok: true, row: 0, id: "r1", features: [1.5, -2000] });
    assert.deepEqual(d.decode(["", "1", "2"], 1), { ok: true, row: 1, id: 1, features: [1, 2] });
  });
  it("rejects a wrong cell count, an empty cell and a non-number", () => {
    const d = new CsvRowDecoder(["a", "b"], undefined);
    assert.deepEqual(d.decode(["1"], 0), { ok: false, row: 0, id: 0, error: "1 cells, the header has 2" });
    assert.deepEqual(d.decode(["1", ""], 1), { ok: false, row: 1, id: 1, error: 'column "b" is empty' });
    assert.deepEqual(d.decode(["x", "2"], 2), { ok: false, row: 2, id: 2, error: 'column "a" is not a number: "x"' });
  });
});
