// The delivery reason for an HTTP status from a store, so every store maps statuses alike.
import { describeCredentials } from "../credentials.ts";
import { DeliveryError, DeliveryFailureReasons as R } from "../errors.ts";
import type { StorageCredentials } from "../store.ts";

/**
 * A DeliveryError for a failed request to `what` (a URI) answered with `status`; `detail` is the
 * store's own words (error code or message), never a header or body that could hold secrets.
 * 401/403 → access denied (naming the Secret), 404/410 → not found, 408/429/5xx → unreachable
 * and retryable, others → ModelFetchFailed.
 */
export function httpFailure(status: number, what: string, credentials: StorageCredentials, detail?: string): DeliveryError {
  const words = detail === undefined || detail === "" ? `HTTP ${status}` : `HTTP ${status} ${detail}`;
  if (status === 401 || status === 403) return new DeliveryError(R.AccessDenied, `access to ${what} was denied ${describeCredentials(credentials)} (${words})`);
  if (status === 404 || status === 410) return new DeliveryError(R.NotFound, `${what} does not exist (${words})`);
  if (status === 408 || status === 429 || status >= 500) return new DeliveryError(R.Unreachable, `the store failed to serve ${what} (${words})`, { retryable: true });
  return new DeliveryError(R.Failed, `the store refused ${what} (${words})`);
}
