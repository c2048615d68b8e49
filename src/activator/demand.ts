// The activator's onDemand, told to the operator: at the start of a cold start the target's
// activation is posted at once, then again every second while requests are still held for it
// (which covers a lost call, a standby answering 503 and an operator restart), each call bounded
// by a timeout. Failures are logged, never thrown.
import type { Clock } from "../runtime/clock.ts";
import { describeError } from "../runtime/errors.ts";
import type { Logger } from "../runtime/logging.ts";
import { postActivation, type ActivationAnswer } from "./activation-call.ts";
import { targetKey, type ActivationTarget } from "./target.ts";

export const DEMAND_DEFAULTS = { periodMs: 1000, timeoutMs: 2000 } as const;

export interface OperatorDemandOptions {
  /** The operator's base URL, e.g. http://mdo-metrics.mdo-system.svc:8081. */
  readonly operatorUrl: URL;
  /**
   * Requests held for the target now (Activator.held). The calls repeat while it is above 0:
   * held requests are released the moment a backend is ready, so it also means none is.
   */
  readonly held: (target: ActivationTarget) => number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Ends every repetition and aborts the calls in flight. */
  readonly signal: AbortSignal;
  /** Between two calls for one target; default 1 s. */
  readonly periodMs?: number;
  /** A call without an answer by then is aborted (and logged); default 2 s. */
  readonly timeoutMs?: number;
}

/** A target's repetition: running until nothing is held for it. */
interface Repetition {
  /** Ends the current pause at once (a new cold start began during it). */
  wake: (() => void) | undefined;
  done: Promise<void>;
}

export class OperatorDemand {
  private readonly options: OperatorDemandOptions;
  private readonly periodMs: number;
  private readonly timeoutMs: number;
  private readonly repetitions = new Map<string, Repetition>();

  constructor(options: OperatorDemandOptions) {
    this.options = options;
    this.periodMs = options.periodMs ?? DEMAND_DEFAULTS.periodMs;
    this.timeoutMs = options.timeoutMs ?? DEMAND_DEFAULTS.timeoutMs;
  }

  /**
   * The Activator's onDemand: posts the target's activation at once (or, when a repetition for
   * the target is still pausing, ends its pause), then every periodMs while requests are held.
   * One repetition per target at most; never throws.
   */
  readonly onDemand = (target: ActivationTarget): void => {
    if (this.options.signal.aborted) return;
    const key = targetKey(target);
    const running = this.repetitions.get(key);
    if (running !== undefined) {
      running.wake?.();
      return;
    }
    const repetition: Repetition = { wake: undefined, done: Promise.resolve() };
    this.repetitions.set(key, repetition);
    repetition.done = this.repeat(target, key, repetition)
      .catch((error: unknown) => {
        this.options.logger.error("Stopped asking the operator for a pod", { target: key, error: describeError(error) });
      });
  };

  /** Resolves once every repetition has ended (they end soon after the signal aborted). */
  async idle(): Promise<void> {
    await Promise.all([...this.repetitions.values()].map((r) => r.done));
  }

  private async repeat(target: ActivationTarget, key: string, repetition: Repetition): Promise<void> {
    try {
      for (;;) {
        await this.call(target);
        await this.pause(repetition);
        if (this.options.signal.aborted || this.options.held(target) === 0) return;
      }
    } finally {
      // In the same turn as the decision to stop: a cold start beginning after it starts a new repetition.
      if (this.repetitions.get(key) === repetition) this.repetitions.delete(key);
    }
  }

  /** One call, logged by its answer; never rejects. */
  private async call(target: ActivationTarget): Promise<void> {
    const { clock, logger, signal } = this.options;
    const held = this.options.held(target);
    const timeout = new AbortController();
    const cancel = clock.setTimeout(() => timeout.abort(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    try {
      const answer = await postActivation(this.options.operatorUrl, target, held, AbortSignal.any([signal, timeout.signal]));
      this.logAnswer(target, held, answer);
    } catch (error) {
      if (!signal.aborted) logger.warn("Failed to ask the operator for a pod", { target: targetKey(target), held, error: describeError(error) });
    } finally {
      cancel();
    }
  }

  private logAnswer(target: ActivationTarget, held: number, answer: ActivationAnswer): void {
    const fields = { target: targetKey(target), held, status: answer.status, message: answer.message };
    if (answer.status === 202) this.options.logger.debug("Asked the operator for a pod", fields);
    // A standby behind the operator's Service: routine, the next call may reach the leader.
    else if (answer.status === 503) this.options.logger.debug("Operator replica is not the leader; asking again", fields);
    else this.options.logger.warn("Operator refused the request for a pod", fields);
  }

  /** Waits periodMs, or less when woken or when the signal aborts. */
  private pause(repetition: Repetition): Promise<void> {
    const { clock, signal } = this.options;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        cancel();
        repetition.wake = undefined;
        signal.removeEventListener("abort", done);
        resolve();
      };
      const cancel = clock.setTimeout(done, this.periodMs);
      repetition.wake = done;
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
