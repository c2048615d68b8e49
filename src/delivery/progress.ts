// Download progress for the fetcher's log: totals, not per-chunk noise.

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** 1536 → "1.5 KiB". Pure. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

/**
 * Counts bytes and files and reports at most every `intervalMs` (and once at the end) through
 * `log`, e.g. "Downloaded 412.0 MiB of 1.0 GiB (40%), 3 of 200 files, 85.3 MiB/s".
 */
export class Progress {
  private bytes = 0;
  private files = 0;
  private lastReport: number;
  private readonly started: number;
  private readonly totals: { files: number; bytes: number | undefined };
  private readonly log: (message: string) => void;
  private readonly now: () => number;
  private readonly intervalMs: number;

  constructor(totals: { files: number; bytes: number | undefined }, log: (message: string) => void, now: () => number = Date.now, intervalMs = 5_000) {
    this.totals = totals;
    this.log = log;
    this.now = now;
    this.intervalMs = intervalMs;
    this.started = now();
    this.lastReport = this.started;
  }

  addBytes(n: number): void {
    this.bytes += n;
    if (this.now() - this.lastReport >= this.intervalMs) this.report();
  }

  /** A retry re-reads `n` bytes it had counted: they are not new progress. */
  forgetBytes(n: number): void {
    this.bytes -= n;
  }

  fileDone(): void {
    this.files++;
  }

  get downloadedBytes(): number {
    return this.bytes;
  }

  report(): void {
    this.lastReport = this.now();
    const seconds = Math.max((this.lastReport - this.started) / 1000, 0.001);
    const { bytes: total, files } = this.totals;
    const of = total === undefined ? "" : ` of ${formatBytes(total)}${total > 0 ? ` (${Math.floor((100 * this.bytes) / total)}%)` : ""}`;
    this.log(`Downloaded ${formatBytes(this.bytes)}${of}, ${this.files} of ${files} files, ${formatBytes(this.bytes / seconds)}/s`);
  }
}
