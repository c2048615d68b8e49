// The store for a model location: one module per scheme, loaded only when used (the AWS and
// Google clients take tens of MB and most of a second to load; a fetch needs one of them).
import { DeliveryError, DeliveryFailureReasons as R } from "../errors.ts";
import type { ModelStore, StorageCredentials } from "../store.ts";
import type { ModelLocation } from "../uri.ts";

/** The store that reads `location`. pvc:// has none: a claim is mounted and only verified. */
export async function storeFor(location: ModelLocation, credentials: StorageCredentials): Promise<ModelStore> {
  switch (location.scheme) {
    case "s3":
      return new (await import("./s3.ts")).S3Store(location, credentials);
    case "gs":
      return new (await import("./gcs.ts")).GcsStore(location, credentials);
    case "https":
      return new (await import("./https.ts")).HttpsStore(location.url, credentials);
    case "oci":
      return new (await import("./oci/store.ts")).OciStore(location.reference, credentials);
    case "pvc":
      throw new DeliveryError(R.InvalidUri, "pvc:// models are mounted from their claim, not fetched; use mdo verify --path");
  }
}
