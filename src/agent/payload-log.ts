// Optional payload logging (logPayloads): a sample of exchanges written as JSON lines, one per
// exchange, to stdout (the agent's diagnostic logs go to stderr, so the two never interleave).
// Bodies only: headers are never logged, so neither are API keys.
import { isUtf8 } from "node:buffer";
import type { Writable } from "node:stream";

/** Bytes of each body kept in a record; the rest is dropped and the record says so. */
export const PAYLOAD_LOG_MAX_BYTES = 64 * 1024;

export interface LoggedBody {
  readonly encoding: "utf8" | "base64";
  readonly data: string;
  readonly bytes: number;
  readonly truncated: boolean;
}

export interface PayloadRecord {
  readonly time: string;
  readonly revision: string;
  readonly model: string;
  readonly version: string;
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly request: LoggedBody;
  readonly response: LoggedBody;
}

/** Collects the first PAYLOAD_LOG_MAX_BYTES of a body as it streams by, counting the rest. */
export class BodyCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;

  add(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.kept >= PAYLOAD_LOG_MAX_BYTES) return;
    const part = chunk.length + this.kept > PAYLOAD_LOG_MAX_BYTES ? chunk.subarray(0, PAYLOAD_LOG_MAX_BYTES - this.kept) : chunk;
    this.chunks.push(part);
    this.kept += part.length;
  }

  toLogged(): LoggedBody {
    const data = Buffer.concat(this.chunks, this.kept);
    // A cut may split a UTF-8 sequence; base64 then keeps the bytes exact.
    const text = isUtf8(data);
    return {
      encoding: text ? "utf8" : "base64",
      data: data.toString(text ? "utf8" : "base64"),
      bytes: this.total,
      truncated: this.total > this.kept,
    };
  }
}

export interface PayloadLoggerOptions {
  /** Fraction of exchanges logged, 0..1. */
  readonly sampleRate: number;
  /** JSON lines go here unless a sink takes the records. */
  readonly out: Writable;
  /** Takes the records instead of `out`, e.g. the CloudEvents HTTP sink. */
  readonly sink?: { write(record: PayloadRecord): void };
  readonly random?: () => number;
}

export class PayloadLogger {
  private readonly options: PayloadLoggerOptions;

  constructor(options: PayloadLoggerOptions) {
    this.options = options;
  }

  /** Decides, once per exchange, whether it is logged. */
  sample(): boolean {
    const rate = this.options.sampleRate;
    return rate >= 1 || (rate > 0 && (this.options.random ?? Math.random)() < rate);
  }

  write(record: PayloadRecord): void {
    if (this.options.sink !== undefined) this.options.sink.write(record);
    else this.options.out.write(`${JSON.stringify(record)}\n`);
  }
}
