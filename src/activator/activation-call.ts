// One call of the operator's activation route: POST <operator>/v1/activations/<namespace>/<name>
// with {"held": n}. The operator answers 202 (the leader took it), 404 (no ModelDeployment by
// that name that scales to zero, or not tracked yet) or 503 (a standby: ask again).
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { ActivationTarget } from "./target.ts";

/** The longest part of an answer's body kept for logs. */
const MAX_MESSAGE_BYTES = 512;

/** What the operator answered. */
export interface ActivationAnswer {
  readonly status: number;
  /** The start of its body (the operator says why in plain text). */
  readonly message: string;
}

/** No answer came: the connection failed, or the call was aborted (the signal's reason is the cause). */
export class ActivationCallError extends Error {
  override readonly name = "ActivationCallError";
}

/** The path of the target's activation route under `operatorUrl` (which may have a path of its own). */
export function activationUrl(operatorUrl: URL, target: ActivationTarget): URL {
  const base = operatorUrl.href.endsWith("/") ? operatorUrl.href : `${operatorUrl.href}/`;
  return new URL(`v1/activations/${encodeURIComponent(target.namespace)}/${encodeURIComponent(target.name)}`, base);
}

/**
 * Posts the activation. Each call opens a connection of its own and closes it (no keep-alive):
 * behind the operator's Service a new connection may reach another replica, which is what a 503
 * from a standby asks for. Resolves with the answer once it was read; rejects with
 * ActivationCallError, never with anything else.
 */
export function postActivation(operatorUrl: URL, target: ActivationTarget, held: number, signal: AbortSignal): Promise<ActivationAnswer> {
  const url = activationUrl(operatorUrl, target);
  const body = JSON.stringify({ held });
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void => reject(new ActivationCallError(`POST ${url.href} failed`, { cause: signal.aborted ? signal.reason : error }));
    if (signal.aborted) return fail(signal.reason);
    const req = request(url, {
      method: "POST", agent: false, signal,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), connection: "close" },
    }, (res) => {
      readAnswer(res).then(resolve, fail);
    });
    req.once("error", fail);
    req.end(body);
  });
}

function readAnswer(res: IncomingMessage): Promise<ActivationAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    res.on("data", (chunk: Buffer) => {
      if (bytes < MAX_MESSAGE_BYTES) chunks.push(chunk);
      bytes += chunk.length;
    });
    res.once("error", reject);
    res.once("end", () => resolve({
      status: res.statusCode ?? 0,
      message: Buffer.concat(chunks).subarray(0, MAX_MESSAGE_BYTES).toString("utf8").trim(),
    }));
  });
}
