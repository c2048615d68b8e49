// The text of a shard's part file in its output format, and of its errors file (always JSON Lines:
// an error message is text of any shape). Pure; runs once per row, so lines are assembled by hand.
//
//   jsonl  {"row":…,"id":…,"prediction":…} per good row, as JSON.stringify writes that object
//   csv    a header, then row,id,prediction per good row (RFC 4180 quoting). A prediction that is
//          an array of scalars (e.g. class probabilities) takes one column each, prediction_0…;
//          the first good row fixes the columns. A shard without good rows writes the header only.
import { BatchOutputError } from "./errors.ts";
import type { RowOutcome } from "./inference.ts";
import type { Prediction } from "./v2.ts";

export const OUTPUT_FORMATS = ["jsonl", "csv"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

type Good = Extract<RowOutcome, { ok: true }>;
type Bad = Extract<RowOutcome, { ok: false }>;

const idJson = (id: string | number): string => (typeof id === "number" ? String(id) : JSON.stringify(id));

/** One errors-file line: {"row":…,"id":…,"error":…}. */
export function errorLine(outcome: Bad): string {
  return `{"row":${outcome.row},"id":${idJson(outcome.id)},"error":${JSON.stringify(outcome.error)}}`;
}

/** One JSON Lines part line: {"row":…,"id":…,"prediction":…}. */
export function jsonPartLine(outcome: Good): string {
  return `{"row":${outcome.row},"id":${idJson(outcome.id)},"prediction":${JSON.stringify(outcome.prediction)}}`;
}

/** A CSV cell: quoted when it holds a comma, quote, CR or LF, or starts or ends with a space. */
export function csvCell(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function scalarCell(value: Prediction): string {
  if (value === null) return "";
  if (typeof value === "string") return csvCell(value);
  if (typeof value === "object") return csvCell(JSON.stringify(value)); // deeper than one level: its JSON text
  return String(value);
}

/** Turns good outcomes into part-file text; stateful for CSV (its header and columns). */
export interface PartEncoder {
  readonly format: OutputFormat;
  /** The lines of `outcome`, each ending in "\n" (a CSV part's header comes before its first row). */
  encode(outcome: Good): string;
  /** What the file still needs at its end (a CSV header when no row came). */
  finish(): string;
}

export function partEncoder(format: OutputFormat): PartEncoder {
  return format === "jsonl" ? { format, encode: (o) => `${jsonPartLine(o)}\n`, finish: () => "" } : new CsvPartEncoder();
}

class CsvPartEncoder implements PartEncoder {
  readonly format = "csv" as const;
  /** Columns of an array prediction; 0 for a scalar one; undefined before the first row. */
  #width: number | undefined;

  encode(outcome: Good): string {
    const p = outcome.prediction;
    const width = Array.isArray(p) ? p.length : 0;
    let header = "";
    if (this.#width === undefined) {
      this.#width = width;
      header = headerLine(width);
    } else if (width !== this.#width) {
      throw new BatchOutputError(`Row ${outcome.row}: its prediction has ${width || "no"} values where the first row's had ${this.#width || "one"}; CSV output needs one shape`);
    }
    const cells = Array.isArray(p) ? p.map(scalarCell).join(",") : scalarCell(p);
    return `${header}${outcome.row},${typeof outcome.id === "number" ? outcome.id : csvCell(outcome.id)},${cells}\n`;
  }

  finish(): string {
    return this.#width === undefined ? headerLine(0) : "";
  }
}

function headerLine(width: number): string {
  const predictions = width === 0 ? "prediction" : Array.from({ length: width }, (_v, i) => `prediction_${i}`).join(",");
  return `row,id,${predictions}\n`;
}
