// Output lines are assembled by hand for speed; they must be exactly what JSON.stringify writes.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { RowOutcome } from "../../../src/batch/inference.ts";
import { outcomeLine, outcomeTexts } from "../../../src/batch/writer.ts";

const outcomes: RowOutcome[] = [
  { ok: true, row: 0, id: 0, prediction: 2 },
  { ok: true, row: 1, id: "r\"1\u2028", prediction: [0.1, 0.9] },
  { ok: false, row: 2, id: -1.5e-7, error: "invalid JSON: \"{\n" },
  { ok: true, row: 3, id: "x", prediction: "setosa" },
];

test("each line equals JSON.stringify of {row, id, prediction|error}", () => {
  for (const o of outcomes) {
    const expected = o.ok ? JSON.stringify({ row: o.row, id: o.id, prediction: o.prediction }) : JSON.stringify({ row: o.row, id: o.id, error: o.error });
    assert.equal(outcomeLine(o), expected);
  }
  const { good, bad } = outcomeTexts(outcomes);
  assert.equal(good.split("\n").length, 4);
  assert.equal(bad, `${outcomeLine(outcomes[2]!)}\n`);
});
