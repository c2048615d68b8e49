// The in-flight limit (limits.maxConcurrency): admission is a counter, never a queue, so an
// overloaded agent answers 503 at once instead of building latency.
import type { ServerResponse } from "node:http";

export class ConcurrencyLimit {
  private running = 0;
  private readonly max: number;

  /** `max` undefined: unlimited. */
  constructor(max: number | undefined) {
    this.max = max ?? Number.POSITIVE_INFINITY;
  }

  /** Takes a slot if one is free; every true must be paired with one release(). */
  tryAcquire(): boolean {
    if (this.running >= this.max) return false;
    this.running++;
    return true;
  }

  /** Bound, so it can be handed around as a callback. */
  readonly release = (): void => {
    if (this.running > 0) this.running--;
  };

  get inFlight(): number {
    return this.running;
  }
}

const OVERLOADED_BODY = JSON.stringify({ error: "too many requests in flight" });

/** The 503 for a full agent: retry after a second, when slots have likely freed. */
export function sendOverloaded(res: ServerResponse): void {
  res.writeHead(503, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(OVERLOADED_BODY),
    "retry-after": "1",
  });
  res.end(OVERLOADED_BODY);
}
