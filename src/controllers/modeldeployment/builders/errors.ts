// The one error the desired-state builders throw.

/** Condition reasons of BuildError; each names what the user (or operator admin) must change. */
export type BuildErrorReason =
  /** The ModelDeployment lacks metadata.name or metadata.uid (never so for objects from the API). */
  | "MissingMetadata"
  /** spec.model.uri is admitted but cannot be turned into a volume (such as "..", in a pvc:// path). */
  | "InvalidModelURI"
  /** The runtime catalog entry cannot be run: an unknown placeholder, a clashing mount path. */
  | "InvalidRuntime"
  /** The runtime has no usable image (the catalog's `custom` entry) and spec.image is unset. */
  | "ImageRequired"
  /** The model server's ports clash with the agent's (all containers share the pod's network). */
  | "PortConflict"
  /** Drift monitoring with a protocol whose requests carry no features (raw). */
  | "DriftUnsupported";

/**
 * A ModelDeployment the builders cannot turn into children. Contract: retrying cannot help;
 * the controller reports `reason` and `message` as a Stalled condition and waits for a change.
 * The message says what to change.
 */
export class BuildError extends Error {
  override readonly name = "BuildError";
  readonly reason: BuildErrorReason;

  constructor(reason: BuildErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}
