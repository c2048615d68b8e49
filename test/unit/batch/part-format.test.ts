// Part and errors lines are assembled by hand for speed: JSON Lines must be exactly what
// JSON.stringify writes, CSV must read back (RFC 4180) to the same cells.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { parseCsvRecord } from "../../../src/batch/csv-record.ts";
import { BatchOutputError } from "../../../src/batch/errors.ts";
import type { RowOutcome } from "../../../src/batch/inference.ts";
import { csvCell, errorLine, jsonPartLine, partEncoder } from "../../../src/batch/part-format.ts";
import { outcomeTexts } from "../../../src/batch/writer.ts";

type Good = Extract<RowOutcome, { ok: true }>;

const outcomes: RowOutcome[] = [
  { ok: true, row: 0, id: 0, prediction: 2 },
  { ok: true, row: 1, id: "r\"1\u2028", prediction: [0.1, 0.9] },
  { ok: false, row: 2, id: -1.5e-7, error: "invalid JSON: \"{\n" },
  { ok: true, row: 3, id: "x", prediction: "setosa" },
];

test("each JSON line equals JSON.stringify of {row, id, prediction|error}", () => {
  for (const o of outcomes) {
    if (o.ok) assert.equal(jsonPartLine(o), JSON.stringify({ row: o.row, id: o.id, prediction: o.prediction }));
    else assert.equal(errorLine(o), JSON.stringify({ row: o.row, id: o.id, error: o.error }));
  }
  const { good, bad } = outcomeTexts(outcomes, partEncoder("jsonl"));
  assert.equal(good.split("\n").length, 4);
  assert.equal(bad, `${errorLine(outcomes[2] as Extract<RowOutcome, { ok: false }>)}\n`);
});

const rowsOf = (text: string): string[][] => text.trimEnd().split("\n").map(parseCsvRecord);

test("CSV: a header, then row,id,prediction; ids and strings quoted only when needed", () => {
  const csv = partEncoder("csv");
  const good: Good[] = [
    { ok: true, row: 0, id: 0, prediction: 2 },
    { ok: true, row: 5, id: "a,b", prediction: "setosa" },
    { ok: true, row: 7, id: 'say "hi"', prediction: null },
    { ok: true, row: 9, id: "x", prediction: 1.5e-9 },
  ];
  const text = good.map((o) => csv.encode(o)).join("") + csv.finish();
  assert.equal(text.split("\n")[0], "row,id,prediction");
  assert.deepEqual(rowsOf(text), [["row", "id", "prediction"], ["0", "0", "2"], ["5", "a,b", "setosa"], ["7", 'say "hi"', ""], ["9", "x", "1.5e-9"]]);
});

test("CSV: an array prediction gets a column per value, fixed by the first row", () => {
  const csv = partEncoder("csv");
  const text = csv.encode({ ok: true, row: 0, id: 0, prediction: [0.25, 0.75] }) + csv.encode({ ok: true, row: 1, id: 1, prediction: [1, [2, 3]] });
  assert.deepEqual(rowsOf(text), [["row", "id", "prediction_0", "prediction_1"], ["0", "0", "0.25", "0.75"], ["1", "1", "1", "[2,3]"]]);
  assert.throws(() => csv.encode({ ok: true, row: 2, id: 2, prediction: [1, 2, 3] }), BatchOutputError);
  assert.throws(() => csv.encode({ ok: true, row: 3, id: 3, prediction: 1 }), /Row 3: its prediction has no values where the first row's had 2/);
});

test("CSV: a part without good rows is its header; JSON Lines adds nothing", () => {
  assert.equal(partEncoder("csv").finish(), "row,id,prediction\n");
  assert.equal(partEncoder("jsonl").finish(), "");
  const csv = partEncoder("csv");
  csv.encode({ ok: true, row: 0, id: 0, prediction: 1 });
  assert.equal(csv.finish(), "");
});

test("csvCell quotes commas, quotes, line ends and edge spaces, and nothing else", () => {
  for (const plain of ["abc", "1.5", "a b", ""]) assert.equal(csvCell(plain), plain);
  for (const quoted of ["a,b", 'a"b', "a\nb", "a\rb", " a", "a "]) assert.deepEqual(parseCsvRecord(csvCell(quoted)), [quoted]);
});
