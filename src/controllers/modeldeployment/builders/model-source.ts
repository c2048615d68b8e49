// Where the model server finds the model: fetched into an emptyDir, or on a mounted claim.
import type { ModelDeployment } from "../../../api/index.ts";
import { BuildError } from "./errors.ts";
import { FETCHED_MODEL_DIR, MODEL_DIR } from "./paths.ts";

/**
 * How the model reaches the pod.
 * - `fetch`: s3://, gs://, https:// and oci:// artifacts are downloaded (and verified
 *   against spec.model.digest) by the fetcher init container into the emptyDir mounted at
 *   MODEL_DIR; the model is FETCHED_MODEL_DIR inside it.
 *   oci:// is pulled through the registry API by the fetcher too, not as an image volume,
 *   which would need a feature gate and runtime support most clusters lack.
 * - `pvc`: pvc://<claim>/<path> mounts the claim read-only at MODEL_DIR; nothing is copied,
 *   and the model server reads MODEL_DIR/<path>.
 */
export type ModelSource =
  | { readonly kind: "fetch"; readonly uri: string; readonly modelDir: string }
  | { readonly kind: "pvc"; readonly claimName: string; readonly path: string; readonly modelDir: string };

const PVC = /^pvc:\/\/([^/]+)(?:\/(.*))?$/;

/** The source of md's model. Throws BuildError (InvalidModelURI) for a pvc:// path with "." or "..". */
export function modelSource(md: ModelDeployment): ModelSource {
  const { uri } = md.spec.model;
  const pvc = PVC.exec(uri);
  if (pvc === null) return { kind: "fetch", uri, modelDir: FETCHED_MODEL_DIR };
  const [, claimName = "", rawPath = ""] = pvc;
  const segments = rawPath.split("/").filter((s) => s !== "");
  if (segments.some((s) => s === "." || s === "..")) {
    throw new BuildError(
      "InvalidModelURI",
      `spec.model.uri ${uri} has a "." or ".." path segment; write the path inside claim ${claimName} without them`,
    );
  }
  const path = segments.join("/");
  return { kind: "pvc", claimName, path, modelDir: path === "" ? MODEL_DIR : `${MODEL_DIR}/${path}` };
}
