// Errors of `mdo batch run`. Row-level problems (malformed rows, rows the model rejects) are not
// errors: they are outcomes written to errors-<shard>.jsonl. These end the run.

/** The flags cannot be run as given (exit code 2). */
export class BatchConfigError extends Error {
  override readonly name = "BatchConfigError";
}

/** The input file could not be read (missing, unreadable, a CSV without a header…). */
export class BatchInputError extends Error {
  override readonly name = "BatchInputError";
}

/** The output directory could not be written. */
export class BatchOutputError extends Error {
  override readonly name = "BatchOutputError";
}

/**
 * A call to the model server failed. `kind` says what to do with it: `transient` is retried with
 * backoff, `rejected` (4xx, 500) is retried row by row to find the bad rows, `fatal` ends the run.
 */
export type InferenceErrorKind = "transient" | "rejected" | "fatal";

export class InferenceError extends Error {
  override readonly name = "InferenceError";
  readonly kind: InferenceErrorKind;
  readonly status: number | undefined;
  constructor(kind: InferenceErrorKind, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
  }
}

/** More rows failed than --max-failed-rows allows; the outputs hold what was done. */
export class FailureBudgetError extends Error {
  override readonly name = "FailureBudgetError";
}
