// Ground truth through a real in-process agent: request ids on answers, labels posted to
// /mdo/feedback joined with the kept predictions, and the scores as counters.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../../src/runtime/clock.ts";
import { inferBody, sampleValue } from "../../integration/agent/support/agent-fixture.ts";
import { send, startPair, type Pair } from "../../integration/agent/support/harness.ts";

const json = { "content-type": "application/json" };
const metrics = async (pair: Pair): Promise<string> => (await fetch(`${pair.agent.metricsUrl}/metrics`)).text();
const feedback = (pair: Pair, body: unknown) => send(pair.agent.url, "/mdo/feedback", { body: typeof body === "string" ? body : JSON.stringify(body), headers: json });
/** Infers `data` (the stand-in answers their sum, one row) and returns the request id. */
async function infer(pair: Pair, data: number[], headers: Record<string, string> = {}): Promise<string> {
  const answer = await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody(data), headers: { ...json, ...headers } });
  assert.equal(answer.status, 200);
  return String(answer.headers["x-mdo-request-id"] ?? "");
}

describe("ground truth (classification)", () => {
  let pair: Pair;
  const clock = new ManualClock(1_000_000);
  before(async () => {
    pair = await startPair({ feedback: { kind: "classification", maxPredictions: 3, ttlMs: 60_000 }, cache: { maxEntries: 10, ttlMs: 60_000 } }, { clock });
  });
  after(() => pair.close());

  it("labels joined with the predictions give exactly the accuracy of the pairs", async () => {
    const ids = [await infer(pair, [1, 1]), await infer(pair, [3]), await infer(pair, [2, 2])];
    for (const id of ids) assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(new Set(ids).size, 3);
    // Predictions 2, 3, 4; labels 2, 1, 4: two of three correct.
    const answer = await feedback(pair, { feedback: [{ requestId: ids[0], label: 2 }, { requestId: ids[1], labels: ["1"] }, { requestId: ids[2], label: "4.0" }] });
    assert.equal(answer.status, 200);
    assert.deepEqual((JSON.parse(answer.body) as { results: { status: string; rows: number }[] }).results.map((r) => [r.status, r.rows]), [["joined", 1], ["joined", 1], ["joined", 1]]);
    const text = await metrics(pair);
    assert.equal(sampleValue(text, "mdo_agent_feedback_rows_total"), 3);
    assert.equal(sampleValue(text, "mdo_agent_feedback_correct_total"), 2);
    assert.equal(sampleValue(text, "mdo_agent_feedback_items_total", { result: "joined" }), 3);
    assert.equal(sampleValue(text, "mdo_agent_requests_total", { route: "feedback", code: "200" }), 1);
  });

  it("a label is joined once; unknown ids and wrong label counts are reported, not scored", async () => {
    const id = await infer(pair, [5]);
    const twice = await feedback(pair, { feedback: [{ requestId: id, labels: [5, 5] }, { requestId: id, label: 5 }, { requestId: id, label: 5 }, { requestId: "never-served", label: 1 }] });
    assert.deepEqual((JSON.parse(twice.body) as { results: { status: string }[] }).results.map((r) => r.status), ["mismatch", "joined", "unknown", "unknown"]);
    const text = await metrics(pair);
    assert.equal(sampleValue(text, "mdo_agent_feedback_rows_total"), 4);
    assert.equal(sampleValue(text, "mdo_agent_feedback_items_total", { result: "mismatch" }), 1);
    assert.equal(sampleValue(text, "mdo_agent_feedback_items_total", { result: "unknown" }), 2);
  });

  it("reuses a client's x-request-id, also for cache hits", async () => {
    assert.equal(await infer(pair, [7], { "x-request-id": "order-17" }), "order-17");
    assert.equal(await infer(pair, [7], { "x-request-id": "order-18" }), "order-18", "a cache hit");
    assert.notEqual(await infer(pair, [7], { "x-request-id": "has space" }), "has space");
    const answer = await feedback(pair, { feedback: [{ requestId: "order-17", label: 7 }, { requestId: "order-18", label: 6 }] });
    assert.deepEqual((JSON.parse(answer.body) as { results: { status: string }[] }).results.map((r) => r.status), ["joined", "joined"]);
  });

  it("keeps at most maxPredictions requests and forgets them after the TTL, counting both", async () => {
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await infer(pair, [100 + i]));
    let text = await metrics(pair);
    assert.equal(sampleValue(text, "mdo_agent_feedback_predictions_stored"), 3);
    assert.ok((sampleValue(text, "mdo_agent_feedback_predictions_dropped_total", { reason: "evicted" }) ?? 0) >= 1);
    clock.advance(60_001);
    const late = await feedback(pair, { requestId: ids[3], label: 103 });
    assert.equal((JSON.parse(late.body) as { results: { status: string }[] }).results[0]?.status, "unknown");
    text = await metrics(pair);
    assert.equal(sampleValue(text, "mdo_agent_feedback_predictions_stored"), 0);
    assert.ok((sampleValue(text, "mdo_agent_feedback_predictions_dropped_total", { reason: "expired" }) ?? 0) >= 1);
  });

  it("answers 400 naming the field of a bad body, and never forwards feedback to the model server", async () => {
    const before = pair.fake.received.length;
    const bad = await feedback(pair, { requestId: "x", lables: [1] });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /lables/);
    assert.equal((await feedback(pair, "{not json")).status, 400);
    assert.equal(pair.fake.received.length, before);
  });
});

describe("ground truth (regression) and off", () => {
  it("scores absolute and squared errors", async () => {
    const pair = await startPair({ feedback: { kind: "regression", maxPredictions: 100, ttlMs: 60_000 } });
    try {
      const a = await infer(pair, [1, 2]);
      const b = await infer(pair, [10]);
      // Predictions 3 and 10, labels 4 and 7: |e| 1 and 3, e² 1 and 9.
      assert.equal((await feedback(pair, { feedback: [{ requestId: a, label: 4 }, { requestId: b, label: 7 }] })).status, 200);
      const text = await metrics(pair);
      assert.equal(sampleValue(text, "mdo_agent_feedback_rows_total"), 2);
      assert.equal(sampleValue(text, "mdo_agent_feedback_absolute_error_total"), 4);
      assert.equal(sampleValue(text, "mdo_agent_feedback_squared_error_total"), 10);
    } finally {
      await pair.close();
    }
  });

  it("without feedback config: no request id, and /mdo/feedback answers 404", async () => {
    const pair = await startPair();
    try {
      const answer = await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([1]), headers: json });
      assert.equal(answer.headers["x-mdo-request-id"], undefined);
      const off = await feedback(pair, { requestId: "x", label: 1 });
      assert.equal(off.status, 404);
      assert.match(off.body, /ground truth is off/);
    } finally {
      await pair.close();
    }
  });
});
