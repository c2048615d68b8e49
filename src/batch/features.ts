// Turning one input row into the model's features (numbers) and the row's id. A row that cannot
// be turned is not an error of the run: its decoding says why, and the run writes it to
// errors-<shard>.jsonl. The first good row fixes the shape (width, and for JSON objects the keys
// and their order); later rows must match it.

/** A row's id: the --id-field value when the row has one, else its row number. */
export type RowId = string | number;

/**
 * A row's features as the model server gets them. `json`, when present, is the text between the
 * brackets of the input's own JSON array of those features: sent as it is, it spares turning each
 * number back into text (a tenth of the worker's CPU).
 */
export interface FeatureRow {
  readonly features: readonly number[];
  readonly json?: string;
}

export type DecodedRow =
  | { readonly ok: true; readonly row: number; readonly id: RowId; readonly features: number[]; readonly json?: string }
  | { readonly ok: false; readonly row: number; readonly id: RowId; readonly error: string };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const failed = (row: number, id: RowId, error: string): DecodedRow => ({ ok: false, row, id, error });

function idOf(value: unknown, row: number): RowId {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value)) ? value : row;
}

/** Decodes JSON Lines rows: an array of numbers, or an object of numbers (plus the id field). */
export class JsonRowDecoder {
  readonly #idField: string | undefined;
  #width: number | undefined;
  #keys: string[] | undefined;

  constructor(idField: string | undefined) {
    this.#idField = idField;
  }

  decode(text: string, row: number): DecodedRow {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return failed(row, row, `invalid JSON: ${(error as Error).message}`);
    }
    if (Array.isArray(value)) return this.#fromArray(value, text, row);
    if (typeof value === "object" && value !== null) return this.#fromObject(value as Record<string, unknown>, row);
    return failed(row, row, "expected a JSON object or array");
  }

  #fromArray(values: unknown[], text: string, row: number): DecodedRow {
    if (this.#keys !== undefined) return failed(row, row, "expected a JSON object like the first row");
    const bad = values.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
    if (bad >= 0) return failed(row, row, `element ${bad} is not a number`);
    if (values.length === 0) return failed(row, row, "no features");
    this.#width ??= values.length;
    if (values.length !== this.#width) return failed(row, row, `${values.length} features, the first row has ${this.#width}`);
    // The line parsed as an array: trimmed, it starts with "[" and ends with "]".
    const trimmed = text.trim();
    return { ok: true, row, id: row, features: values as number[], json: trimmed.slice(1, -1) };
  }

  #fromObject(object: Record<string, unknown>, row: number): DecodedRow {
    const id = this.#idField === undefined ? row : idOf(object[this.#idField], row);
    if (this.#width !== undefined && this.#keys === undefined) return failed(row, id, "expected a JSON array like the first row");
    const keys = Object.keys(object).filter((k) => k !== this.#idField);
    const expected = this.#keys ?? keys;
    if (keys.length === 0) return failed(row, id, "no features");
    if (keys.length !== expected.length) return failed(row, id, `${keys.length} features, the first row has ${expected.length}`);
    const features: number[] = [];
    for (const key of expected) {
      if (!(key in object)) return failed(row, id, `feature "${key}" is missing`);
      const value = object[key];
      if (typeof value !== "number" || !Number.isFinite(value)) return failed(row, id, `feature "${key}" is not a number`);
      features.push(value);
    }
    this.#keys ??= keys;
    this.#width ??= keys.length;
    return { ok: true, row, id, features };
  }
}

/** Decodes CSV records against the header: every column but the id field is a numeric feature. */
export class CsvRowDecoder {
  readonly #columns: string[];
  readonly #idColumn: number;

  constructor(header: string[], idField: string | undefined) {
    this.#columns = header.map((c) => c.trim());
    this.#idColumn = idField === undefined ? -1 : this.#columns.indexOf(idField);
  }

  /** The feature columns, in order. */
  get features(): string[] {
    return this.#columns.filter((_c, i) => i !== this.#idColumn);
  }

  decode(cells: string[], row: number): DecodedRow {
    const idCell = this.#idColumn >= 0 ? cells[this.#idColumn]?.trim() : undefined;
    const id = idCell === undefined || idCell === "" ? row : idCell;
    if (cells.length !== this.#columns.length) return failed(row, id, `${cells.length} cells, the header has ${this.#columns.length}`);
    const features: number[] = [];
    for (let i = 0; i < cells.length; i++) {
      if (i === this.#idColumn) continue;
      const cell = cells[i]!.trim();
      if (!NUMBER.test(cell)) return failed(row, id, cell === "" ? `column "${this.#columns[i]}" is empty` : `column "${this.#columns[i]}" is not a number: ${JSON.stringify(cell.slice(0, 40))}`);
      features.push(Number(cell));
    }
    if (features.length === 0) return failed(row, id, "no features");
    return { ok: true, row, id, features };
  }
}
