import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { schemaViolations } from "../../../src/api/structural-check.ts";
import type { StructuralSchema } from "../../../src/api/structural.ts";

function problems(schema: StructuralSchema): string[] {
  return schemaViolations(schema).map((v) => `${v.path}: ${v.problem}`);
}

describe("schemaViolations", () => {
  it("accepts a described, bounded, structural schema", () => {
    assert.deepEqual(
      problems({
        type: "object",
        properties: {
          name: { description: "n", type: "string", maxLength: 10 },
          tags: { description: "t", type: "array", maxItems: 2, items: { type: "string", maxLength: 3 }, "x-kubernetes-list-type": "set" },
          size: { description: "s", anyOf: [{ type: "integer" }, { type: "string" }], "x-kubernetes-int-or-string": true, maxLength: 8 },
          labels: { description: "l", type: "object", maxProperties: 4, additionalProperties: { type: "string", maxLength: 5 } },
        },
      }),
      [],
    );
  });

  it("reports missing types, descriptions and bounds by path", () => {
    assert.deepEqual(
      problems({
        type: "object",
        properties: {
          a: { type: "string" },
          b: { description: "b" },
          c: { description: "c", type: "array", items: { type: "integer" } },
          d: { description: "d", type: "object", additionalProperties: { type: "integer" } },
        },
      }),
      [
        ".a: description is missing",
        ".a: string without maxLength: CEL cost and request size are unbounded",
        ".b: type is missing",
        ".c: array without maxItems: CEL cost is unbounded",
        ".d: map without maxProperties: CEL cost is unbounded",
      ],
    );
  });

  it("allows anyOf only in the int-or-string form", () => {
    assert.deepEqual(problems({ type: "string", maxLength: 1, anyOf: [{ type: "string" }] }), [
      "<root>: anyOf is only allowed in the int-or-string form",
    ]);
  });

  it("checks list-map keys exist and are required or defaulted", () => {
    const items: StructuralSchema = { type: "object", properties: { name: { description: "n", type: "string", maxLength: 3 } } };
    assert.deepEqual(
      problems({ type: "array", maxItems: 1, items, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name", "id"] }),
      ["<root>: list map key name must be required or defaulted", "<root>: list map key id is not a property of the items"],
    );
  });

  it("requires sets to hold scalars", () => {
    assert.deepEqual(
      problems({ type: "array", maxItems: 1, items: { type: "object" }, "x-kubernetes-list-type": "set" }),
      ["<root>: a set list must hold scalars"],
    );
  });
});
