// Errors of the analysis package. Providers turn them into `noData` readings with the message;
// they never reach the rollout as exceptions.

/** The Prometheus text format could not be parsed; `line` is 1-based. */
export class TextFormatError extends Error {
  override readonly name = "TextFormatError";
  readonly line: number;
  constructor(message: string, line: number, options?: { cause?: unknown }) {
    super(`line ${line}: ${message}`, options);
    this.line = line;
  }
}

/** A metrics source (an agent, Prometheus) could not be read or answered something unusable. */
export class MetricsSourceError extends Error {
  override readonly name = "MetricsSourceError";
}

/** The agents of a revision could not be located (the Kubernetes API failed). */
export class LocatorError extends Error {
  override readonly name = "LocatorError";
}
