// Why a BatchPrediction cannot run now: a Stalled condition, lastFailure and an Event, not an
// error the work queue retries — except `waiting`, which is looked at again later.
import { RuntimeResolutionError } from "../../catalog/catalog.ts";
import { BuildError } from "../modeldeployment/builders/errors.ts";

export class BatchProblemError extends Error {
  override readonly name = "BatchProblemError";
  /** CamelCase, for conditions and lastFailure. */
  readonly reason: string;
  /** True when time may fix it (a ModelDeployment not serving yet): the reconcile looks again. */
  readonly waiting: boolean;

  constructor(reason: string, message: string, options: { cause?: unknown; waiting?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.waiting = options.waiting ?? false;
  }

  /** Runs `build`; a runtime resolution or builder error becomes a BatchProblemError with its reason. */
  static from<T>(build: () => T): T {
    try {
      return build();
    } catch (error) {
      if (error instanceof RuntimeResolutionError || error instanceof BuildError) {
        throw new BatchProblemError(error.reason, error.message, { cause: error });
      }
      throw error;
    }
  }
}
