// Turns errors from the network and the file system into DeliveryErrors with the right reason.
// Stores call it for anything that is not already a DeliveryError, with their own words first.
import { DeliveryError, DeliveryFailureReasons as R } from "./errors.ts";

const DISK_FULL = new Set(["ENOSPC", "EDQUOT"]);
/** Connection-level failures worth another attempt. */
const TRANSIENT = new Set([
  "ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "ECONNABORTED",
  "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CLOSED",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

/** OpenSSL's verification failures (Node passes their names as codes) and Node's own TLS errors. */
function isTlsFailure(code: string): boolean {
  return code.includes("CERT") || code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL") || code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" || code === "HOSTNAME_MISMATCH";
}

function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** The innermost message, which usually says the most ("connect ECONNREFUSED 127.0.0.1:9"). */
function rootMessage(error: unknown): string {
  let e: unknown = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

/**
 * The DeliveryError for `error` met while doing `what` (e.g. "downloading s3://b/k"): disk full,
 * TLS certificate problems (not retried: a CA is missing), other connection failures
 * (retryable), aborts passed through unchanged, anything else ModelFetchFailed.
 */
export function classifyError(error: unknown, what: string): Error {
  if (error instanceof DeliveryError) return error;
  if (error instanceof Error && error.name === "AbortError") return error;
  const code = codeOf(error) ?? "";
  const detail = rootMessage(error);
  if (DISK_FULL.has(code)) return new DeliveryError(R.DiskFull, `the model volume is full while ${what} (${code}); raise the model volume's size or the node's ephemeral storage`, { cause: error });
  if (isTlsFailure(code)) {
    return new DeliveryError(R.Unreachable, `TLS failed while ${what}: ${detail}; put the store's CA certificate in the storage Secret under ca.crt`, { cause: error });
  }
  if (TRANSIENT.has(code) || code === "ENOTFOUND") {
    return new DeliveryError(R.Unreachable, `the store is unreachable while ${what}: ${detail}`, { cause: error, retryable: true });
  }
  return new DeliveryError(R.Failed, `${what} failed: ${detail}`, { cause: error });
}
