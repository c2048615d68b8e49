// Why a model could not be delivered, as a stable reason the operator copies into status.
// The fetcher ends with "<Reason>: <one line>" in its termination message (see termination.ts),
// and the controller maps that reason to lastFailure: reasons are API, renaming one breaks users.

/** Failure reasons of `mdo fetch`, `mdo verify` and `mdo digest`. */
export const DeliveryFailureReasons = {
  /** The store refused the credentials (401/403); the message names the Secret that was used. */
  AccessDenied: "ModelAccessDenied",
  /** The bucket, object, prefix, URL, repository or tag does not exist (or holds no files). */
  NotFound: "ModelNotFound",
  /** The store could not be reached: DNS, connection refused or reset, TLS, timeouts, 5xx. */
  Unreachable: "ModelStorageUnreachable",
  /** The model volume ran out of space (ENOSPC, EDQUOT). */
  DiskFull: "ModelDiskFull",
  /** An archive (.tar.gz, .zip, an OCI tar layer) could not be read or would write outside the model directory. */
  ArchiveCorrupt: "ModelArchiveCorrupt",
  /** The model's digest is not spec.model.digest. */
  DigestMismatch: "ModelDigestMismatch",
  /** The URI cannot be fetched as written (unknown scheme, missing bucket, bad reference). */
  InvalidUri: "InvalidModelURI",
  /** The files cannot be laid out for the runtime (e.g. no model file for the format). */
  LayoutFailed: "ModelLayoutFailed",
  /** Anything else; the message says what. */
  Failed: "ModelFetchFailed",
} as const;
export type DeliveryFailureReason = (typeof DeliveryFailureReasons)[keyof typeof DeliveryFailureReasons];

const REASONS: ReadonlySet<string> = new Set(Object.values(DeliveryFailureReasons));

/** True when `value` is one of {@link DeliveryFailureReasons} (used to parse termination messages). */
export function isDeliveryFailureReason(value: string): value is DeliveryFailureReason {
  return REASONS.has(value);
}

/**
 * A delivery failure. `retryable` marks transient failures (connection reset, 5xx, throttling)
 * that the downloader retries with backoff; everything else ends the command at once.
 * Messages never contain credentials: they name the Secret, the URI and the store's words.
 */
export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  readonly reason: DeliveryFailureReason;
  readonly retryable: boolean;

  constructor(reason: DeliveryFailureReason, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.reason = reason;
    this.retryable = options.retryable ?? false;
  }
}
