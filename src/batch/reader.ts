// Streams the input (one or more objects, input-source.ts) as the decoded rows one shard owns, in
// input order; never a whole object in memory. JSON Lines: every non-blank line is a row. CSV: the
// first record of each object is its header (all equal), every later non-blank record a row (a
// quoted field may span lines). Row numbers count those rows from 0, continuing across objects,
// and are the same in every shard (see sharding.ts).
import { CsvSyntaxError, parseCsvRecord, recordComplete } from "./csv-record.ts";
import { BatchInputError } from "./errors.ts";
import type { InputFormat } from "./input-format.ts";
import { lineBatches } from "./line-batches.ts";
import { CsvRowDecoder, JsonRowDecoder, type DecodedRow } from "./features.ts";
import type { InputText } from "./input-source.ts";
import { ownsRow, type Shard } from "./sharding.ts";

export { formatOf, INPUT_FORMATS, type InputFormat } from "./input-format.ts";

/** A quoted CSV field longer than this (characters) is taken for an unterminated quote. */
export const MAX_CSV_RECORD_CHARS = 1 << 20;
/** A line longer than this (characters) is not a row: the input is not JSON Lines or CSV. */
export const MAX_LINE_CHARS = 64 << 20;

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
export async function* readShardRows(options: ReadOptions): AsyncGenerator<DecodedRow[]> {
  const state: RowState = { row: 0, header: undefined, csv: { first: true, pending: undefined, seenHeader: false } };
  for await (const text of options.texts) {
    const lines = lineBatches(text.bytes, MAX_LINE_CHARS, (chars) => new BatchInputError(`${text.name}: a line runs over ${chars} characters without a newline`));
    try {
      for await (const batch of lines) {
        const rows = options.format === "jsonl" ? jsonRows(batch, options, state) : csvRows(batch, text.name, options, state);
        if (rows.length > 0) yield rows;
      }
      if (options.format === "csv") {
        const last = endCsv(text.name, options, state);
        if (last.length > 0) yield last;
      }
    } catch (error) {
      if (options.signal.aborted || error instanceof BatchInputError) throw error;
      throw new BatchInputError(`Reading ${text.name} failed: ${(error as Error).message}`, { cause: error });
    } finally {
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
  /** Within one CSV object: before its first line, its header seen, a record still open. */
  csv: { first: boolean; pending: string | undefined; seenHeader: boolean };
}

function jsonRows(lines: readonly string[], options: ReadOptions, state: RowState): DecodedRow[] {
  const decoder = (state.json ??= new JsonRowDecoder(options.idField));
  const rows: DecodedRow[] = [];
  for (const line of lines) {
    if (line.trim() === "") continue;
    if (ownsRow(options.shard, state.row)) rows.push(decoder.decode(line, state.row));
    state.row++;
  }
  return rows;
}

/** The rows of a batch of CSV lines: records are lines joined while a quoted field is open. */
function csvRows(lines: readonly string[], name: string, options: ReadOptions, state: RowState): DecodedRow[] {
  const rows: DecodedRow[] = [];
  for (let line of lines) {
    if (state.csv.first && line.charCodeAt(0) === 0xfeff) line = line.slice(1); // a byte-order mark
    state.csv.first = false;
    if (state.csv.pending === undefined && line.trim() === "") continue;
    const pending = state.csv.pending === undefined ? line : `${state.csv.pending}\n${line}`;
    if (recordComplete(pending)) {
      state.csv.pending = undefined;
      csvRecord(pending, name, options, state, rows);
    } else if (pending.length > MAX_CSV_RECORD_CHARS) {
      throw new BatchInputError(`${name}: a quoted field runs over ${MAX_CSV_RECORD_CHARS} characters; is a quote unterminated?`);
    } else {
      state.csv.pending = pending;
    }
  }
  return rows;
}

/** The end of a CSV object: an unterminated quote at its end is a malformed row; the next object starts afresh. */
function endCsv(name: string, options: ReadOptions, state: RowState): DecodedRow[] {
  const rows: DecodedRow[] = [];
  if (state.csv.pending !== undefined) csvRecord(state.csv.pending, name, options, state, rows);
  state.csv = { first: true, pending: undefined, seenHeader: false };
  return rows;
}

/** One record: the object's header, or a row (owned by the shard: decoded into `rows`). */
function csvRecord(record: string, name: string, options: ReadOptions, state: RowState, rows: DecodedRow[]): void {
  if (!state.csv.seenHeader) {
    state.csv.seenHeader = true;
    const columns = header(record, name);
    if (state.header === undefined) state.header = { columns, decoder: new CsvRowDecoder(columns, options.idField), name };
    else if (columns.join("\u0000") !== state.header.columns.join("\u0000")) {
      throw new BatchInputError(`${name}: its header (${columns.join(",")}) differs from the header of ${state.header.name} (${state.header.columns.join(",")})`);
    }
    return;
  }
  const row = state.row++;
  if (!ownsRow(options.shard, row)) return;
  try {
    rows.push(state.header!.decoder.decode(parseCsvRecord(record), row));
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    rows.push({ ok: false, row, id: row, error: `invalid CSV: ${error.message}` });
  }
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
