// The body of one HTTP response on a connection of its own, read through one buffer that the
// socket reuses for every read (net.Socket's `onread`). Pushed into a ByteSink it is never
// copied and allocates nothing per read; read as a Readable (what the AWS SDK and other callers
// expect) each read is copied into a fresh Buffer first. Made by raw-http-handler.ts.
import type { Socket } from "node:net";
import { Readable } from "node:stream";
import type { ByteSink, PushedBody } from "../store.ts";

/** A connection closed before the body's Content-Length bytes arrived. */
export class TruncatedBodyError extends Error {
  readonly code = "ECONNRESET";
  constructor(received: number, expected: number) {
    super(`the connection closed after ${received} of ${expected} bytes of the body`);
    this.name = "TruncatedBodyError";
  }
}

export class RawBody extends Readable implements PushedBody {
  private readonly socket: Socket;
  private readonly length: number;
  private remaining: number;
  /** Bytes that came in the same read as the response's head, copied. */
  private stash: Buffer | undefined;
  private mode: "waiting" | "push" | "stream" = "waiting";
  private sink: ByteSink | undefined;
  private settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  /** Every byte was handed over. */
  private complete = false;

  /** `socket` is paused; `leftover` (not retained) is the start of the body, `length` its Content-Length. */
  constructor(socket: Socket, length: number, leftover: Uint8Array) {
    super();
    this.socket = socket;
    this.length = length;
    const first = leftover.subarray(0, length);
    this.remaining = length - first.length;
    this.stash = first.length > 0 ? Buffer.from(first) : undefined;
  }

  pipeInto(sink: ByteSink): Promise<void> {
    if (this.mode !== "waiting") return Promise.reject(new Error("the body is already being read"));
    this.mode = "push";
    this.sink = sink;
    return new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
      if (this.failure !== undefined) return reject(this.failure);
      const stash = this.stash;
      this.stash = undefined;
      // The socket is paused: reading goes on unless the sink asked to wait (it resumes then).
      if (stash === undefined || this.deliver(stash)) this.continueReading();
    });
  }

  /**
   * The socket's onread callback during the body: `view` is valid only until this returns.
   * Returns false to pause the socket.
   */
  feed(view: Uint8Array): boolean {
    const bytes = view.subarray(0, Math.min(view.length, this.remaining));
    this.remaining -= bytes.length;
    if (this.mode === "stream") {
      const more = this.push(Buffer.from(bytes));
      if (this.remaining === 0) this.end();
      return more && this.remaining > 0;
    }
    if (this.mode === "push") return this.deliver(bytes);
    // Nobody reads yet (the socket should be paused): keep the bytes.
    this.stash = this.stash === undefined ? Buffer.from(bytes) : Buffer.concat([this.stash, bytes]);
    return false;
  }

  /** The connection failed or closed; a truncation when the body had not fully arrived. */
  connectionEnded(error: unknown): void {
    if (this.complete) return;
    this.fail(error ?? new TruncatedBodyError(this.length - this.remaining, this.length));
  }

  override _read(): void {
    if (this.mode === "waiting") {
      this.mode = "stream";
      if (this.failure !== undefined) return void this.destroy(this.failure);
      const stash = this.stash;
      this.stash = undefined;
      if (stash !== undefined) this.push(stash);
      if (this.remaining === 0) return this.end();
    }
    if (this.mode === "stream" && !this.complete && this.failure === undefined) this.socket.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }

  /** Hands `bytes` to the sink; false (pause) while it asks to wait or once the body is complete. */
  private deliver(bytes: Uint8Array): boolean {
    let wait: Promise<void> | undefined;
    try {
      wait = this.sink!.write(bytes);
    } catch (error) {
      this.fail(error);
      return false;
    }
    if (this.remaining === 0) {
      if (wait === undefined) this.end();
      else wait.then(() => this.end(), (error: unknown) => this.fail(error));
      return false;
    }
    if (wait === undefined) return true;
    wait.then(() => this.continueReading(), (error: unknown) => this.fail(error));
    return false;
  }

  private continueReading(): void {
    if (this.remaining === 0) this.end();
    else if (this.failure === undefined) this.socket.resume();
  }

  private end(): void {
    if (this.complete || this.failure !== undefined) return;
    this.complete = true;
    this.socket.destroy();
    if (this.mode === "stream") this.push(null);
    const settle = this.settle;
    this.settle = undefined;
    settle?.resolve();
  }

  private fail(error: unknown): void {
    if (this.complete || this.failure !== undefined) return;
    this.failure = error instanceof Error ? error : new Error(String(error));
    this.socket.destroy();
    if (this.mode === "stream") this.destroy(this.failure);
    const settle = this.settle;
    this.settle = undefined;
    settle?.reject(this.failure);
  }
}
