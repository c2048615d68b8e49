import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { toStructuralSchema, UnsupportedSchemaError } from "../../../src/api/structural.ts";

function fromZod(schema: z.ZodType) {
  return toStructuralSchema(z.toJSONSchema(schema, { target: "openapi-3.0", io: "input" }));
}

describe("toStructuralSchema", () => {
  it("drops $schema, title and propertyNames", () => {
    const out = toStructuralSchema({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      title: "T",
      type: "object",
      propertyNames: { type: "string" },
      additionalProperties: { type: "string" },
    });
    assert.deepEqual(out, { type: "object", additionalProperties: { type: "string" } });
  });

  it("removes additionalProperties: false next to properties (strict objects)", () => {
    const out = fromZod(z.strictObject({ a: z.string().max(3) }));
    assert.deepEqual(out, {
      type: "object",
      required: ["a"],
      properties: { a: { type: "string", maxLength: 3 } },
    });
  });

  it("turns free-form objects into x-kubernetes-preserve-unknown-fields", () => {
    assert.deepEqual(fromZod(z.record(z.string(), z.unknown())), {
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
    });
    assert.deepEqual(toStructuralSchema({ additionalProperties: true }), {
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
    });
  });

  it("keeps known properties of loose objects and preserves the rest", () => {
    const out = fromZod(z.looseObject({ a: z.string().max(3) }));
    assert.equal(out["x-kubernetes-preserve-unknown-fields"], true);
    assert.deepEqual(out.properties, { a: { type: "string", maxLength: 3 } });
    assert.equal(out.additionalProperties, undefined);
  });

  it("rewrites const as a one-value enum", () => {
    assert.deepEqual(toStructuralSchema({ type: "string", const: "v1" }), { type: "string", enum: ["v1"] });
  });

  it("renders an int-or-string union in the one anyOf shape the API server accepts", () => {
    const schema = z
      .union([z.int().min(0), z.string().max(8).regex(/^[0-9]+m?$/)])
      .meta({ "x-kubernetes-int-or-string": true })
      .describe("q");
    assert.deepEqual(fromZod(schema), {
      description: "q",
      minimum: 0,
      maxLength: 8,
      pattern: "^[0-9]+m?$",
      anyOf: [{ type: "integer" }, { type: "string" }],
      "x-kubernetes-int-or-string": true,
    });
  });

  it("turns nullable forms into nullable: true", () => {
    assert.deepEqual(toStructuralSchema({ type: ["string", "null"], maxLength: 2 }), {
      type: "string",
      nullable: true,
      maxLength: 2,
    });
    assert.deepEqual(toStructuralSchema({ anyOf: [{ type: "integer" }, { type: "null" }] }), {
      type: "integer",
      nullable: true,
    });
    assert.deepEqual(fromZod(z.string().max(2).nullable()), { type: "string", nullable: true, maxLength: 2 });
  });

  it("converts numeric exclusive bounds to OpenAPI v3 booleans", () => {
    assert.deepEqual(toStructuralSchema({ type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 }), {
      type: "number",
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 1,
      exclusiveMaximum: true,
    });
    assert.deepEqual(fromZod(z.number().gt(0)), { type: "number", minimum: 0, exclusiveMinimum: true });
  });

  it("drops the int64-wide bounds zod puts on every integer", () => {
    assert.deepEqual(fromZod(z.int()), { type: "integer" });
    assert.deepEqual(fromZod(z.int().min(1)), { type: "integer", minimum: 1 });
  });

  it("drops zod's pattern on date-time strings: the API server checks the format", () => {
    assert.deepEqual(fromZod(z.iso.datetime()), { type: "string", format: "date-time" });
  });

  it("carries descriptions, defaults, list types and CEL rules from zod metadata", () => {
    const schema = z
      .array(z.strictObject({ name: z.string().max(5).default("x") }))
      .max(2)
      .meta({
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["name"],
        "x-kubernetes-validations": [{ rule: "size(self) > 0", message: "m" }],
      })
      .describe("d");
    assert.deepEqual(fromZod(schema), {
      description: "d",
      type: "array",
      maxItems: 2,
      items: { type: "object", properties: { name: { type: "string", default: "x", maxLength: 5 } } },
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["name"],
      "x-kubernetes-validations": [{ rule: "size(self) > 0", message: "m" }],
    });
  });

  it("orders keywords canonically, whatever order they came in", () => {
    const out = toStructuralSchema({ maxLength: 3, type: "string", description: "d" });
    assert.deepEqual(Object.keys(out), ["description", "type", "maxLength"]);
  });

  it("rejects constructs with no structural form, naming where they are", () => {
    assert.throws(
      () => fromZod(z.object({ a: z.union([z.string(), z.boolean()]) })),
      (error: unknown) => error instanceof UnsupportedSchemaError && error.path === ".a",
    );
    assert.throws(() => toStructuralSchema({ $ref: "#/$defs/x" }), /unsupported keyword\(s\) \$ref/);
    assert.throws(() => toStructuralSchema({ type: "array", items: [{ type: "string" }] }), /tuples/);
    assert.throws(
      () => toStructuralSchema({ type: "object", properties: {}, additionalProperties: { type: "string" } }),
      /mutually exclusive/,
    );
    assert.throws(() => toStructuralSchema({ type: ["string", "integer"] }), /one type/);
  });

  it("does not modify its input", () => {
    const input = { type: "object", additionalProperties: false, properties: { a: { type: "string", const: "x" } } };
    const copy = structuredClone(input);
    toStructuralSchema(input);
    assert.deepEqual(input, copy);
  });
});
