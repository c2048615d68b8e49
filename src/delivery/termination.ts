// The one line a failed `mdo fetch` / `mdo verify` leaves for the operator: the container's
// termination message, "<Reason>: <message>", which the kubelet copies into the pod's status
// (terminated.message) and the operator into lastFailure. The kubelet keeps at most 4096 bytes.
import { writeFile } from "node:fs/promises";
import { DeliveryError, DeliveryFailureReasons as R, isDeliveryFailureReason } from "./errors.ts";
import type { DeliveryFailureReason } from "./errors.ts";

/** Where the kubelet reads the message from (the container's terminationMessagePath default). */
export const TERMINATION_LOG = "/dev/termination-log";
const MAX_BYTES = 4096;

/** "<Reason>: <one line>" for an error, at most 4096 bytes. Pure. */
export function terminationMessage(error: unknown): string {
  const reason = error instanceof DeliveryError ? error.reason : R.Failed;
  const message = error instanceof Error ? error.message : String(error);
  const line = `${reason}: ${message.replace(/\s*\n\s*/g, " ")}`;
  const bytes = Buffer.from(line);
  return bytes.length <= MAX_BYTES ? line : `${bytes.subarray(0, MAX_BYTES - 3).toString("utf8").replace(/\uFFFD+$/, "")}...`;
}

/** The reason and message of a termination message written by {@link terminationMessage}, if it is one. Pure. */
export function parseTerminationMessage(text: string | undefined): { reason: DeliveryFailureReason; message: string } | undefined {
  const match = /^([A-Za-z]+): (.*)$/s.exec(text?.trim() ?? "");
  if (match === null) return undefined;
  const [, reason = "", message = ""] = match;
  return isDeliveryFailureReason(reason) ? { reason, message } : undefined;
}

/** Writes the message to `path`; a missing path (outside a pod) is not an error. */
export async function writeTerminationMessage(path: string, error: unknown): Promise<void> {
  try {
    await writeFile(path, terminationMessage(error));
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code !== "ENOENT" && code !== "EACCES" && code !== "EROFS") throw cause;
  }
}
