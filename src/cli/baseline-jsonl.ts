// A JSON Lines reader for `mdo baseline build`.
import { DataFileError, type Table } from "./baseline-table.ts";

/**
 * Parses JSON Lines: one JSON object per non-blank line. Columns are the union of the objects'
 * keys in order of first appearance; a key an object lacks is a missing cell. Throws
 * DataFileError naming the line for invalid JSON or a line that is not an object.
 */
export function parseJsonLines(text: string): Table {
  const objects: Record<string, unknown>[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DataFileError(`line ${i + 1}: invalid JSON`, { cause: error });
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new DataFileError(`line ${i + 1}: expected a JSON object`);
    }
    objects.push(value as Record<string, unknown>);
  });
  if (objects.length === 0) throw new DataFileError("The JSON Lines file has no objects");
  const columns = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  return { columns, rows: objects.map((o) => columns.map((c) => (Object.hasOwn(o, c) ? o[c] : undefined))) };
}
