import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDuration } from "../../../src/api/duration.ts";
import { compareQuantities, parseQuantity } from "../../../src/api/quantity.ts";

describe("parseDuration", () => {
  it("reads Go-style durations in milliseconds", () => {
    assert.equal(parseDuration("500ms"), 500);
    assert.equal(parseDuration("30s"), 30_000);
    assert.equal(parseDuration("1m"), 60_000);
    assert.equal(parseDuration("1h30m"), 5_400_000);
    assert.equal(parseDuration("1.5h"), 5_400_000);
    assert.equal(parseDuration("0s"), 0);
  });

  it("refuses anything else", () => {
    for (const text of ["", "30", "1d", "5 minutes", "-1s", "1h 30m", "s"]) assert.equal(parseDuration(text), undefined, text);
  });
});

describe("parseQuantity", () => {
  it("reads decimal, binary and exponent suffixes", () => {
    assert.equal(parseQuantity("500m"), 0.5);
    assert.equal(parseQuantity("2"), 2);
    assert.equal(parseQuantity(3), 3);
    assert.equal(parseQuantity("1Ki"), 1024);
    assert.equal(parseQuantity("1.5Gi"), 1.5 * 2 ** 30);
    assert.equal(parseQuantity("2k"), 2000);
    assert.equal(parseQuantity("1e3"), 1000);
    assert.equal(parseQuantity(".5"), 0.5);
  });

  it("refuses anything else", () => {
    for (const text of ["", "two", "1KB", "-1", "1.2.3", "Mi"]) assert.equal(parseQuantity(text), undefined, text);
    assert.equal(parseQuantity(-1), undefined);
  });

  it("compares across notations like CEL's quantity().compareTo()", () => {
    assert.equal(compareQuantities("500m", "1"), -1);
    assert.equal(compareQuantities("1Gi", "1024Mi"), 0);
    assert.equal(compareQuantities("1G", "1Gi"), -1);
    assert.equal(compareQuantities(2, "1500m"), 1);
    assert.equal(compareQuantities("x", "1"), undefined);
  });
});
