import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InferenceError } from "../../../src/batch/errors.ts";
import { JsonRowDecoder } from "../../../src/batch/features.ts";
import { withRetry } from "../../../src/batch/retry.ts";
import { classifyNetworkError, classifyStatus, predictionsOf, v2Body, v2BodyText } from "../../../src/batch/v2.ts";

describe("v2Body", () => {
  it("is one FP64 input-0 tensor of shape [rows, features]", () => {
    assert.deepEqual(v2Body([[1, 2], [3, 4], [5, 6]]), {
      inputs: [{ name: "input-0", shape: [3, 2], datatype: "FP64", data: [1, 2, 3, 4, 5, 6] }],
    });
  });
  it("is sent as exactly the text JSON.stringify writes of it", () => {
    const rows = [[5.1, 3.5, -1.4e-12, 0.2], [-0, 1e21, 123456789.125, -7], [Number.MIN_VALUE, Number.MAX_VALUE, 0.1 + 0.2, 2 ** 53]];
    for (const batch of [rows, rows.slice(0, 1), []]) assert.equal(v2BodyText(batch.map((features) => ({ features }))), JSON.stringify(v2Body(batch)));
  });
  it("sends a row's input text as it is, which parses to the same numbers", () => {
    const decoder = new JsonRowDecoder(undefined);
    const lines = [" [5.1, 3.50,1e-3 , -0.0]\t", "[1E2,2,3,4]", "[0.30000000000000004,1,2,3]"];
    const decoded = lines.map((line, i) => decoder.decode(line, i)).map((r) => (r.ok ? r : assert.fail(r.error)));
    const body = JSON.parse(v2BodyText(decoded)) as { inputs: { shape: number[]; data: number[] }[] };
    assert.deepEqual(body.inputs[0]!.shape, [3, 4]);
    assert.deepEqual(body.inputs[0]!.data, decoded.flatMap((r) => r.features));
  });
});

describe("predictionsOf", () => {
  it("gives one scalar per row, or equal slices of a wider output", () => {
    assert.deepEqual(predictionsOf({ outputs: [{ name: "predict", data: [0, 2, 1] }] }, 3), [0, 2, 1]);
    assert.deepEqual(predictionsOf({ outputs: [{ data: [0.1, 0.9, 0.7, 0.3] }, { data: [9] }] }, 2), [[0.1, 0.9], [0.7, 0.3]]);
  });
  it("throws a fatal error for an answer of another shape", () => {
    for (const answer of [{}, { outputs: [] }, { outputs: [{ data: "x" }] }, { outputs: [{ data: [1, 2, 3] }] }]) {
      assert.throws(() => predictionsOf(answer, 2), (e: unknown) => e instanceof InferenceError && e.kind === "fatal");
    }
  });
});

describe("retry classification", () => {
  it("retries 429, 502, 503, 504; splits 4xx and 500 row by row; gives up on others", () => {
    assert.deepEqual([429, 502, 503, 504].map(classifyStatus), ["transient", "transient", "transient", "transient"]);
    assert.deepEqual([400, 404, 422, 500].map(classifyStatus), ["rejected", "rejected", "rejected", "rejected"]);
    assert.deepEqual([501, 505, 302].map(classifyStatus), ["fatal", "fatal", "fatal"]);
  });
  it("treats refused, reset and timed out connections as transient, looking through causes", () => {
    const coded = (code: string): Error => Object.assign(new Error(code), { code });
    assert.equal(classifyNetworkError(coded("ECONNREFUSED")), "transient");
    assert.equal(classifyNetworkError(new Error("fetch failed", { cause: coded("ECONNRESET") })), "transient");
    assert.equal(classifyNetworkError(coded("UND_ERR_HEADERS_TIMEOUT")), "transient");
    assert.equal(classifyNetworkError(new Error("something else")), "fatal");
  });
});

describe("withRetry", () => {
  const never = new AbortController().signal;
  const noSleep = (): Promise<void> => Promise.resolve();
  it("retries transient failures with doubling waits, up to the number of tries", async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(() => {
      calls++;
      return calls < 3 ? Promise.reject(new InferenceError("transient", "HTTP 503")) : Promise.resolve("ok");
    }, { tries: 3, baseDelayMs: 100 }, (ms) => { waits.push(ms); return Promise.resolve(); }, never);
    assert.equal(result, "ok");
    assert.deepEqual(waits, [100, 200]);
    calls = 0;
    await assert.rejects(
      withRetry(() => { calls++; return Promise.reject(new InferenceError("transient", "HTTP 503")); }, { tries: 3, baseDelayMs: 1 }, noSleep, never),
      /HTTP 503/,
    );
    assert.equal(calls, 3);
  });
  it("does not retry rejected or fatal failures", async () => {
    for (const kind of ["rejected", "fatal"] as const) {
      let calls = 0;
      await assert.rejects(withRetry(() => { calls++; return Promise.reject(new InferenceError(kind, kind)); }, { tries: 3, baseDelayMs: 1 }, noSleep, never));
      assert.equal(calls, 1);
    }
  });
});
