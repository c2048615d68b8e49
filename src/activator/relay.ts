// One forwarded request whose answer goes straight into the client's ServerResponse, driven by
// undici's dispatch callbacks (as the agent's ResponseRelay, without the agent's exchange
// accounting and deadline: the backend's own agent enforces the model's timeout).
import type { ServerResponse } from "node:http";
import type { Dispatcher } from "undici";
import { ClientGoneError, UpstreamError } from "../agent/errors.ts";
import { downstreamResponseHeaders } from "../agent/headers.ts";
import { upstreamErrorKind } from "../agent/upstream-errors.ts";

type Controller = Dispatcher.DispatchController;

/**
 * Contract: `done` resolves with the backend's status once its whole answer was handed to `res`
 * (hop-by-hop headers dropped, headers already set on `res` kept, body chunks written as they
 * arrive under the client's back-pressure). It rejects with UpstreamError when the call failed
 * or ClientGoneError after clientGone(): before the answer began `res` is untouched and the
 * caller answers; after that `res` has been destroyed.
 */
export class Relay implements Dispatcher.DispatchHandler {
  readonly done: Promise<number>;
  private readonly res: ServerResponse;
  private controller: Controller | undefined;
  private status = 0;
  private settled = false;
  private cancelled: Error | undefined;
  private resolve!: (status: number) => void;
  private reject!: (error: Error) => void;

  constructor(res: ServerResponse) {
    this.res = res;
    this.done = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** The client's connection closed before its answer was complete: the call is dropped. */
  clientGone(): void {
    if (this.settled) return;
    this.cancelled = new ClientGoneError("Client closed the connection during the forwarded call");
    this.fail(this.cancelled);
    this.controller?.abort(this.cancelled);
  }

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    if (this.cancelled !== undefined) controller.abort(this.cancelled);
  }

  onResponseStart(controller: Controller, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (this.settled) return;
    try {
      this.res.writeHead(statusCode, downstreamResponseHeaders(headers));
    } catch (error) {
      // A header Node refuses to send: free the connection, answer as a broken backend.
      controller.abort(error as Error);
      return;
    }
    this.status = statusCode;
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.settled) return;
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
    this.fail(error === this.cancelled ? error : new UpstreamError(upstreamErrorKind(error), error));
  }

  private fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    if (this.res.headersSent) this.res.destroy();
    this.reject(error);
  }
}
