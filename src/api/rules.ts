// Validation rules written once and enforced twice: by the API server at admission (as CEL in
// x-kubernetes-validations) and by parseModelDeployment at runtime (as a zod refinement).
import type { z } from "zod";

/** Error reasons the API server accepts for a failed x-kubernetes-validations rule. */
export type RuleReason =
  | "FieldValueInvalid"
  | "FieldValueForbidden"
  | "FieldValueRequired"
  | "FieldValueDuplicate";

/**
 * One rule with two evaluators. Contract: `cel` and `holds` accept exactly the same values.
 * Both are attached to the same schema node, so `self` (CEL) and the argument of `holds` are the
 * same value. The fixtures in test/fixtures/invalid-specs.ts hold both sides to one list.
 */
export interface Rule<T> {
  /** CEL expression with `self` bound to the value; true means valid. */
  readonly cel: string;
  /** The TypeScript twin of `cel`; it only runs once the value has the schema's shape. */
  readonly holds: (self: T) => boolean;
  /** Shown to users by both sides; names the offending field by its full path and the rule. */
  readonly message: string;
  /**
   * Path of the offending field relative to the value, such as ".minReplicas"; the API server
   * then reports the error at that field. Only dotted field names are supported.
   */
  readonly fieldPath?: string;
  readonly reason?: RuleReason;
}

/** One entry of x-kubernetes-validations, as the CRD schema carries it. */
export interface CelValidation {
  rule: string;
  message: string;
  fieldPath?: string;
  reason?: RuleReason;
}

/** The CRD form of a rule. */
export function toCelValidation<T>(rule: Rule<T>): CelValidation {
  return {
    rule: rule.cel,
    message: rule.message,
    ...(rule.fieldPath === undefined ? {} : { fieldPath: rule.fieldPath }),
    ...(rule.reason === undefined ? {} : { reason: rule.reason }),
  };
}

/** Splits a rule's fieldPath (".a.b") into zod path segments (["a", "b"]). */
export function fieldPathSegments(fieldPath: string | undefined): string[] {
  if (fieldPath === undefined) return [];
  if (!/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(fieldPath)) {
    throw new Error(`unsupported rule fieldPath ${JSON.stringify(fieldPath)}: use ".field.field"`);
  }
  return fieldPath.slice(1).split(".");
}

/**
 * Attaches rules to a schema: a zod refinement for runtime parsing and the matching
 * x-kubernetes-validations metadata for CRD generation. Call it once per schema node, last,
 * after `.describe()`: a second call would replace the first call's CEL list.
 */
export function withRules<S extends z.ZodType>(schema: S, rules: readonly Rule<z.output<S>>[]): S {
  for (const rule of rules) fieldPathSegments(rule.fieldPath);
  return schema
    .superRefine((value, ctx) => {
      for (const rule of rules) {
        if (rule.holds(value)) continue;
        ctx.addIssue({
          code: "custom",
          message: rule.message,
          path: fieldPathSegments(rule.fieldPath),
          input: value,
        });
      }
    })
    .meta({ "x-kubernetes-validations": rules.map(toCelValidation) });
}

/** A CEL string literal holding `text` exactly (backslashes and quotes escaped). */
export function celString(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** A field tied to one value of a discriminating field, e.g. `steps` to `strategy: Canary`. */
export interface TiedField {
  /** Path of the object holding both fields, as users see it, e.g. "spec.rollout". */
  readonly path: string;
  readonly field: string;
  readonly discriminator: string;
  readonly value: string;
  /** Also require the field when the discriminator has the value (default: only forbid it otherwise). */
  readonly required?: boolean;
  /** Why it is forbidden otherwise, appended to that message. */
  readonly forbiddenBecause?: string;
}

/**
 * The rules of a tied field: required with its discriminator value (when `required`) and
 * forbidden with any other, so a setting the operator would ignore is an error at admission.
 */
export function tiedField<T extends object>(tie: TiedField): Rule<T>[] {
  const { path, field, discriminator: d, value } = tie;
  const get = (self: T, key: string): unknown => (self as Record<string, unknown>)[key];
  const forbidden: Rule<T> = {
    cel: `!has(self.${field}) || self.${d} == '${value}'`,
    holds: (self) => get(self, field) === undefined || get(self, d) === value,
    message: `${path}.${field} is only allowed when ${path}.${d} is ${value}` + (tie.forbiddenBecause ? `; ${tie.forbiddenBecause}` : ""),
    fieldPath: `.${field}`,
    reason: "FieldValueForbidden",
  };
  if (!tie.required) return [forbidden];
  const required: Rule<T> = {
    cel: `self.${d} != '${value}' || has(self.${field})`,
    holds: (self) => get(self, d) !== value || get(self, field) !== undefined,
    message: `${path}.${field} is required when ${path}.${d} is ${value}`,
    fieldPath: `.${field}`,
    reason: "FieldValueRequired",
  };
  return [required, forbidden];
}
