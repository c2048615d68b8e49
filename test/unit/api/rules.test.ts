import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { celString, fieldPathSegments, withRules } from "../../../src/api/rules.ts";

const Range = withRules(z.object({ lo: z.int(), hi: z.int() }).describe("A range."), [
  {
    cel: "self.lo <= self.hi",
    holds: (self) => self.lo <= self.hi,
    message: "lo must be less than or equal to hi",
    fieldPath: ".lo",
  },
]);

describe("withRules", () => {
  it("enforces the rule at runtime, reporting at the fieldPath", () => {
    assert.ok(Range.safeParse({ lo: 1, hi: 2 }).success);
    const result = Range.safeParse({ lo: 3, hi: 2 });
    assert.ok(!result.success);
    assert.deepEqual(
      result.error.issues.map((i) => [i.path, i.message]),
      [[["lo"], "lo must be less than or equal to hi"]],
    );
  });

  it("emits the same rule as x-kubernetes-validations, keeping the description", () => {
    const json = z.toJSONSchema(Range, { target: "openapi-3.0" });
    assert.equal(json.description, "A range.");
    assert.deepEqual(json["x-kubernetes-validations"], [
      { rule: "self.lo <= self.hi", message: "lo must be less than or equal to hi", fieldPath: ".lo" },
    ]);
  });

  it("does not run the twin on values of the wrong shape", () => {
    const result = Range.safeParse({ lo: "a", hi: 2 });
    assert.ok(!result.success);
    assert.equal(result.error.issues.length, 1);
  });

  it("refuses fieldPaths it cannot mirror", () => {
    assert.throws(() => withRules(z.object({}), [{ cel: "true", holds: () => true, message: "m", fieldPath: "a[0]" }]));
    assert.deepEqual(fieldPathSegments(".a.b"), ["a", "b"]);
    assert.deepEqual(fieldPathSegments(undefined), []);
  });
});

describe("celString", () => {
  it("quotes text as a CEL string literal", () => {
    assert.equal(celString("a.b"), "'a.b'");
    assert.equal(celString("it's"), "'it\\'s'");
    assert.equal(celString("\\d"), "'\\\\d'");
  });
});
