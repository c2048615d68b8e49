import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_MAX_FEEDBACK_ITEMS,
  MAX_LABEL_LENGTH,
  MAX_REQUEST_ID_LENGTH,
  joinFeedback,
  parseFeedbackBody,
  type FeedbackItem,
  type ParsedFeedback,
} from "../../../src/agent/feedback/feedback-body.ts";
import { PredictionStore } from "../../../src/agent/feedback/prediction-store.ts";
import { QualityTracker } from "../../../src/agent/feedback/quality.ts";

const json = (value: unknown): string => JSON.stringify(value);
const items = (parsed: ParsedFeedback): readonly FeedbackItem[] => {
  assert.ok(parsed.ok, parsed.ok ? "" : parsed.error);
  return parsed.items;
};
const error = (parsed: ParsedFeedback): string => {
  assert.ok(!parsed.ok, "expected an error");
  return parsed.error;
};
const batch = (n: number) => json({ feedback: Array.from({ length: n }, (_, i) => ({ requestId: `r${i}`, label: i })) });

describe("parseFeedbackBody", () => {
  it("reads labels, the one-row shorthand and a batch", () => {
    assert.deepEqual(items(parseFeedbackBody(json({ requestId: "r1", labels: [1, "cat"] }))), [{ requestId: "r1", labels: [1, "cat"] }]);
    assert.deepEqual(items(parseFeedbackBody(json({ requestId: "r1", label: 0 }))), [{ requestId: "r1", labels: [0] }]);
    assert.deepEqual(items(parseFeedbackBody(json({ feedback: [{ requestId: "a", label: "x" }, { requestId: "b", labels: [2.5] }] }))), [
      { requestId: "a", labels: ["x"] },
      { requestId: "b", labels: [2.5] },
    ]);
  });

  it("reads bytes as UTF-8", () => {
    assert.deepEqual(items(parseFeedbackBody(Buffer.from(json({ requestId: "r", label: "é" })))), [{ requestId: "r", labels: ["é"] }]);
  });

  it("names the wrong field and what is wrong with it", () => {
    const cases: [string, string][] = [
      ["not json", "body: not valid JSON"],
      ["[1]", "body: must be a JSON object"],
      ["null", "body: must be a JSON object"],
      [json({ labels: [1] }), "body.requestId: is required"],
      [json({ requestId: 5, labels: [1] }), "body.requestId: must be a string"],
      [json({ requestId: "", labels: [1] }), "body.requestId: must not be empty"],
      [json({ requestId: "a b", labels: [1] }), "body.requestId: must be printable ASCII without spaces"],
      [json({ requestId: "r".repeat(MAX_REQUEST_ID_LENGTH + 1), labels: [1] }), `body.requestId: must be at most ${MAX_REQUEST_ID_LENGTH} characters`],
      [json({ requestId: "r" }), "body.labels: is required (or label, for a one-row request)"],
      [json({ requestId: "r", labels: [] }), "body.labels: must have at least one label"],
      [json({ requestId: "r", labels: "x" }), "body.labels: must be an array"],
      [json({ requestId: "r", labels: [1, true] }), "body.labels[1]: must be a number or a string"],
      [json({ requestId: "r", label: null }), "body.label: must be a number or a string"],
      [json({ requestId: "r", label: "x".repeat(MAX_LABEL_LENGTH + 1) }), `body.label: must be at most ${MAX_LABEL_LENGTH} characters`],
      [json({ requestId: "r", labels: [1], label: 1 }), "body.label: must not be given together with labels"],
      [json({ requestId: "r", lables: [1] }), "body.lables: unknown field"],
      [json({ feedback: "x" }), "body.feedback: must be an array"],
      [json({ feedback: [] }), "body.feedback: must have at least one item"],
      [json({ feedback: [{ requestId: "a", label: 1 }, 5] }), "body.feedback[1]: must be an object"],
      [json({ feedback: [{ requestId: "a", label: 1 }, { requestId: "b" }] }), "body.feedback[1].labels: is required"],
      [json({ feedback: [{ requestId: "a", label: 1 }], requestId: "a" }), "body.requestId: unknown field"],
    ];
    for (const [body, message] of cases) {
      const parsed = parseFeedbackBody(body);
      assert.ok(!parsed.ok && parsed.error.includes(message), `${body.slice(0, 80)}: got ${json(parsed)}, wanted "${message}"`);
    }
  });

  it("lists the first few issues and counts the rest", () => {
    const message = error(parseFeedbackBody(json({ requestId: "r", labels: Array.from({ length: 10 }, () => true) })));
    assert.equal(message.split("; ").length, 6);
    assert.match(message, /^body\.labels\[0\]: .*; and 5 more$/);
  });

  it("never throws, whatever arrives", () => {
    for (const body of ["", "[".repeat(100_000), "\u0000", "1e999", '{"__proto__": {"requestId": "r"}}', Buffer.from([0xff, 0xfe])]) {
      const parsed = parseFeedbackBody(body);
      assert.equal(parsed.ok, false);
    }
  });

  it("takes at most maxItems items in a batch", () => {
    assert.equal(items(parseFeedbackBody(batch(2), { maxItems: 2 })).length, 2);
    assert.equal(error(parseFeedbackBody(batch(3), { maxItems: 2 })), "body.feedback: must have at most 2 items (has 3)");
    assert.equal(items(parseFeedbackBody(batch(DEFAULT_MAX_FEEDBACK_ITEMS))).length, DEFAULT_MAX_FEEDBACK_ITEMS);
    assert.equal(parseFeedbackBody(batch(DEFAULT_MAX_FEEDBACK_ITEMS + 1)).ok, false);
  });
});

