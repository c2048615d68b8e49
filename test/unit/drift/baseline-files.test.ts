import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseCsv } from "../../../src/cli/baseline-csv.ts";
import { parseJsonLines } from "../../../src/cli/baseline-jsonl.ts";
import { DataFileError } from "../../../src/cli/baseline-table.ts";

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/drift/${name}`, import.meta.url), "utf8");

test("CSV: header, numbers, missing cells, quoted strings with commas and doubled quotes", () => {
  const table = parseCsv(fixture("customers.csv"));
  assert.deepEqual(table.columns, ["id", "age", "income", "country", "segment", "churned"]);
  assert.equal(table.rows.length, 8);
  assert.deepEqual(table.rows[0], [1, 34, 52000.5, "de", "A", "no"]);
  assert.deepEqual(table.rows[2], [3, 23, null, "de", "A", "yes"]);
  assert.deepEqual(table.rows[4]?.[4], "B, premium");
  assert.deepEqual(table.rows[6]?.[4], '"quoted"');
});

test("CSV: CRLF line ends, newlines inside quotes, BOM, quoted numbers stay strings, padding", () => {
  assert.deepEqual(parseCsv(fixture("crlf.csv")), { columns: ["a", "b"], rows: [[1, "multi\r\nline"]] });
  assert.deepEqual(parseCsv('\ufeffx,y\n"007",-1.5e3\n\n2\n'), { columns: ["x", "y"], rows: [["007", -1500], [2, null]] });
  assert.deepEqual(parseCsv("x,y\n1,"), { columns: ["x", "y"], rows: [[1, null]] });
});

test("CSV errors name the problem", () => {
  const cases: [string, RegExp][] = [
    [fixture("bad-quote.csv"), /line 2: unterminated quoted field/],
    [fixture("bad-width.csv"), /Record 1 has 3 cells, the header 2/],
    ['a,b\n"x"y,1\n', /line 2: unexpected text after a closing quote/],
    ["", /empty/],
    ["a,,b\n", /Header column 2 has no name/],
    ["a,a\n", /unique/],
  ];
  for (const [text, message] of cases) assert.throws(() => parseCsv(text), (e: unknown) => e instanceof DataFileError && message.test(e.message));
});

test("JSON Lines: union of keys in order of appearance, blank lines skipped", () => {
  const table = parseJsonLines(fixture("customers.jsonl"));
  assert.deepEqual(table.columns, ["age", "income", "country", "churned", "note"]);
  assert.deepEqual(table.rows[2], [23, undefined, "de", "yes", undefined]);
  assert.throws(() => parseJsonLines(fixture("not-object.jsonl")), /line 2: expected a JSON object/);
  assert.throws(() => parseJsonLines('{"a": 1}\n{oops'), /line 2: invalid JSON/);
  assert.throws(() => parseJsonLines("\n\n"), /no objects/);
});
