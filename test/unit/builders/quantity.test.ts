import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalQuantity } from "../../../src/controllers/modeldeployment/builders/quantity.ts";

// Expected values are what the API server stores (resource.Quantity.String()).
const CASES: [string | number, string][] = [
  [2, "2"], ["2", "2"], ["0", "0"], ["0.5", "500m"], ["1.5", "1500m"], ["1000m", "1"], ["250m", "250m"],
  ["100m", "100m"], ["2000", "2k"], ["10", "10"], ["1e3", "1e3"], ["1.5e3", "1500"], ["1G", "1G"],
  ["1000M", "1G"], ["1Gi", "1Gi"], ["1024Mi", "1Gi"], ["1.5Gi", "1536Mi"], ["0.5Gi", "512Mi"], ["512Mi", "512Mi"],
  ["512", "512"], ["1Ki", "1Ki"], ["0.5Ki", "512"], [1073741824, "1073741824"], ["0.1n", "1n"], ["12.", "12"],
];

describe("canonicalQuantity", () => {
  for (const [input, expected] of CASES) {
    it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(canonicalQuantity(input), expected));
  }
  it("returns text it cannot parse unchanged", () => assert.equal(canonicalQuantity("lots"), "lots"));
});
