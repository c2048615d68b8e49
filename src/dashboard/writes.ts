// Promote and abort from the page: allowed only when the dashboard was started with
// --allow-writes, and only for a POST that carries the per-process confirmation token the page
// sends after the person confirmed. The write itself is `mdo promote|abort`'s own
// (sendRolloutCommand).
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { sendRolloutCommand } from "../cli/rollout-command.ts";
import { loadClusterAccess } from "../runtime/client/access/load.ts";

export const WRITE_KINDS = ["promote", "abort"] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

/** The header that carries the confirmation token. */
export const CONFIRM_HEADER = "x-mdo-confirm";

/** Sends one command to a ModelDeployment; throws when it could not. */
export type RolloutWriter = (kind: WriteKind, namespace: string, name: string) => Promise<void>;

/** What `mdo <kind> <name> -n <namespace> [--kubeconfig file]` sends (sendRolloutCommand), with the time as its id. */
export function cliRolloutWriter(kubeconfig: string | undefined, now: () => Date = () => new Date()): RolloutWriter {
  return async (kind, namespace, name) => {
    const access = await loadClusterAccess(kubeconfig === undefined ? { inClusterFirst: false } : { kubeconfig });
    await sendRolloutCommand(access, { kind, namespace, name, id: now().toISOString() });
  };
}

/** A random token per dashboard process: a page of another origin can neither read nor guess it. */
export function newConfirmToken(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * Why `req` may not write, or undefined when it may: writes must be allowed, the token must
 * match, and a browser's Origin (when sent) must be this server's own.
 */
export function refusal(req: IncomingMessage, allowWrites: boolean, token: string): string | undefined {
  if (!allowWrites) return "This dashboard is read-only; start it with --allow-writes to promote or abort.";
  const sent = req.headers[CONFIRM_HEADER];
  const sentBytes = Buffer.from(typeof sent === "string" ? sent : "");
  const tokenBytes = Buffer.from(token);
  // Byte lengths, not characters: timingSafeEqual throws on buffers of different lengths.
  if (sentBytes.length !== tokenBytes.length || !timingSafeEqual(sentBytes, tokenBytes)) {
    return `A write needs the confirmation header ${CONFIRM_HEADER} the page sends after you confirm.`;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ""}`) return `Writes from origin ${origin} are refused.`;
  return undefined;
}