describe("joinFeedback", () => {
  const setup = (maxRowsPerEntry = 100) => {
    const store = new PredictionStore({ maxEntries: 100, ttlMs: 1000, maxRowsPerEntry });
    const tracker = new QualityTracker("classification");
    return { store, tracker };
  };

  it("joins each id once, and a mismatch consumes nothing", () => {
    const { store, tracker } = setup();
    store.remember("a", ["cat", "dog"], 0);
    store.remember("b", [3], 0);
    const outcomes = joinFeedback(
      store,
      tracker,
      [
        { requestId: "a", labels: ["cat", "cat"] },
        { requestId: "b", labels: [3, 3] },
        { requestId: "c", labels: [1] },
        { requestId: "a", labels: ["cat", "dog"] },
      ],
      10,
    );
    assert.deepEqual(
      outcomes.map(({ requestId, status, rows }) => [requestId, status, rows]),
      [
        ["a", "joined", 2],
        ["b", "mismatch", 0],
        ["c", "unknown", 0],
        ["a", "unknown", 0],
      ],
    );
    assert.equal(outcomes[0]?.reason, undefined);
    assert.equal(outcomes[1]?.reason, "2 label(s) for a request of 1 row(s)");
    assert.match(outcomes[2]?.reason ?? "", /unknown request id/);
    assert.deepEqual(tracker.snapshot(), { kind: "classification", total: 2, correct: 1, invalid: 0, accuracy: 0.5 });

    assert.deepEqual(joinFeedback(store, tracker, [{ requestId: "b", labels: ["3"] }], 20), [{ requestId: "b", status: "joined", rows: 1 }]);
    assert.deepEqual(tracker.snapshot(), { kind: "classification", total: 3, correct: 2, invalid: 0, accuracy: 2 / 3 });
  });

  it("answers unknown once the predictions expired", () => {
    const { store, tracker } = setup();
    store.remember("a", [1], 0);
    assert.equal(joinFeedback(store, tracker, [{ requestId: "a", labels: [1] }], 1001)[0]?.status, "unknown");
    assert.equal(store.size, 0);
    assert.deepEqual(tracker.snapshot(), { kind: "classification", total: 0, correct: 0, invalid: 0, accuracy: undefined });
  });

  it("matches labels against the request's rows, scoring only the rows kept", () => {
    const { store, tracker } = setup(2);
    store.remember("a", [1, 2, 3], 0);
    assert.equal(joinFeedback(store, tracker, [{ requestId: "a", labels: [1, 2] }], 1)[0]?.status, "mismatch");
    assert.deepEqual(joinFeedback(store, tracker, [{ requestId: "a", labels: [1, 0, 3] }], 2), [{ requestId: "a", status: "joined", rows: 2 }]);
    assert.deepEqual(tracker.snapshot(), { kind: "classification", total: 2, correct: 1, invalid: 0, accuracy: 0.5 });
  });

  it("feeds a regression tracker", () => {
    const store = new PredictionStore({ maxEntries: 10, ttlMs: 1000, maxRowsPerEntry: 10 });
    const tracker = new QualityTracker("regression");
    store.remember("a", [2, 4], 0);
    joinFeedback(store, tracker, [{ requestId: "a", labels: [1, 7] }], 0);
    const snapshot = tracker.snapshot();
    assert.ok(snapshot.kind === "regression");
    assert.deepEqual([snapshot.count, snapshot.mae, snapshot.rmse], [2, 2, Math.sqrt(5)]);
  });
});
