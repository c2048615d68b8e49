// The lines of a byte stream, in small groups: splitting is synchronous, so a stream of short
// lines costs one await per group, not one per line (readline's async iterator cost the worker
// more CPU than parsing the JSON). Groups, not a whole stream chunk: a chunk holds thousands of
// short lines, and its lines (then its decoded rows) all stayed alive until the last was sent —
// long enough for V8 to promote them to the old generation, which the worker's bounded heap then
// paid for in mark-compacts. A group's lines die young.
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

/** Lines per group, at most. */
export const LINE_GROUP = 128;

/**
 * Every line of `bytes` (UTF-8), without its "\n" or "\r\n", in order, in groups of at most
 * `groupLines`; the last line counts even without a final newline. A line longer than
 * `maxLineChars` throws `tooLong(length)` so a file without newlines cannot fill memory.
 */
export async function* lineBatches(bytes: Readable, maxLineChars: number, tooLong: (chars: number) => Error, groupLines: number = LINE_GROUP): AsyncGenerator<string[]> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  for await (const chunk of bytes) {
    const text = rest + (typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer));
    let start = 0;
    let group: string[] = [];
    for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
      group.push(text.slice(start, end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end));
      start = end + 1;
      if (group.length === groupLines) {
        yield group;
        group = [];
      }
    }
    if (group.length > 0) yield group;
    rest = text.slice(start);
    if (rest.length > maxLineChars) throw tooLong(rest.length);
  }
  rest += decoder.end();
  if (rest !== "") yield [rest.endsWith("\r") ? rest.slice(0, -1) : rest];
}

const CR = 13;
