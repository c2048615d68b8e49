// Model URIs as the fetcher reads them. The API admits only these schemes (src/api/model.ts);
// this parse is the fetcher's own check, so a URI that passed admission but cannot be fetched
// (e.g. an empty bucket name) fails with InvalidModelURI instead of a store's puzzling error.
import { DeliveryError, DeliveryFailureReasons as R } from "./errors.ts";

export type ModelLocation =
  /** An object (key) or every object under the prefix key + "/" (key "" = the whole bucket). */
  | { readonly scheme: "s3" | "gs"; readonly bucket: string; readonly key: string }
  | { readonly scheme: "https"; readonly url: URL }
  /** `reference` is registry/repository:tag or registry/repository@sha256:… (no scheme). */
  | { readonly scheme: "oci"; readonly reference: string }
  /** A path on a claim that the pod mounts: nothing to download, only verified. */
  | { readonly scheme: "pvc"; readonly claim: string; readonly path: string };

const BUCKET_URI = /^(s3|gs):\/\/([^/]+)(?:\/(.*))?$/;

/** Parses a model URI. Throws DeliveryError(InvalidModelURI) naming what is wrong. */
export function parseModelUri(uri: string): ModelLocation {
  const bucket = BUCKET_URI.exec(uri);
  if (bucket !== null) {
    const [, scheme, name = "", rest = ""] = bucket;
    return { scheme: scheme as "s3" | "gs", bucket: name, key: rest.replace(/\/+$/, "") };
  }
  if (uri.startsWith("https://")) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch (error) {
      throw new DeliveryError(R.InvalidUri, `${uri} is not a valid URL`, { cause: error });
    }
    if (url.username !== "" || url.password !== "") {
      throw new DeliveryError(R.InvalidUri, "https:// model URIs must not carry credentials; put them in the storage Secret");
    }
    return { scheme: "https", url };
  }
  if (uri.startsWith("oci://")) {
    const reference = uri.slice("oci://".length);
    if (!/^[^/]+\/[^ ]+$/.test(reference)) {
      throw new DeliveryError(R.InvalidUri, `${uri} must have the form oci://<registry>/<repository>:<tag> or @sha256:<digest>`);
    }
    return { scheme: "oci", reference };
  }
  const pvc = /^pvc:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (pvc !== null) return { scheme: "pvc", claim: pvc[1] ?? "", path: (pvc[2] ?? "").replace(/\/+$/, "") };
  throw new DeliveryError(R.InvalidUri, `${uri} has an unsupported scheme; use s3://, gs://, https://, oci:// or pvc://`);
}
