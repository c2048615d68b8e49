// Post-processing of zod's JSON Schema into a structural OpenAPI v3 schema, the form a
// CustomResourceDefinition requires (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema).
import type { CelValidation } from "./rules.ts";

/** A JSON Schema node as z.toJSONSchema emits it. */
export type JsonSchema = { readonly [key: string]: unknown };

export type SchemaType = "object" | "array" | "string" | "integer" | "number" | "boolean";

/** A node of a structural schema: only the keywords apiextensions.k8s.io/v1 JSONSchemaProps has. */
export interface StructuralSchema {
  description?: string;
  type?: SchemaType;
  format?: string;
  nullable?: boolean;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  exclusiveMinimum?: boolean;
  maximum?: number;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  required?: string[];
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema;
  items?: StructuralSchema;
  anyOf?: StructuralSchema[];
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: "atomic" | "granular";
  "x-kubernetes-validations"?: CelValidation[];
}

/** Canonical keyword order: deterministic output that reads from what a field is to its rules. */
export const KEYWORD_ORDER: readonly (keyof StructuralSchema)[] = [
  "description", "type", "format", "nullable", "default", "enum",
  "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf",
  "minLength", "maxLength", "pattern", "minItems", "maxItems", "minProperties", "maxProperties",
  "required", "properties", "additionalProperties", "items", "anyOf",
  "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
  "x-kubernetes-validations",
];

const KNOWN_KEYWORDS = new Set<string>(KEYWORD_ORDER);

/** A schema construct that has no structural equivalent; `path` locates it (".spec.model"). */
export class UnsupportedSchemaError extends Error {
  override readonly name = "UnsupportedSchemaError";
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`${path === "" ? "<root>" : path}: ${reason}`);
    this.path = path;
  }
}

/** Keywords with no meaning for the API server; dropped. propertyNames: key rules cannot be expressed. */
const DROPPED = new Set(["$schema", "$id", "id", "title", "examples", "$comment", "readOnly", "writeOnly", "propertyNames"]);
const JSON_TYPES = new Set<string>(["object", "array", "string", "integer", "number", "boolean"]);
const SAFE = Number.MAX_SAFE_INTEGER;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Normalises the type keyword: ["string", "null"] becomes type string plus nullable. */
function normaliseType(node: Record<string, unknown>, path: string): void {
  const type = node.type;
  if (!Array.isArray(type)) return;
  const nonNull = type.filter((t) => t !== "null");
  if (nonNull.length !== 1) throw new UnsupportedSchemaError(path, `a field must have one type, got ${JSON.stringify(type)}`);
  node.type = nonNull[0];
  if (nonNull.length !== type.length) node.nullable = true;
}

/** Rewrites anyOf: int-or-string into the one shape the API server accepts, X-or-null into nullable X. */
function normaliseAnyOf(node: Record<string, unknown>, path: string): void {
  const branches = node.anyOf;
  if (branches === undefined) return;
  if (!Array.isArray(branches) || !branches.every(isRecord)) throw new UnsupportedSchemaError(path, "anyOf must list schemas");
  delete node.anyOf;
  if (node["x-kubernetes-int-or-string"] === true) {
    const types = branches.map((b) => b.type).sort();
    if (types.join() !== "integer,string") {
      throw new UnsupportedSchemaError(path, "x-kubernetes-int-or-string needs exactly an integer and a string branch");
    }
    for (const branch of branches) {
      for (const [key, value] of Object.entries(branch)) if (key !== "type") node[key] = value;
    }
    delete node.type;
    node.anyOf = [{ type: "integer" }, { type: "string" }];
    return;
  }
  const nonNull = branches.filter((b) => b.type !== "null");
  if (nonNull.length === 1 && branches.length === 2) {
    Object.assign(node, nonNull[0], { nullable: true });
    return;
  }
  throw new UnsupportedSchemaError(path, "unions are not structural: use int-or-string, an enum or optional fields");
}

/** Draft 2020-12 numeric exclusive bounds become OpenAPI v3 boolean ones; int64-wide bounds go. */
function normaliseBounds(node: Record<string, unknown>): void {
  for (const [exclusive, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
    if (typeof node[exclusive] === "number") {
      node[bound] = node[exclusive];
      node[exclusive] = true;
    }
  }
  if (node.minimum === -SAFE) delete node.minimum;
  if (node.maximum === SAFE) delete node.maximum;
}

/** Converts one node and, recursively, its children. Throws UnsupportedSchemaError. */
export function toStructuralSchema(input: JsonSchema, path = ""): StructuralSchema {
  const node: Record<string, unknown> = { ...input };
  for (const key of DROPPED) delete node[key];
  if ("const" in node) {
    node.enum = [node.const];
    delete node.const;
  }
  normaliseType(node, path);
  normaliseAnyOf(node, path);
  normaliseBounds(node);
  if (node.format === "date-time") delete node.pattern; // the API server checks the format itself
  if (Array.isArray(node.required) && node.required.length === 0) delete node.required;

  const additional = node.additionalProperties;
  if (additional === false) delete node.additionalProperties;
  else if (additional === true || (isRecord(additional) && Object.keys(additional).length === 0)) {
    delete node.additionalProperties;
    node["x-kubernetes-preserve-unknown-fields"] = true;
  }
  if (node["x-kubernetes-preserve-unknown-fields"] === true && node.type === undefined) node.type = "object";
  if (isRecord(node.additionalProperties) && node.properties !== undefined) {
    throw new UnsupportedSchemaError(path, "properties and additionalProperties are mutually exclusive");
  }
  if (node.type !== undefined && (typeof node.type !== "string" || !JSON_TYPES.has(node.type))) {
    throw new UnsupportedSchemaError(path, `unsupported type ${JSON.stringify(node.type)}`);
  }

  const out: Record<string, unknown> = {};
  for (const key of KEYWORD_ORDER) {
    const value = node[key];
    if (value === undefined) continue;
    if (key === "properties") {
      if (!isRecord(value)) throw new UnsupportedSchemaError(path, "properties must be an object");
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, convertChild(child, `${path}.${name}`)]),
      );
    } else if (key === "items") out.items = convertChild(value, `${path}[]`);
    else if (key === "additionalProperties") out.additionalProperties = convertChild(value, `${path}{}`);
    else out[key] = value;
  }
  const unsupported = Object.keys(node).filter((key) => !KNOWN_KEYWORDS.has(key));
  if (unsupported.length > 0) {
    throw new UnsupportedSchemaError(path, `unsupported keyword(s) ${unsupported.join(", ")}`);
  }
  return out;
}

function convertChild(child: unknown, path: string): StructuralSchema {
  if (!isRecord(child)) throw new UnsupportedSchemaError(path, "a schema must be an object (tuples are not structural)");
  return toStructuralSchema(child, path);
}
