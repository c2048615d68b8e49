// The table `mdo baseline build` profiles, whatever file it came from.

/** Rows of cells under named columns: `rows[r][c]` is the value of `columns[c]`. */
export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

/** A data file that cannot be read as a table; the message names the line or record. */
export class DataFileError extends Error {
  override readonly name = "DataFileError";
}
