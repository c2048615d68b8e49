/** The `Status` body the API server returns with errors. */
export interface StatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { field?: string; message?: string; reason?: string }[]; retryAfterSeconds?: number };
}

/** A request the API server answered with an error status, or that never got an answer (status 0). */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  /** Machine-readable reason from the Status body (e.g. "NotFound", "Conflict", "Invalid", "Expired"). */
  readonly reason: string;
  readonly body: StatusBody | undefined;

  constructor(status: number, message: string, options?: { body?: StatusBody; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.body = options?.body;
    this.reason = options?.body?.reason ?? (status === 0 ? "NetworkError" : "Unknown");
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isConflict(): boolean {
    return this.status === 409;
  }

  /** A create found the name taken (409 AlreadyExists). */
  get isAlreadyExists(): boolean {
    return this.status === 409 && this.reason === "AlreadyExists";
  }

  /** The resourceVersion asked for is older than what etcd keeps (410 Gone / reason Expired). */
  get isGone(): boolean {
    return this.status === 410 || this.reason === "Expired" || this.reason === "Gone";
  }

  get isInvalid(): boolean {
    return this.status === 422;
  }
}
