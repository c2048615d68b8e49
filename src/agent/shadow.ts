// Shadow traffic: the agent mirrors a sampled share of prediction requests to a candidate
// revision's agent and compares the two answers (src/agent/answers/compare.ts), so a model that
// answers differently is caught before it gets user traffic. Contract: the user's answer never
// waits for the mirror and never changes because of it — the mirror is sent after the user's
// answer, at most maxInFlight at once (more are dropped and counted), and its failures are only counted.
import { Pool, type Dispatcher } from "undici";
import type { IncomingHttpHeaders } from "node:http";
import type { Protocol } from "../api/index.ts";
import type { Logger } from "../runtime/logging.ts";
import { compareAnswers, type ComparisonRule } from "./answers/compare.ts";
import { parseModelAnswer } from "./answers/model-answer.ts";
import type { AgentMetrics } from "./metrics.ts";

export interface ShadowSettings {
  /** The candidate revision's name: the `candidate` label of every shadow metric this mirror counts. */
  readonly candidate: string;
  /** Base URL of the candidate revision's agent (http://host:port). */
  readonly url: string;
  /** Share of prediction requests mirrored, 0..1. */
  readonly sampleRate: number;
  /** Mirrors in flight at most; more are dropped (counted). */
  readonly maxInFlight: number;
  /** A mirror not answered within this counts as a candidate error. */
  readonly timeoutMs: number;
  readonly comparison: ComparisonRule;
}

/** Marks a mirrored request, so the candidate's agent and logs can tell it from user traffic. */
export const SHADOW_HEADER = "x-mdo-shadow";
/** Request headers the mirror carries: the body's type and the client's credentials (the candidate's agent checks them too). */
const MIRRORED_HEADERS = ["content-type", "accept", "authorization", "x-api-key"] as const;

/** What the candidate answered, or why nothing could be compared. */
type Mirrored = { readonly ok: true; readonly status: number; readonly body: Buffer } | { readonly ok: false };

export class ShadowMirror {
  private readonly settings: ShadowSettings;
  private readonly metrics: AgentMetrics;
  private readonly logger: Logger;
  private readonly protocol: Protocol;
  private readonly random: () => number;
  private readonly pool: Pool;
  private readonly pending = new Set<Promise<void>>();

  constructor(options: { settings: ShadowSettings; metrics: AgentMetrics; logger: Logger; protocol: Protocol; random?: () => number }) {
    this.settings = options.settings;
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.protocol = options.protocol;
    this.random = options.random ?? Math.random;
    this.pool = new Pool(this.settings.url, { connections: this.settings.maxInFlight, pipelining: 1, keepAliveTimeout: 4000 });
  }

  /** Whether this request is in the sampled share (the caller then buffers its body and answer). */
  sampled(): boolean {
    return this.random() < this.settings.sampleRate;
  }

  /**
   * Mirrors one request once the user's answer was sent (`primary` resolves with its status and
   * bytes; undefined bytes: not captured), then compares and counts — unless maxInFlight mirrors
   * are running (then counted as dropped; false). Sending after, not beside, the primary call keeps
   * the mirror's socket work out of the user's exchange (measured: docs/benchmarks.md). Never
   * rejects; close() waits for what is in flight.
   */
  mirror(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer, primary: Promise<{ status: number; answer: Buffer | undefined }>): boolean {
    if (this.pending.size >= this.settings.maxInFlight) {
      this.metrics.shadowRequests.inc({ candidate: this.settings.candidate, result: "dropped" });
      return false;
    }
    const done = primary.then(async (p) => {
      if (p.status < 200 || p.status >= 300 || p.answer === undefined) return void this.metrics.shadowRequests.inc({ candidate: this.settings.candidate, result: "primary_error" });
      // Behind the I/O already due, so answers waiting to be written go first.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const started = performance.now();
      const candidate = await this.call(method, path, headers, body);
      this.metrics.shadowDuration.observe({ candidate: this.settings.candidate }, (performance.now() - started) / 1000);
      this.record(p.answer, candidate);
    }).catch((error: unknown) => {
      this.logger.warn("Shadow comparison failed", { error: error instanceof Error ? error.message : String(error) });
    });
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
    return true;
  }

  /** Waits for the mirrors in flight, then closes the candidate's connections. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    await this.pool.close();
  }

  private async call(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Mirrored> {
    const forwarded: Record<string, string> = { [SHADOW_HEADER]: "1" };
    for (const name of MIRRORED_HEADERS) {
      const value = headers[name];
      if (typeof value === "string") forwarded[name] = value;
    }
    const collector = new AnswerCollector(this.settings.timeoutMs);
    this.pool.dispatch({ path, method, headers: forwarded, body }, collector);
    return collector.done;
  }

  private record(primary: Buffer, candidate: Mirrored): void {
    const { metrics } = this;
    const labels = { candidate: this.settings.candidate };
    if (!candidate.ok || candidate.status < 200 || candidate.status >= 300) return void metrics.shadowRequests.inc({ ...labels, result: "candidate_error" });
    const a = parseModelAnswer(primary, this.protocol);
    // Identical bytes are one answer: parsed once.
    const b = candidate.body.equals(primary) ? a : parseModelAnswer(candidate.body, this.protocol);
    const comparison = a === undefined || b === undefined ? undefined : compareAnswers(a, b, this.settings.comparison);
    if (comparison === undefined || !comparison.comparable) return void metrics.shadowRequests.inc({ ...labels, result: "incomparable" });
    metrics.shadowRequests.inc({ ...labels, result: "compared" });
    metrics.shadowRows.inc(labels, comparison.rows);
    metrics.shadowAgreeingRows.inc(labels, comparison.agreeingRows);
  }
}

/**
 * Collects one mirrored answer through undici's dispatch callbacks — no stream, no abort
 * controller, one timer — as the primary path's relay does (relay.ts): the mirror is extra work
 * on every sampled request, so it is kept as cheap as the user's own exchange. `done` never
 * rejects: a failure, or no complete answer within `timeoutMs`, is `{ ok: false }`.
 */
class AnswerCollector implements Dispatcher.DispatchHandler {
  readonly done: Promise<Mirrored>;
  private resolve!: (answer: Mirrored) => void;
  private readonly chunks: Buffer[] = [];
  private status = 0;
  private settled = false;
  private controller: Dispatcher.DispatchController | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(timeoutMs: number) {
    this.done = new Promise((resolve) => { this.resolve = resolve; });
    this.timer = setTimeout(() => {
      this.finish({ ok: false });
      this.controller?.abort(new Error("the candidate did not answer in time"));
    }, timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.settled) controller.abort(new Error("the candidate did not answer in time"));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.finish({ ok: true, status: this.status, body: Buffer.concat(this.chunks) });
  }

  onResponseError(): void {
    this.finish({ ok: false });
  }

  private finish(answer: Mirrored): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.resolve(answer);
  }
}
