// One upstream call whose answer goes straight into the client's ServerResponse, driven by
// undici's dispatch callbacks: no body stream, no pipe, no AbortController, one timer. This is
// the agent's hot path (see docs/benchmarks.md, "Where the agent's time goes").
import type { ServerResponse } from "node:http";
import type { Dispatcher } from "undici";
import { ClientGoneError } from "./errors.ts";
import type { Exchange } from "./exchange.ts";
import { downstreamResponseHeaders } from "./headers.ts";

/** Why a relay failed; `phase` says whether the client's answer had begun. */
export interface RelayFailure {
  readonly error: unknown;
  /** "timeout": no answer began within timeoutMs; "client": the client left; "upstream": the call failed. */
  readonly reason: "timeout" | "client" | "upstream";
}

type Controller = Dispatcher.DispatchController;

function onDeadline(relay: ResponseRelay): void {
  relay.cancel("timeout", new Error("model server did not answer within timeoutMs"));
}

/**
 * Contract: `done` resolves with the upstream status once the whole answer was handed to `res`
 * (headers as the model server sent them minus hop-by-hop ones, every body chunk written as it
 * arrives, so Server-Sent Events pass unbuffered; back-pressure from a slow client pauses the
 * upstream read). It rejects with a RelayFailure: before the answer began `res` is untouched
 * and the caller answers; after that `res` has been destroyed (a status can no longer change).
 * The deadline covers the time until the answer's headers arrive; body idle time is undici's
 * bodyTimeout. `clientGone` (the client's connection closed early) cancels the call.
 */
export class ResponseRelay implements Dispatcher.DispatchHandler {
  readonly done: Promise<number>;
  private readonly res: ServerResponse;
  private readonly exchange: Exchange;
  private controller: Controller | undefined;
  private timer: NodeJS.Timeout | undefined;
  private status = 0;
  private settled = false;
  private cancelled: RelayFailure | undefined;
  private resolve!: (status: number) => void;
  private reject!: (failure: RelayFailure) => void;

  constructor(res: ServerResponse, exchange: Exchange, timeoutMs: number) {
    this.res = res;
    this.exchange = exchange;
    this.done = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.timer = setTimeout(onDeadline, timeoutMs, this);
  }

  /** The client's connection closed before its answer was complete. */
  clientGone(): void {
    this.cancel("client", new ClientGoneError("Client closed the connection during the exchange"));
  }

  /** Stops the call: the relay fails with `reason` at once, and undici drops the request. */
  cancel(reason: RelayFailure["reason"], error: Error): void {
    if (this.settled) return;
    this.cancelled = { reason, error };
    this.fail(this.cancelled);
    this.controller?.abort(error);
  }

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    if (this.cancelled !== undefined) controller.abort(this.cancelled.error as Error);
  }

  onResponseStart(controller: Controller, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.stopDeadline();
    if (this.settled) return;
    try {
      this.res.writeHead(statusCode, downstreamResponseHeaders(headers));
    } catch (error) {
      // A header Node refuses to send: free the connection, answer as a broken upstream.
      controller.abort(error as Error);
      return;
    }
    this.status = statusCode;
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.settled) return;
    this.exchange.onResponseChunk(chunk);
    if (this.res.write(chunk)) return;
    controller.pause();
    this.res.once("drain", () => controller.resume());
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    this.res.end();
    this.resolve(this.status);
  }

  onResponseError(_controller: Controller | null, error: Error): void {
    this.stopDeadline();
    if (this.settled) return;
    this.fail({ reason: "upstream", error });
  }

  private fail(failure: RelayFailure): void {
    this.stopDeadline();
    if (this.settled) return;
    this.settled = true;
    if (this.res.headersSent) this.res.destroy();
    this.reject(failure);
  }

  private stopDeadline(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
