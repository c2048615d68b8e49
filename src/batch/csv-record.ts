// One CSV record at a time, for streaming: RFC 4180 (comma separated, double-quoted fields with
// "" for a quote). The reader joins physical lines until `recordComplete` (a newline inside a
// quoted field continues the record), then `parseCsvRecord` splits it into cells.

/** A record that is not valid CSV (unterminated quote, text after a closing quote). */
export class CsvSyntaxError extends Error {
  override readonly name = "CsvSyntaxError";
}

/** Whether `text` holds a whole record: its double quotes are balanced ("" counts as two). */
export function recordComplete(text: string): boolean {
  let quotes = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) quotes++;
  return quotes % 2 === 0;
}

/** The cells of one record (without its line end). Quoted cells lose their quotes; others are kept as written. */
export function parseCsvRecord(text: string): string[] {
  const cells: string[] = [];
  let pos = 0;
  for (;;) {
    if (text[pos] === '"') {
      const parts: string[] = [];
      let from = pos + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0) throw new CsvSyntaxError("unterminated quoted field");
        parts.push(text.slice(from, quote));
        if (text[quote + 1] === '"') {
          from = quote + 2;
          continue;
        }
        pos = quote + 1;
        break;
      }
      while (text[pos] === " " || text[pos] === "\t") pos++;
      if (pos < text.length && text[pos] !== ",") throw new CsvSyntaxError("unexpected text after a closing quote");
      cells.push(parts.join('"'));
    } else {
      const comma = text.indexOf(",", pos);
      const end = comma < 0 ? text.length : comma;
      cells.push(text.slice(pos, end));
      pos = end;
    }
    if (pos >= text.length) return cells;
    pos++; // the comma
  }
}
