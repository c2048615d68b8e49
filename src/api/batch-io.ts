// BatchPrediction.spec.input and .output: where the rows come from and where predictions go.
import { z } from "zod";
import { celString, withRules } from "./rules.ts";

/** Object stores `mdo batch run` reads and writes (src/batch/). */
export const BATCH_URI_SCHEMES = ["s3"] as const;
export const BATCH_INPUT_FORMATS = ["jsonl", "csv"] as const;
/** Formats of the part files (`mdo batch run --output-format`). */
export const BATCH_OUTPUT_FORMATS = ["jsonl", "csv"] as const;

const SCHEMES = BATCH_URI_SCHEMES.map((s) => `${s}://`).join(", ");
// Kept as strings: RegExp.source would escape every "/" in the CEL rules.
const OBJECT_URI = `^(${BATCH_URI_SCHEMES.join("|")})://[a-z0-9][-a-z0-9.]{1,61}[a-z0-9]/[^ ]*$`;
const PREFIX_URI = `^(${BATCH_URI_SCHEMES.join("|")})://[a-z0-9][-a-z0-9.]{1,61}[a-z0-9]/([^ ]*/)?$`;

function objectUri(pattern: string, description: string, message: string) {
  const regex = new RegExp(pattern);
  return withRules(z.string().min(6).max(2048).describe(description), [
    { cel: `self.matches(${celString(pattern)})`, holds: (self) => regex.test(self), message },
  ]);
}

export const BatchInputSpec = z
  .strictObject({
    uri: objectUri(
      OBJECT_URI,
      `The rows to score: one object, or every object under a prefix (a URI ending in /) whose name ends in .jsonl, .ndjson or .csv, in key order. Schemes: ${SCHEMES}.`,
      `must be ${SCHEMES}<bucket>/<key> or a prefix ending in /, without spaces`,
    ),
    format: z
      .enum(BATCH_INPUT_FORMATS)
      .optional()
      .describe("jsonl (one JSON object or array of numbers per line) or csv (a header row, numeric columns). Default: from the first object's extension."),
    idField: z
      .string()
      .min(1)
      .max(253)
      .optional()
      .describe("Field (JSON) or column (CSV) holding a row's id, copied to its prediction; not a feature. Default: the row number."),
  })
  .describe("Where the rows to score are.");
export type BatchInputSpec = z.output<typeof BatchInputSpec>;

export const BatchOutputSpec = z
  .strictObject({
    uri: objectUri(
      PREFIX_URI,
      "Prefix the shards write under, ending in /: part-<shard>.jsonl or .csv (one prediction per good row, " +
        "with its row number and id), errors-<shard>.jsonl (failed rows with their row number and " +
        "error) and manifest-<shard>.json (counts). Each object appears whole or not at all.",
      `must be ${SCHEMES}<bucket>/<prefix>/ (ending in /), without spaces`,
    ),
    format: z
      .enum(BATCH_OUTPUT_FORMATS)
      .optional()
      .describe('Format of the parts: jsonl ({"row","id","prediction"} per line; the default) or csv (a row,id,prediction header; a prediction of several values, such as class probabilities, gets a column each: prediction_0, prediction_1, …).'),
  })
  .describe("Where the predictions go.");
export type BatchOutputSpec = z.output<typeof BatchOutputSpec>;
