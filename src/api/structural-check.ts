// Checks a finished CRD schema against the structural rules of the API server and against this
// project's policy (every field described; strings, lists and maps bounded so CEL costs stay low).
import type { StructuralSchema } from "./structural.ts";

/** A finding: the path of the node (".spec.model.uri") and what is wrong with it. */
export interface SchemaViolation {
  readonly path: string;
  readonly problem: string;
}

const SCALARS = new Set(["string", "integer", "number", "boolean"]);

function isIntOrString(node: StructuralSchema): boolean {
  const anyOf = node.anyOf;
  return (
    node["x-kubernetes-int-or-string"] === true &&
    node.type === undefined &&
    anyOf !== undefined &&
    anyOf.length === 2 &&
    anyOf[0]?.type === "integer" &&
    anyOf[1]?.type === "string" &&
    anyOf.every((branch) => Object.keys(branch).length === 1)
  );
}

function checkNode(node: StructuralSchema, path: string, described: boolean, out: SchemaViolation[]): void {
  const report = (problem: string) => out.push({ path: path === "" ? "<root>" : path, problem });
  const intOrString = isIntOrString(node);
  if (node.anyOf !== undefined && !intOrString) report("anyOf is only allowed in the int-or-string form");
  if (node.type === undefined && !intOrString) report("type is missing");
  if (described && (node.description === undefined || node.description.trim() === "")) report("description is missing");
  if (node.properties !== undefined && node.additionalProperties !== undefined) {
    report("properties and additionalProperties are mutually exclusive");
  }
  if (node.type === "string" && node.maxLength === undefined && node.enum === undefined && node.format !== "date-time") {
    report("string without maxLength: CEL cost and request size are unbounded");
  }
  if (node.type === "array") {
    if (node.items === undefined) report("array without items");
    if (node.maxItems === undefined) report("array without maxItems: CEL cost is unbounded");
  }
  if (node.additionalProperties !== undefined && node.maxProperties === undefined) {
    report("map without maxProperties: CEL cost is unbounded");
  }
  const listType = node["x-kubernetes-list-type"];
  if (listType === "set" && (node.items?.type === undefined || !SCALARS.has(node.items.type))) {
    report("a set list must hold scalars");
  }
  if (listType === "map") {
    const keys = node["x-kubernetes-list-map-keys"] ?? [];
    if (keys.length === 0) report("a map list needs x-kubernetes-list-map-keys");
    for (const key of keys) {
      const keySchema = node.items?.properties?.[key];
      if (keySchema === undefined) report(`list map key ${key} is not a property of the items`);
      else if (!(node.items?.required ?? []).includes(key) && keySchema.default === undefined) {
        report(`list map key ${key} must be required or defaulted`);
      }
    }
  }
  for (const rule of node["x-kubernetes-validations"] ?? []) {
    if (rule.rule.trim() === "" || rule.message.trim() === "") report("a validation rule needs a rule and a message");
  }
  for (const [name, child] of Object.entries(node.properties ?? {})) checkNode(child, `${path}.${name}`, true, out);
  if (node.items !== undefined) checkNode(node.items, `${path}[]`, false, out);
  if (node.additionalProperties !== undefined) checkNode(node.additionalProperties, `${path}{}`, false, out);
}

/**
 * Every violation in a schema meant for a CRD version; empty when it is structural and follows
 * the policy. Properties must be described; list items and map values inherit their list's.
 */
export function schemaViolations(schema: StructuralSchema): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  checkNode(schema, "", false, out);
  return out;
}
