import { strict as assert } from "node:assert";
import { test } from "node:test";
import { cachedFor } from "../../../src/runtime/cached.ts";

test("cachedFor loads once per period, shares a running load, and does not keep failures", async () => {
  let t = 0;
  let loads = 0;
  let fail = false;
  const get = cachedFor(1000, () => {
    loads++;
    return fail ? Promise.reject(new Error("boom")) : Promise.resolve(loads);
  }, () => t);
  assert.deepEqual(await Promise.all([get(), get()]), [1, 1]);
  t = 999;
  assert.equal(await get(), 1);
  t = 1000;
  fail = true;
  await assert.rejects(get(), /boom/);
  fail = false;
  assert.equal(await get(), 3);
  assert.equal(loads, 3);
});
