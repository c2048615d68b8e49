// Runtime validation of ModelDeployments and BatchPredictions: the same rules the API server applies at admission.
import type { z } from "zod";
import { BatchPrediction } from "./batchprediction.ts";
import { ModelDeployment } from "./modeldeployment.ts";

/** One problem with one field, the field named as the API server names it ("spec.steps[1].weight"). */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** A value that is not a valid ModelDeployment. `cause` is the underlying zod error. */
export class InvalidModelDeploymentError extends Error {
  override readonly name = "InvalidModelDeploymentError";
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[], options: { cause: z.ZodError; objectName?: string }) {
    const subject = options.objectName === undefined ? "ModelDeployment" : `ModelDeployment ${options.objectName}`;
    const details = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
    super(`${subject} is invalid: ${details}`, { cause: options.cause });
    this.issues = issues;
  }
}

export type ParseResult =
  | { readonly ok: true; readonly value: ModelDeployment }
  | { readonly ok: false; readonly error: InvalidModelDeploymentError };

/** Formats a zod issue path the way the API server prints field paths. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? String(segment) : `.${String(segment)}`;
  }
  return text === "" ? "<root>" : text;
}

/** One field issue per zod issue, except unknown fields: one per field, as the API server reports them. */
function toFieldIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ path: formatFieldPath([...issue.path, key]), message: "unknown field" }));
  }
  return [{ path: formatFieldPath(issue.path), message: issue.message }];
}

function objectName(obj: unknown): string | undefined {
  if (typeof obj !== "object" || obj === null || !("metadata" in obj)) return undefined;
  const metadata = obj.metadata;
  if (typeof metadata !== "object" || metadata === null) return undefined;
  const name = "name" in metadata && typeof metadata.name === "string" ? metadata.name : undefined;
  const namespace = "namespace" in metadata && typeof metadata.namespace === "string" ? metadata.namespace : undefined;
  if (name === undefined) return undefined;
  return namespace === undefined ? name : `${namespace}/${name}`;
}

/**
 * Validates `obj` as a ModelDeployment and applies the schema defaults. Never throws: an invalid
 * value yields an InvalidModelDeploymentError listing every problem found.
 */
export function parseModelDeployment(obj: unknown): ParseResult {
  const result = ModelDeployment.safeParse(obj);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.flatMap(toFieldIssues);
  const name = objectName(obj);
  return {
    ok: false,
    error: new InvalidModelDeploymentError(issues, {
      cause: result.error,
      ...(name === undefined ? {} : { objectName: name }),
    }),
  };
}

/** A value that is not a valid BatchPrediction. `cause` is the underlying zod error. */
export class InvalidBatchPredictionError extends Error {
  override readonly name = "InvalidBatchPredictionError";
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[], options: { cause: z.ZodError; objectName?: string }) {
    const subject = options.objectName === undefined ? "BatchPrediction" : `BatchPrediction ${options.objectName}`;
    super(`${subject} is invalid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`, { cause: options.cause });
    this.issues = issues;
  }
}

export type BatchParseResult =
  | { readonly ok: true; readonly value: BatchPrediction }
  | { readonly ok: false; readonly error: InvalidBatchPredictionError };

/** Validates `obj` as a BatchPrediction and applies the schema defaults. Never throws. */
export function parseBatchPrediction(obj: unknown): BatchParseResult {
  const result = BatchPrediction.safeParse(obj);
  if (result.success) return { ok: true, value: result.data };
  const name = objectName(obj);
  return {
    ok: false,
    error: new InvalidBatchPredictionError(result.error.issues.flatMap(toFieldIssues), { cause: result.error, ...(name === undefined ? {} : { objectName: name }) }),
  };
}
