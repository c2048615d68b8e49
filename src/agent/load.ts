// The agent's load for concurrency and request-rate autoscaling (Knative-KPA-like): requests in
// flight, their time integral and a count of requests started. Two snapshots give exact averages
// over the interval between them, however far apart they were taken:
//   average concurrency = Δ concurrencySeconds / (Δ monotonicMs / 1000)
//   requests per second = Δ requests / (Δ monotonicMs / 1000)

/** The meter at one instant (the JSON of the metrics port's GET /load). */
export interface LoadSnapshot {
  /** Requests started and not yet ended. */
  readonly inFlight: number;
  /** ∫ inFlight dt since the meter was created, in seconds, brought up to monotonicMs. */
  readonly concurrencySeconds: number;
  /** Requests started since the meter was created. */
  readonly requests: number;
  /**
   * The meter's clock (ms) at this snapshot: monotonic within one process, with an arbitrary
   * origin, so only differences between snapshots of the same process mean anything.
   */
  readonly monotonicMs: number;
}

export class LoadMeter {
  private readonly now: () => number;
  private inFlight = 0;
  private requests = 0;
  /** ∫ inFlight dt in concurrency-milliseconds, up to `since`. */
  private integralMs = 0;
  /** The clock reading the integral is complete up to. */
  private since: number;

  /** `now` is a monotonic clock in milliseconds; performance.now() by default. */
  constructor(now: () => number = () => performance.now()) {
    this.now = now;
    this.since = now();
  }

  /** A request began: call end() exactly once when it ends. */
  start(): void {
    this.advance();
    this.inFlight++;
    this.requests++;
  }

  /** A request ended. An end() without a matching start() is ignored: in-flight never goes negative. */
  end(): void {
    this.advance();
    if (this.inFlight > 0) this.inFlight--;
  }

  snapshot(): LoadSnapshot {
    this.advance();
    return { inFlight: this.inFlight, concurrencySeconds: this.integralMs / 1000, requests: this.requests, monotonicMs: this.since };
  }

  /** The integral so far, in concurrency-seconds (never decreases). */
  concurrencySeconds(): number {
    this.advance();
    return this.integralMs / 1000;
  }

  /** Adds inFlight × the time since the last change; a clock that steps back adds nothing. */
  private advance(): void {
    const now = this.now();
    if (now <= this.since) return;
    this.integralMs += this.inFlight * (now - this.since);
    this.since = now;
  }
}
