import { strict as assert } from "node:assert";
import { test } from "node:test";
import { BaselineError, parseBaseline, validateBaseline } from "../../../src/drift/baseline.ts";

const numeric = { kind: "numeric", name: "age", index: 0, count: 10, edges: [30, 50], proportions: [0.3, 0.4, 0.3], mean: 40, std: 12 };
const categorical = { kind: "categorical", name: "country", index: 1, count: 10, categories: ["de", "fr", "__other__"], proportions: [0.5, 0.4, 0.1] };

test("a valid profile parses, with an optional prediction distribution", () => {
  const text = JSON.stringify({ version: 1, features: [numeric, categorical], prediction: { ...categorical, name: "label", index: 0 } });
  const baseline = parseBaseline(text);
  assert.equal(baseline.features.length, 2);
  assert.equal(baseline.prediction?.name, "label");
});

test("invalid profiles are rejected with a message naming the problem", () => {
  const cases: [unknown, RegExp][] = [
    [{ version: 2, features: [numeric] }, /version/],
    [{ version: 1, features: [] }, /features/],
    [{ version: 1, features: [{ ...numeric, edges: [50, 30] }] }, /strictly increasing/],
    [{ version: 1, features: [{ ...numeric, proportions: [0.5, 0.5] }] }, /one entry more than edges/],
    [{ version: 1, features: [{ ...numeric, proportions: [0.3, 0.3, 0.3] }] }, /sum to 1/],
    [{ version: 1, features: [{ ...categorical, categories: ["de", "fr", "other"] }] }, /__other__/],
    [{ version: 1, features: [{ ...categorical, categories: ["de", "de", "__other__"] }] }, /unique/],
    [{ version: 1, features: [numeric, { ...categorical, name: "age" }] }, /names must be unique/],
    [{ version: 1, features: [numeric, { ...categorical, index: 0 }] }, /indexes must be unique/],
    [{ version: 1, features: [{ ...numeric, extra: true }] }, /extra/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => validateBaseline(value), (e: unknown) => e instanceof BaselineError && message.test(e.message), JSON.stringify(value));
  }
  assert.throws(() => parseBaseline("{"), /not valid JSON/);
});
