/** Raised when the local control plane cannot be built, started or reached. */
export class SandboxError extends Error {
  override readonly name = "SandboxError";
}
