// The activator's request handler. Each request names its target ModelDeployment by Host; it
// goes straight to a ready backend when there is one, else it is held (its body buffered) until
// the target's first pod is ready, then forwarded — exactly once either way.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { Agent, type Dispatcher } from "undici";
import { readBody, readDeclaredBody } from "../agent/body.ts";
import { PayloadTooLargeError } from "../agent/errors.ts";
import { declaredLength, hasRequestBody } from "../agent/headers.ts";
import { sendError } from "../agent/responses.ts";
import { UPSTREAM_KEEP_ALIVE_MS } from "../agent/upstream.ts";
import { realClock, type Clock } from "../runtime/clock.ts";
import type { Logger } from "../runtime/logging.ts";
import { answerFailure } from "./answers.ts";
import type { BackendDirectory } from "./backends.ts";
import { forward, type Cancellable } from "./forward.ts";
import { Holds } from "./hold.ts";
import { ActivatorMetrics, type Outcome } from "./metrics.ts";
import { parseTarget, type ActivationTarget, type TargetOptions } from "./target.ts";

/** Carried by every answer to a request that was held: the milliseconds it waited for a cold start. */
export const COLD_START_HEADER = "x-mdo-cold-start";

export const ACTIVATOR_DEFAULTS = { maxQueuedPerTarget: 100, coldStartTimeoutMs: 60_000, maxBodyBytes: 8 * 1024 * 1024 } as const;

export interface ActivatorOptions {
  readonly directory: BackendDirectory;
  /**
   * Whether the activator serves `target` at all (the cluster: a ModelDeployment that may scale
   * to zero); others are answered 404 at once. Default: every well-formed target.
   */
  readonly accepts?: (target: ActivationTarget) => boolean;
  /** "This target needs a pod now": called once per cold start, not per request. */
  readonly onDemand: (target: ActivationTarget) => void | Promise<void>;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly targets: TargetOptions;
  /** Requests held per target at most; more are answered 503 with Retry-After: 1. Default 100. */
  readonly maxQueuedPerTarget?: number;
  /** How long a request is held at most, from its arrival; then 503 with Retry-After. Default 60 s. */
  readonly coldStartTimeoutMs?: number;
  /** Largest body buffered for a held request; larger ones are answered 413. Default 8 MiB. */
  readonly maxBodyBytes?: number;
  /** Connections to backends; default an undici Agent the activator owns and closes. */
  readonly dispatcher?: Dispatcher;
  /** Times holds and measures waits; default the real clock. */
  readonly clock?: Clock;
}

export class Activator {
  private readonly options: ActivatorOptions;
  private readonly metrics: ActivatorMetrics;
  private readonly holds: Holds;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly maxBodyBytes: number;
  private readonly clock: Clock;

  constructor(options: ActivatorOptions) {
    const maxQueuedPerTarget = options.maxQueuedPerTarget ?? ACTIVATOR_DEFAULTS.maxQueuedPerTarget;
    const coldStartTimeoutMs = options.coldStartTimeoutMs ?? ACTIVATOR_DEFAULTS.coldStartTimeoutMs;
    this.maxBodyBytes = options.maxBodyBytes ?? ACTIVATOR_DEFAULTS.maxBodyBytes;
    for (const [name, value] of Object.entries({ maxQueuedPerTarget, coldStartTimeoutMs, maxBodyBytes: this.maxBodyBytes })) {
      if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`Activator option ${name} must be a positive integer, got ${value}`);
    }
    this.options = options;
    this.metrics = new ActivatorMetrics(options.registry);
    this.clock = options.clock ?? realClock;
    this.holds = new Holds({ ...options, maxQueuedPerTarget, coldStartTimeoutMs, metrics: this.metrics, clock: this.clock });
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: UPSTREAM_KEEP_ALIVE_MS, keepAliveMaxTimeout: UPSTREAM_KEEP_ALIVE_MS, connect: { timeout: 5000 } });
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const target = parseTarget(req.headers.host, this.options.targets);
    if (target === undefined) {
      this.metrics.requests.inc({ outcome: "rejected_unknown_target" });
      return sendError(res, 404, `Host ${JSON.stringify(req.headers.host ?? "")} names no ModelDeployment: expected <name>, <name>.<namespace>, <name>.<namespace>.svc or <name>.<namespace>.svc.<cluster-domain>`);
    }
    if (this.options.accepts?.(target) === false) {
      this.metrics.requests.inc({ outcome: "rejected_unknown_target" });
      return sendError(res, 404, `No ModelDeployment ${target.namespace}/${target.name} with autoscaling.minReplicas 0: the activator serves only ModelDeployments that scale to zero`);
    }
    // The one "close" listener of the request: whatever step it is in learns that the client left.
    let step: Cancellable | undefined;
    res.once("close", () => {
      if (!res.writableFinished) step?.clientGone();
    });
    this.serve(req, res, target, (current) => { step = current; }).then(
      (outcome) => this.metrics.requests.inc({ outcome }),
      (error: unknown) => this.metrics.requests.inc({ outcome: answerFailure(res, error, this.options.logger) }),
    );
  };

  /** Requests held for the target now. */
  held(target: ActivationTarget): number {
    return this.holds.held(target);
  }

  /** Answers every held request 503 and closes the backend connections the activator owns. */
  async close(): Promise<void> {
    this.holds.close();
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async serve(req: IncomingMessage, res: ServerResponse, target: ActivationTarget, onStep: (step: Cancellable) => void): Promise<Outcome> {
    const ready = this.options.directory.ready(target);
    if (ready !== undefined) {
      // Stepping out of the way: the body streams through, unbuffered and unlimited here.
      await forward(this.dispatcher, req, res, ready, hasRequestBody(req.headers) ? req : null, onStep);
      return "forwarded_direct";
    }
    const arrived = this.clock.now();
    const declared = declaredLength(req.headers);
    if (declared !== undefined && !(declared <= this.maxBodyBytes)) throw new PayloadTooLargeError(this.maxBodyBytes);
    const hold = this.holds.hold(target);
    onStep({ clientGone: () => hold.leave() });
    let body: Buffer | null;
    let backend: string;
    try {
      [body, backend] = await Promise.all([this.heldBody(req, declared), hold.ready]);
    } catch (error) {
      hold.leave();
      if (!res.headersSent) res.setHeader(COLD_START_HEADER, String(Math.round(this.clock.now() - arrived)));
      throw error;
    }
    const waited = this.clock.now() - arrived;
    res.setHeader(COLD_START_HEADER, String(Math.round(waited)));
    this.metrics.coldStartWait.observe(waited / 1000);
    // Several pods may be ready by now: spread the held requests over them.
    await forward(this.dispatcher, req, res, this.options.directory.ready(target) ?? backend, body, onStep);
    return "forwarded_after_cold_start";
  }

  /** The held request's whole body (null when it has none), at most maxBodyBytes. */
  private async heldBody(req: IncomingMessage, declared: number | undefined): Promise<Buffer | null> {
    if (!hasRequestBody(req.headers)) return null;
    return declared === undefined ? readBody(req, this.maxBodyBytes) : readDeclaredBody(req, declared, this.maxBodyBytes);
  }
}
