// The answers the activator writes itself when a request cannot be forwarded, and the outcome
// each counts as.
import type { ServerResponse } from "node:http";
import { ClientGoneError, PayloadTooLargeError, UpstreamError } from "../agent/errors.ts";
import { sendError, sendPayloadTooLarge } from "../agent/responses.ts";
import type { Logger } from "../runtime/logging.ts";
import { ActivatorClosedError, ColdStartTimeoutError, QueueFullError } from "./errors.ts";
import type { Outcome } from "./metrics.ts";

/** Seconds a client is told to wait after a cold start timed out: the pod is likely still starting. */
export const TIMEOUT_RETRY_AFTER_SECONDS = 5;

/**
 * Answers a request that failed with `error` and returns its outcome. When an answer already
 * began or the client is gone, the connection is destroyed instead (a status can no longer change).
 */
export function answerFailure(res: ServerResponse, error: unknown, logger: Logger): Outcome {
  const outcome = outcomeOf(error);
  if (outcome === "internal_error") logger.error("Failed to serve a request", { error: error instanceof Error ? error.stack : String(error) });
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return outcome;
  }
  const message = error instanceof Error ? error.message : String(error);
  switch (outcome) {
    case "rejected_queue_full":
    case "rejected_shutdown":
      sendError(res, 503, message, { "retry-after": "1" });
      break;
    case "rejected_timeout":
      sendError(res, 503, message, { "retry-after": String(TIMEOUT_RETRY_AFTER_SECONDS) });
      break;
    case "rejected_too_large":
      sendPayloadTooLarge(res, (error as PayloadTooLargeError).limit);
      break;
    case "upstream_error":
      sendError(res, 502, "model server unavailable");
      break;
    case "client_gone":
      res.destroy();
      break;
    default:
      sendError(res, 500, "internal error");
  }
  return outcome;
}

function outcomeOf(error: unknown): Outcome {
  if (error instanceof QueueFullError) return "rejected_queue_full";
  if (error instanceof ColdStartTimeoutError) return "rejected_timeout";
  if (error instanceof ActivatorClosedError) return "rejected_shutdown";
  if (error instanceof PayloadTooLargeError) return "rejected_too_large";
  if (error instanceof UpstreamError) return "upstream_error";
  if (error instanceof ClientGoneError) return "client_gone";
  return "internal_error";
}
