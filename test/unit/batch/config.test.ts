import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { batchUsage } from "../../../src/batch/command.ts";
import { loadBatchRunConfig } from "../../../src/batch/config.ts";
import { BatchConfigError } from "../../../src/batch/errors.ts";

const required = { input: "in.jsonl", output: "out", modelUrl: "http://127.0.0.1:8080", modelName: "iris" };

describe("loadBatchRunConfig", () => {
  it("applies defaults and tells the format from the extension", () => {
    const config = loadBatchRunConfig(required, {});
    assert.deepEqual(
      [config.format, config.shardIndex, config.shardCount, config.batchSize, config.concurrency, config.maxFailedRows, config.timeout],
      ["jsonl", 0, 1, 64, 4, { kind: "unlimited" }, 60],
    );
  });
  it("takes flags over MDO_BATCH_ variables, and the shard index from JOB_COMPLETION_INDEX", () => {
    const env = { MDO_BATCH_BATCH_SIZE: "10", MDO_BATCH_SHARD_COUNT: "4", JOB_COMPLETION_INDEX: "3" };
    const config = loadBatchRunConfig({ ...required, batchSize: "20", maxFailedRows: "0.2" }, env);
    assert.deepEqual([config.batchSize, config.shardCount, config.shardIndex, config.maxFailedRows], [20, 4, 3, { kind: "ratio", max: 0.2 }]);
  });
  it("rejects a shard index past the count, an unknown format, a bad budget and a missing flag", () => {
    assert.throws(() => loadBatchRunConfig({ ...required, shardIndex: "2", shardCount: "2" }, {}), /--shard-index 2 must be less than --shard-count 2/);
    assert.throws(() => loadBatchRunConfig({ ...required, input: "in.parquet" }, {}), /Cannot tell the format/);
    assert.equal(loadBatchRunConfig({ ...required, input: "in.txt", format: "csv" }, {}).format, "csv");
    assert.throws(() => loadBatchRunConfig({ ...required, maxFailedRows: "1.5" }, {}), BatchConfigError);
    assert.throws(() => loadBatchRunConfig({ ...required, modelName: undefined }, {}), /modelName/);
  });
});

describe("batchUsage", () => {
  it("lists every flag with its environment variable", () => {
    const usage = batchUsage();
    for (const flag of ["--input", "--output", "--model-url", "--model-name", "--shard-index", "--shard-count", "--batch-size", "--concurrency", "--max-failed-rows", "--id-field"]) {
      assert.match(usage, new RegExp(`  ${flag} `));
    }
    assert.match(usage, /--batch-size +Rows per inference call\. \(default 64\) \[MDO_BATCH_BATCH_SIZE\]/);
  });
});
