// Served predictions kept for ground truth: the agent remembers what it answered under the
// request id it returned (x-mdo-request-id) until a label for it arrives, the entry expires or
// newer entries push it out. Contract: memory is bounded (maxEntries entries of at most
// maxRowsPerEntry predictions), every call is amortised O(1) (no scans), the clock is the caller's
// (nowMs arguments, any monotonic milliseconds), and an entry is handed out at most once (take).

/** One prediction of one row, as the model server answered it. */
export type Prediction = number | string;

export interface PredictionStoreOptions {
  /** Most entries kept; the oldest go first. */
  readonly maxEntries: number;
  /** How long an entry can be joined: stored at t, it is available up to and including t + ttlMs. */
  readonly ttlMs: number;
  /** Most predictions kept per entry; rows past it are not kept (but still counted in `rows`). */
  readonly maxRowsPerEntry: number;
}

/** What was remembered for one request. */
export interface StoredPredictions {
  /** The first min(rows, maxRowsPerEntry) predictions, in row order. */
  readonly predictions: readonly Prediction[];
  /** Rows the request had: what a feedback's label count must match. */
  readonly rows: number;
  readonly storedAtMs: number;
}

/** Expired entries dropped by one call at most, so a burst of expiries never stalls a request. */
const SWEEP_BUDGET = 32;

export class PredictionStore {
  // A Map iterates in insertion order and entries are stamped with non-decreasing times, so the
  // first entry is always the oldest: expiry and eviction only ever look at the head.
  private readonly entries = new Map<string, StoredPredictions>();
  private latestMs = Number.NEGATIVE_INFINITY;
  private evictedCount = 0;
  private expiredCount = 0;
  private droppedRowsCount = 0;
  private readonly options: PredictionStoreOptions;

  constructor(options: PredictionStoreOptions) {
    for (const name of ["maxEntries", "maxRowsPerEntry"] as const) {
      if (!Number.isInteger(options[name]) || options[name] < 1) throw new RangeError(`${name} must be an integer of at least 1`);
    }
    if (!(options.ttlMs > 0)) throw new RangeError("ttlMs must be positive");
    this.options = { ...options };
  }

  /**
   * Remembers `predictions` (one per row) for `requestId` and returns how many were kept (at most
   * maxRowsPerEntry). A request with no rows is not remembered (there is nothing to join). The
   * same id remembered again replaces the earlier entry and counts as new. A clock that goes
   * back is clamped to the latest time seen, so insertion order stays time order.
   */
  remember(requestId: string, predictions: readonly Prediction[], nowMs: number): number {
    this.sweep(nowMs);
    if (predictions.length === 0) return 0;
    const kept = predictions.slice(0, this.options.maxRowsPerEntry);
    this.droppedRowsCount += predictions.length - kept.length;
    this.latestMs = Math.max(this.latestMs, nowMs);
    this.entries.delete(requestId);
    this.entries.set(requestId, { predictions: kept, rows: predictions.length, storedAtMs: this.latestMs });
    // The sweep above stopped at a live head or dropped SWEEP_BUDGET entries (leaving room), so
    // what is evicted here is always live.
    while (this.entries.size > this.options.maxEntries) {
      const oldestId = this.entries.keys().next().value as string;
      this.entries.delete(oldestId);
      this.evictedCount++;
    }
    return kept.length;
  }

  /** The live entry for `requestId`, left in place (to check it before taking it). */
  peek(requestId: string, nowMs: number): StoredPredictions | undefined {
    this.sweep(nowMs);
    const entry = this.entries.get(requestId);
    if (entry === undefined) return undefined;
    if (this.isExpired(entry, nowMs)) {
      this.entries.delete(requestId);
      this.expiredCount++;
      return undefined;
    }
    return entry;
  }

  /** The live entry for `requestId`, removed: a second take of the same id gets undefined. */
  take(requestId: string, nowMs: number): StoredPredictions | undefined {
    const entry = this.peek(requestId, nowMs);
    if (entry !== undefined) this.entries.delete(requestId);
    return entry;
  }

  /** Entries held now (expired ones not yet dropped included). */
  get size(): number {
    return this.entries.size;
  }

  /** Entries pushed out by maxEntries before they expired or were taken, since start. */
  get evicted(): number {
    return this.evictedCount;
  }

  /** Entries dropped because their TTL passed before they were taken, since start. */
  get expired(): number {
    return this.expiredCount;
  }

  /** Predictions not kept because of maxRowsPerEntry, since start. */
  get droppedRows(): number {
    return this.droppedRowsCount;
  }

  private isExpired(entry: StoredPredictions, nowMs: number): boolean {
    return nowMs - entry.storedAtMs > this.options.ttlMs;
  }

  /** Drops expired entries from the head, at most SWEEP_BUDGET of them. */
  private sweep(nowMs: number): void {
    let budget = SWEEP_BUDGET;
    for (const [id, entry] of this.entries) {
      if (budget-- === 0 || !this.isExpired(entry, nowMs)) return;
      this.entries.delete(id);
      this.expiredCount++;
    }
  }
}
