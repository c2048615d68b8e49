// One upstream call's cancellation: the timeoutMs deadline for the answer to begin, or the
// client going away. The reason tells the proxy which status (if any) to answer.

export type AbortReason = "timeout" | "client";

export class UpstreamAbort {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private why: AbortReason | undefined;

  /** Starts the deadline: the model server's answer must begin within `timeoutMs`. */
  constructor(timeoutMs: number) {
    this.timer = setTimeout(() => this.abort("timeout"), timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the call was cancelled, if it was. */
  get reason(): AbortReason | undefined {
    return this.why;
  }

  /** The answer began (or the call ended): the deadline no longer applies. Body idle time is undici's bodyTimeout. */
  answered(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The client left: nobody waits for the answer any more. */
  clientGone(): void {
    this.abort("client");
  }

  private abort(reason: AbortReason): void {
    if (this.why !== undefined) return;
    this.why = reason;
    this.answered();
    this.controller.abort();
  }
}
