// Ground truth in the agent: every answered prediction request gets a request id (returned in
// x-mdo-request-id) under which its predictions are kept for a while; labels posted later to
// POST /mdo/feedback are joined with them and scored, and the scores are counters the operator
// and Prometheus read (accuracy = correct / labelled rows; MAE = absolute error sum / rows).
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Prediction } from "./answers/predictions.ts";
import { joinFeedback, MAX_REQUEST_ID_LENGTH, parseFeedbackBody, type JoinOutcome } from "./feedback/feedback-body.ts";
import { PredictionStore } from "./feedback/prediction-store.ts";
import { QualityTracker, type QualityKind } from "./feedback/quality.ts";
import type { AgentMetrics } from "./metrics.ts";

/** The response header carrying the id a label is posted under. */
export const REQUEST_ID_HEADER = "x-mdo-request-id";
/** The path labels are posted to, on the serving port (authenticated like inference). */
export const FEEDBACK_PATH = "/mdo/feedback";
/** Rows kept per request: a label batch beyond it scores only the first ones. */
const MAX_ROWS_PER_ENTRY = 10_000;
/** A client's own x-request-id is reused when it is printable ASCII without spaces. */
const CLIENT_ID = /^[\x21-\x7e]+$/;

export interface GroundTruthOptions {
  readonly kind: QualityKind;
  readonly maxPredictions: number;
  readonly ttlMs: number;
  readonly metrics: AgentMetrics;
  /** Monotonic milliseconds. */
  readonly now: () => number;
}

export type FeedbackAnswer = { readonly status: 200; readonly results: readonly JoinOutcome[] } | { readonly status: 400; readonly error: string };

export class GroundTruth {
  private readonly store: PredictionStore;
  private readonly tracker: QualityTracker;
  private readonly options: GroundTruthOptions;
  private scored = { rows: 0, correct: 0, absolute: 0, squared: 0, invalid: 0 };
  private dropped = { evicted: 0, expired: 0 };

  constructor(options: GroundTruthOptions) {
    this.options = options;
    this.store = new PredictionStore({ maxEntries: options.maxPredictions, ttlMs: options.ttlMs, maxRowsPerEntry: MAX_ROWS_PER_ENTRY });
    this.tracker = new QualityTracker(options.kind);
    options.metrics.observeFeedbackStore(() => this.storeSize());
  }

  /** The id of a request: the client's `x-request-id` when usable, else a new UUID. */
  requestId(headers: IncomingHttpHeaders): string {
    const given = headers["x-request-id"];
    return typeof given === "string" && given.length <= MAX_REQUEST_ID_LENGTH && CLIENT_ID.test(given) ? given : randomUUID();
  }

  /** Keeps the predictions of a 2xx answer under `id` (undefined: the answer had no one prediction per row; counted). */
  remember(id: string, predictions: readonly Prediction[] | undefined): void {
    if (predictions === undefined) {
      this.options.metrics.feedbackUnreadable.inc();
      return;
    }
    this.store.remember(id, predictions, this.options.now());
  }

  /** Joins a POSTed feedback body with the kept predictions and counts what was scored. */
  feedback(body: Buffer): FeedbackAnswer {
    const parsed = parseFeedbackBody(body);
    if (!parsed.ok) return { status: 400, error: parsed.error };
    const results = joinFeedback(this.store, this.tracker, parsed.items, this.options.now());
    const { metrics } = this.options;
    for (const r of results) metrics.feedbackItems.inc({ result: r.status });
    this.countScores();
    return { status: 200, results };
  }

  private countScores(): void {
    const s = this.tracker.snapshot();
    const now = s.kind === "classification"
      ? { rows: s.total, correct: s.correct, absolute: 0, squared: 0, invalid: s.invalid }
      : { rows: s.count, correct: 0, absolute: s.absoluteErrorSum, squared: s.squaredErrorSum, invalid: s.invalid };
    const { metrics } = this.options;
    metrics.feedbackRows.inc(now.rows - this.scored.rows);
    if (s.kind === "classification") metrics.feedbackCorrect.inc(now.correct - this.scored.correct);
    else {
      metrics.feedbackAbsoluteError.inc(now.absolute - this.scored.absolute);
      metrics.feedbackSquaredError.inc(now.squared - this.scored.squared);
    }
    metrics.feedbackInvalid.inc(now.invalid - this.scored.invalid);
    this.scored = now;
  }

  /** For the gauge, at scrape time; also counts entries the store dropped since the last scrape. */
  private storeSize(): number {
    const { metrics } = this.options;
    metrics.feedbackDropped.inc({ reason: "evicted" }, this.store.evicted - this.dropped.evicted);
    metrics.feedbackDropped.inc({ reason: "expired" }, this.store.expired - this.dropped.expired);
    this.dropped = { evicted: this.store.evicted, expired: this.store.expired };
    return this.store.size;
  }
}
