// Streams an input file as the decoded rows one shard owns, in input order; never the whole file
// in memory. JSON Lines: every non-blank line is a row. CSV: the first record is the header, every
// later non-blank record a row (a quoted field may span lines). Row numbers count those rows from
// 0 and are the same in every shard (see sharding.ts).
import { open, type FileHandle } from "node:fs/promises";
import { createInterface } from "node:readline";
import { CsvSyntaxError, parseCsvRecord, recordComplete } from "./csv-record.ts";
import { BatchInputError } from "./errors.ts";
import { CsvRowDecoder, JsonRowDecoder, type DecodedRow } from "./features.ts";
import { ownsRow, type Shard } from "./sharding.ts";

export const INPUT_FORMATS = ["jsonl", "csv"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** A quoted CSV field longer than this (characters) is taken for an unterminated quote. */
export const MAX_CSV_RECORD_CHARS = 1 << 20;

/** The format of a file from its extension (.jsonl, .ndjson, .csv), or undefined. */
export function formatOf(path: string): InputFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  return undefined;
}

export interface ReadOptions {
  readonly path: string;
  readonly format: InputFormat;
  readonly shard: Shard;
  readonly idField: string | undefined;
  readonly signal: AbortSignal;
}

/** The rows of the input that the shard owns. Throws BatchInputError when the file cannot be read. */
export async function* readShardRows(options: ReadOptions): AsyncGenerator<DecodedRow> {
  let handle: FileHandle;
  try {
    handle = await open(options.path, "r");
  } catch (error) {
    throw new BatchInputError(`Cannot open ${options.path}: ${(error as Error).message}`, { cause: error });
  }
  const input = handle.createReadStream({ encoding: "utf8", signal: options.signal });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    if (options.format === "jsonl") yield* jsonRows(lines, options);
    else yield* csvRows(lines, options);
  } catch (error) {
    if (options.signal.aborted || error instanceof BatchInputError) throw error;
    throw new BatchInputError(`Reading ${options.path} failed: ${(error as Error).message}`, { cause: error });
  } finally {
    lines.close();
    input.destroy(); // also closes the file handle, when the caller stops early
  }
}

async function* jsonRows(lines: AsyncIterable<string>, options: ReadOptions): AsyncGenerator<DecodedRow> {
  const decoder = new JsonRowDecoder(options.idField);
  let row = 0;
  for await (const line of lines) {
    if (line.trim() === "") continue;
    if (ownsRow(options.shard, row)) yield decoder.decode(line, row);
    row++;
  }
}

async function* csvRows(lines: AsyncIterable<string>, options: ReadOptions): AsyncGenerator<DecodedRow> {
  let decoder: CsvRowDecoder | undefined;
  let row = 0;
  for await (const record of csvRecords(lines, options.path)) {
    if (decoder === undefined) {
      decoder = new CsvRowDecoder(header(record, options.path), options.idField);
      continue;
    }
    if (ownsRow(options.shard, row)) {
      try {
        yield decoder.decode(parseCsvRecord(record), row);
      } catch (error) {
        if (!(error instanceof CsvSyntaxError)) throw error;
        yield { ok: false, row, id: row, error: `invalid CSV: ${error.message}` };
      }
    }
    row++;
  }
  if (decoder === undefined) throw new BatchInputError(`${options.path} is empty: a CSV input needs a header row`);
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
