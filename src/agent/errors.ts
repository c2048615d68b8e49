// Errors the proxy maps to HTTP answers.
import type { UpstreamErrorKind } from "./upstream-errors.ts";

/** The request body exceeded limits.maxRequestBytes (→ 413). */
export class PayloadTooLargeError extends Error {
  override readonly name = "PayloadTooLargeError";
  readonly limit: number;
  constructor(limit: number) {
    super(`Request body exceeds ${limit} bytes`);
    this.limit = limit;
  }
}

/** The client went away before the exchange finished; nothing can be answered. */
export class ClientGoneError extends Error {
  override readonly name = "ClientGoneError";
}

/** The model server could not be reached or failed mid-exchange; `kind` is the metrics label. */
export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
  readonly kind: UpstreamErrorKind;
  constructor(kind: UpstreamErrorKind, cause: unknown) {
    super(`Model server request failed (${kind})`, { cause });
    this.kind = kind;
  }
}
