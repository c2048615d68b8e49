// The load of one revision over time: samples of its total load (all ready pods together), kept
// as long as the longest window needs them, averaged over a trailing window.

export interface LoadSample {
  readonly atMs: number;
  /** Total over the revision's ready pods: requests in flight, or requests per second. */
  readonly total: number;
}

export class LoadWindow {
  private readonly samples: LoadSample[] = [];
  private readonly keepMs: number;

  /** Keeps samples for `keepMs` (the longest window asked for). */
  constructor(keepMs: number) {
    this.keepMs = keepMs;
  }

  record(sample: LoadSample): void {
    this.samples.push(sample);
    const oldest = sample.atMs - this.keepMs;
    while (this.samples.length > 0 && (this.samples[0]?.atMs ?? 0) <= oldest) this.samples.shift();
  }

  /** Mean total over the samples of the last `windowMs` before `nowMs`; undefined when there are none. */
  average(nowMs: number, windowMs: number): number | undefined {
    let sum = 0;
    let count = 0;
    for (const s of this.samples) {
      if (s.atMs <= nowMs - windowMs || s.atMs > nowMs) continue;
      sum += s.total;
      count++;
    }
    return count === 0 ? undefined : sum / count;
  }
}
