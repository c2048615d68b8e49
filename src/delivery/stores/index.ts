// The store for a model location: a registry keyed by scheme, no default (an unknown scheme is an error).
import { DeliveryError, DeliveryFailureReasons as R } from "../errors.ts";
import type { ModelStore, StorageCredentials } from "../store.ts";
import type { ModelLocation } from "../uri.ts";
import { GcsStore } from "./gcs.ts";
import { HttpsStore } from "./https.ts";
import { OciStore } from "./oci/store.ts";
import { S3Store } from "./s3.ts";

/** The store that reads `location`. pvc:// has none: a claim is mounted and only verified. */
export function storeFor(location: ModelLocation, credentials: StorageCredentials): ModelStore {
  switch (location.scheme) {
    case "s3":
      return new S3Store(location, credentials);
    case "gs":
      return new GcsStore(location, credentials);
    case "https":
      return new HttpsStore(location.url, credentials);
    case "oci":
      return new OciStore(location.reference, credentials);
    case "pvc":
      throw new DeliveryError(R.InvalidUri, "pvc:// models are mounted from their claim, not fetched; use mdo verify --path");
  }
}
