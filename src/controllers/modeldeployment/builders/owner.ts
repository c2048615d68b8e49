// The controller owner reference every child carries.
import type { V1OwnerReference } from "@kubernetes/client-node";
import { API_VERSION, KIND, type ModelDeployment } from "../../../api/index.ts";
import { BuildError } from "./errors.ts";

/**
 * Makes `md` the controller of a child: garbage collection deletes the child with it,
 * `kubectl delete --cascade=foreground` waits for the child, and a child event maps back to it.
 * Throws BuildError (MissingMetadata) without metadata.name and metadata.uid.
 */
export function ownerReference(md: ModelDeployment): V1OwnerReference {
  const { name, uid } = md.metadata;
  if (name === undefined || name === "" || uid === undefined || uid === "") {
    throw new BuildError(
      "MissingMetadata",
      "The ModelDeployment has no metadata.name or metadata.uid; build children only from objects read from the API server",
    );
  }
  return { apiVersion: API_VERSION, kind: KIND, name, uid, controller: true, blockOwnerDeletion: true };
}
