// Validation of configuration-like documents with zod, failing with the caller's typed error.
import { z } from "zod";

/** Builds the caller's error type; `cause` is the zod or JSON error. */
export type ErrorFactory = (message: string, cause: unknown) => Error;

/** `value` validated by `schema`, or a `fail` error saying "Invalid <what>: …" with each issue. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string, fail: ErrorFactory): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fail(`Invalid ${what}: ${z.prettifyError(result.error)}`, result.error);
  return result.data;
}

/** The two ways a document arrives: already parsed, or as JSON text. Both throw `fail` errors. */
export interface DocumentParsers<T> {
  readonly validate: (value: unknown) => T;
  readonly parse: (text: string) => T;
}

/** `parseWith` and `parseJsonWith` bound to one schema, name and error type. */
export function documentParsers<S extends z.ZodType>(schema: S, what: string, fail: ErrorFactory): DocumentParsers<z.output<S>> {
  return {
    validate: (value) => parseWith(schema, value, what, fail),
    parse: (text) => parseJsonWith(schema, text, what, fail),
  };
}

/** `text` parsed as JSON, then validated as in `parseWith`. */
export function parseJsonWith<S extends z.ZodType>(schema: S, text: string, what: string, fail: ErrorFactory): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail(`Invalid ${what}: not valid JSON`, error);
  }
  return parseWith(schema, value, what, fail);
}
