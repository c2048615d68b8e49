import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadBatchRunConfig } from "../../../src/batch/config.ts";
import { BatchConfigError } from "../../../src/batch/errors.ts";
import { locationOf, parseBatchLocation } from "../../../src/batch/location.ts";

describe("parseBatchLocation", () => {
  it("takes a path without a scheme as local", () => {
    assert.deepEqual(parseBatchLocation("data/in.jsonl", "input"), { kind: "local", path: "data/in.jsonl" });
    assert.deepEqual(parseBatchLocation("/abs/c:d", "output"), { kind: "local", path: "/abs/c:d" });
  });
  it("tells an object from a prefix by the trailing slash; an output is always a prefix", () => {
    assert.deepEqual(parseBatchLocation("s3://bucket/a/b.jsonl", "input"), { kind: "s3", bucket: "bucket", key: "a/b.jsonl", prefix: false });
    assert.deepEqual(parseBatchLocation("s3://bucket/a/", "input"), { kind: "s3", bucket: "bucket", key: "a/", prefix: true });
    assert.deepEqual(parseBatchLocation("s3://bucket", "input"), { kind: "s3", bucket: "bucket", key: "", prefix: true });
    assert.deepEqual(parseBatchLocation("s3://bucket/out", "output"), { kind: "s3", bucket: "bucket", key: "out/", prefix: true });
    assert.deepEqual(parseBatchLocation("s3://bucket/", "output"), { kind: "s3", bucket: "bucket", key: "", prefix: true });
  });
  it("refuses gs://, other schemes, bad bucket names and empty key segments", () => {
    assert.throws(() => parseBatchLocation("gs://b/in.jsonl", "input"), (e: unknown) => e instanceof BatchConfigError && /gs:\/\/ is not supported yet/.test(e.message));
    assert.throws(() => parseBatchLocation("https://x/in.jsonl", "input"), /unsupported scheme https/);
    assert.throws(() => parseBatchLocation("s3:///x", "output"), /not a valid S3 bucket name/);
    assert.throws(() => parseBatchLocation("s3://bucket//x", "input"), /empty path segment/);
    assert.throws(() => parseBatchLocation("s3://bucket/a//x", "input"), /empty path segment/);
  });
  it("names the outputs under a location", () => {
    assert.equal(locationOf(parseBatchLocation("s3://bucket/out", "output"), "part-3.jsonl"), "s3://bucket/out/part-3.jsonl");
    assert.equal(locationOf(parseBatchLocation("out/", "output"), "part-3.jsonl"), "out/part-3.jsonl");
  });
});

describe("loadBatchRunConfig with URIs", () => {
  const required = { modelUrl: "http://127.0.0.1:8080", modelName: "iris", output: "s3://out/run-1/" };
  it("takes the format of one object from its key, and leaves a prefix's to its objects", () => {
    assert.equal(loadBatchRunConfig({ ...required, input: "s3://in-bucket/x/rows.csv" }, {}).format, "csv");
    assert.equal(loadBatchRunConfig({ ...required, input: "s3://in-bucket/x/" }, {}).format, undefined);
    assert.equal(loadBatchRunConfig({ ...required, input: "s3://in-bucket/x/", format: "jsonl" }, {}).format, "jsonl");
    assert.throws(() => loadBatchRunConfig({ ...required, input: "s3://in-bucket/x/rows" }, {}), /Cannot tell the format/);
  });
  it("rejects gs:// as a usage error, for input and output", () => {
    assert.throws(() => loadBatchRunConfig({ ...required, input: "gs://in/rows.jsonl" }, {}), BatchConfigError);
    assert.throws(() => loadBatchRunConfig({ ...required, input: "in.jsonl", output: "gs://out/" }, {}), /--output gs:\/\/out\/: gs:\/\/ is not supported yet/);
  });
  it("defaults the termination log to /dev/termination-log", () => {
    assert.equal(loadBatchRunConfig({ ...required, input: "in.jsonl" }, {}).terminationLog, "/dev/termination-log");
    assert.equal(loadBatchRunConfig({ ...required, input: "in.jsonl" }, { MDO_BATCH_TERMINATION_LOG: "/tmp/t" }).terminationLog, "/tmp/t");
  });
});
