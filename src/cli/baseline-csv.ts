// A small CSV reader for `mdo baseline build`: RFC 4180 (comma separated, double-quoted fields
// with "" for a quote, CRLF or LF line ends, newlines inside quotes) plus typed cells.
import { DataFileError, type Table } from "./baseline-table.ts";

type Cell = number | string | null;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Type of an unquoted cell: empty is missing (null), a decimal number a number, else a string. */
function unquoted(text: string): Cell {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  return NUMBER.test(trimmed) ? Number(trimmed) : trimmed;
}

const isEndOfCell = (c: string | undefined): boolean => c === undefined || c === "," || c === "\n" || c === "\r";

/**
 * Reads the quoted cell whose opening quote is at `start`. Returns its text (with "" turned into
 * ") and the position after the closing quote and any blanks. Throws DataFileError for an
 * unterminated quote or text between the closing quote and the next separator.
 */
function quotedCell(text: string, start: number, line: number): { value: string; end: number } {
  const parts: string[] = [];
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) throw new DataFileError(`line ${line}: unterminated quoted field`);
    parts.push(text.slice(from, quote));
    if (text[quote + 1] !== '"') {
      let end = quote + 1;
      while (text[end] === " " || text[end] === "\t") end++;
      if (!isEndOfCell(text[end])) throw new DataFileError(`line ${line}: unexpected text after a closing quote`);
      return { value: parts.join('"'), end };
    }
    from = quote + 2;
  }
}

/**
 * Splits CSV text into records of cells. A quoted cell is always a string (so "007" stays a
 * code); an unquoted one goes through `unquoted`. Blank lines are skipped.
 */
function records(text: string): Cell[][] {
  const out: Cell[][] = [];
  let record: Cell[] = [];
  let line = 1;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0; // skip a byte-order mark
  while (pos < text.length) {
    if (text[pos] === '"') {
      const { value, end } = quotedCell(text, pos, line);
      record.push(value);
      line += value.split("\n").length - 1;
      pos = end;
    } else {
      let end = pos;
      while (!isEndOfCell(text[end])) end++;
      record.push(unquoted(text.slice(pos, end)));
      pos = end;
    }
    if (text[pos] === ",") {
      pos++;
      if (pos === text.length) record.push(null); // a trailing comma ends with an empty cell
      continue;
    }
    if (text[pos] === "\r") pos++;
    if (text[pos] === "\n") pos++;
    line++;
    if (!(record.length === 1 && record[0] === null)) out.push(record);
    record = [];
  }
  if (record.length > 0) out.push(record);
  return out;
}

/**
 * Parses CSV with a header row into a table. Header cells name the columns (unique, non-empty);
 * short records are padded with missing cells. Throws DataFileError (naming the line or record)
 * for an empty file, a bad header, a record with more cells than the header, or bad quoting.
 */
export function parseCsv(text: string): Table {
  const [header, ...rows] = records(text);
  if (header === undefined) throw new DataFileError("The CSV file is empty");
  const columns = header.map((c) => (c === null ? "" : String(c)));
  const blank = columns.indexOf("");
  if (blank >= 0) throw new DataFileError(`Header column ${blank + 1} has no name`);
  if (new Set(columns).size !== columns.length) throw new DataFileError("Header column names must be unique");
  rows.forEach((row, r) => {
    if (row.length > columns.length) {
      throw new DataFileError(`Record ${r + 1} has ${row.length} cells, the header ${columns.length}`);
    }
    while (row.length < columns.length) row.push(null);
  });
  return { columns, rows };
}
