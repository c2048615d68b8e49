// Settings of every `mdo` command: a flag wins over MDO_<OPTION>, an empty variable is unset,
// unknown variables and options without either are left out.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { envName, rawSettings } from "../../../src/runtime/config-sources.ts";

test("environment names are MDO_ + upper snake case", () => {
  assert.equal(envName("leaderElect"), "MDO_LEADER_ELECT");
  assert.equal(envName("operatorUrl"), "MDO_OPERATOR_URL");
  assert.equal(envName("qps"), "MDO_QPS");
  assert.equal(envName("batchSize", "MDO_BATCH_"), "MDO_BATCH_BATCH_SIZE");
});

test("a flag wins over its variable; empty variables and other options are left out", () => {
  const raw = rawSettings(["qps", "burst", "logLevel", "namespace"], { qps: "50", namespace: undefined }, {
    MDO_QPS: "10", MDO_BURST: "40", MDO_LOG_LEVEL: "", MDO_OTHER: "x",
  });
  assert.deepEqual(raw, { qps: "50", burst: "40" });
});
