// The lines of a byte stream, a batch per chunk read: splitting a chunk is synchronous, so a
// stream of short lines costs one await per chunk, not one per line (readline's async iterator
// cost the worker more CPU than parsing the JSON).
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

/**
 * Every line of `bytes` (UTF-8), without its "\n" or "\r\n", in order, grouped as they arrive; the
 * last line counts even without a final newline. A line longer than `maxLineChars` throws
 * `tooLong(length)` so a file without newlines cannot fill memory.
 */
export async function* lineBatches(bytes: Readable, maxLineChars: number, tooLong: (chars: number) => Error): AsyncGenerator<string[]> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  for await (const chunk of bytes) {
    const text = rest + (typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer));
    const lines = text.split("\n");
    rest = lines.pop() ?? "";
    if (rest.length > maxLineChars) throw tooLong(rest.length);
    if (lines.length > 0) yield lines.map(withoutCr);
  }
  rest += decoder.end();
  if (rest !== "") yield [withoutCr(rest)];
}

function withoutCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
