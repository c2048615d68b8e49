// Streams the input (one or more objects, input-source.ts) as the decoded rows one shard owns, in
// input order; never a whole object in memory. JSON Lines: every non-blank line is a row. CSV: the
// first record of each object is its header (all equal), every later non-blank record a row (a
// quoted field may span lines). Row numbers count those rows from 0, continuing across objects,
// and are the same in every shard (see sharding.ts).
import { createInterface } from "node:readline";
import { CsvSyntaxError, parseCsvRecord, recordComplete } from "./csv-record.ts";
import { BatchInputError } from "./errors.ts";
import type { InputFormat } from "./input-format.ts";
import { CsvRowDecoder, JsonRowDecoder, type DecodedRow } from "./features.ts";
import type { InputText } from "./input-source.ts";
import { ownsRow, type Shard } from "./sharding.ts";

export { formatOf, INPUT_FORMATS, type InputFormat } from "./input-format.ts";

/** A quoted CSV field longer than this (characters) is taken for an unterminated quote. */
export const MAX_CSV_RECORD_CHARS = 1 << 20;

export interface ReadOptions {
  /** The input's objects in order (input-source.ts): one row stream, row numbers continuing across them. */
  readonly texts: Iterable<InputText> | AsyncIterable<InputText>;
  readonly format: InputFormat;
  readonly shard: Shard;
  readonly idField: string | undefined;
  readonly signal: AbortSignal;
}

/**
 * The rows of the input that the shard owns. Throws BatchInputError when an object cannot be
 * read, or (CSV) when no object has a header or an object's header differs from the first's.
 */
export async function* readShardRows(options: ReadOptions): AsyncGenerator<DecodedRow> {
  const state: RowState = { row: 0, header: undefined };
  for await (const text of options.texts) {
    const lines = createInterface({ input: text.bytes, crlfDelay: Infinity });
    try {
      if (options.format === "jsonl") yield* jsonRows(lines, options, state);
      else yield* csvRows(lines, text.name, options, state);
    } catch (error) {
      if (options.signal.aborted || error instanceof BatchInputError) throw error;
      throw new BatchInputError(`Reading ${text.name} failed: ${(error as Error).message}`, { cause: error });
    } finally {
      lines.close();
      text.bytes.destroy(); // also closes the file or connection, when the caller stops early
    }
  }
  if (options.format === "csv" && state.header === undefined) throw new BatchInputError("The input is empty: a CSV input needs a header row");
}

/** Carried from one object to the next: the next row number, and the first CSV header. */
interface RowState {
  row: number;
  json?: JsonRowDecoder;
  header: { readonly columns: readonly string[]; readonly decoder: CsvRowDecoder; readonly name: string } | undefined;
}

async function* jsonRows(lines: AsyncIterable<string>, options: ReadOptions, state: RowState): AsyncGenerator<DecodedRow> {
  const decoder = (state.json ??= new JsonRowDecoder(options.idField));
  for await (const line of lines) {
    if (line.trim() === "") continue;
    if (ownsRow(options.shard, state.row)) yield decoder.decode(line, state.row);
    state.row++;
  }
}

async function* csvRows(lines: AsyncIterable<string>, name: string, options: ReadOptions, state: RowState): AsyncGenerator<DecodedRow> {
  let seenHeader = false;
  for await (const record of csvRecords(lines, name)) {
    if (!seenHeader) {
      seenHeader = true;
      const columns = header(record, name);
      if (state.header === undefined) state.header = { columns, decoder: new CsvRowDecoder(columns, options.idField), name };
      else if (columns.join("\u0000") !== state.header.columns.join("\u0000")) {
        throw new BatchInputError(`${name}: its header (${columns.join(",")}) differs from the header of ${state.header.name} (${state.header.columns.join(",")})`);
      }
      continue;
    }
    const row = state.row++;
    if (!ownsRow(options.shard, row)) continue;
    try {
      yield state.header!.decoder.decode(parseCsvRecord(record), row);
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      yield { ok: false, row, id: row, error: `invalid CSV: ${error.message}` };
    }
  }
}

/** Non-blank records: physical lines joined while a quoted field is open. */
async function* csvRecords(lines: AsyncIterable<string>, path: string): AsyncGenerator<string> {
  let pending: string | undefined;
  let first = true;
  for await (let line of lines) {
    if (first && line.charCodeAt(0) === 0xfeff) line = line.slice(1); // a byte-order mark
    first = false;
    if (pending === undefined && line.trim() === "") continue;
    pending = pending === undefined ? line : `${pending}\n${line}`;
    if (recordComplete(pending)) {
      yield pending;
      pending = undefined;
    } else if (pending.length > MAX_CSV_RECORD_CHARS) {
      throw new BatchInputError(`${path}: a quoted field runs over ${MAX_CSV_RECORD_CHARS} characters; is a quote unterminated?`);
    }
  }
  if (pending !== undefined) yield pending; // an unterminated quote at the end: a malformed row
}

function header(record: string, path: string): string[] {
  let columns: string[];
  try {
    columns = parseCsvRecord(record).map((c) => c.trim());
  } catch (error) {
    throw new BatchInputError(`${path}: the header row is not valid CSV`, { cause: error });
  }
  if (columns.some((c) => c === "")) throw new BatchInputError(`${path}: a header column has no name`);
  if (new Set(columns).size !== columns.length) throw new BatchInputError(`${path}: header column names must be unique`);
  return columns;
}
