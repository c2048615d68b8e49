import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { SandboxError } from "./errors.ts";

export interface ProbeTarget {
  url: string;
  /** CA bundle to verify the server with; without it TLS is not verified (loopback only). */
  caFile?: string;
}

/** One GET; resolves with the status code and body, rejects on connection errors. */
export function get(target: ProbeTarget, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  const url = new URL(target.url);
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  const tls = url.protocol === "https:"
    ? target.caFile ? { ca: readFileSync(target.caFile) } : { rejectUnauthorized: false }
    : {};
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", timeout: timeoutMs, ...tls }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${target.url} timed out`)));
    req.on("error", reject);
    req.end();
  });
}

/**
 * Polls `target` until it answers 200 or `timeoutMs` passes. `abandon` settles when the
 * process behind the endpoint has exited, which ends the wait at once with its reason.
 */
export async function waitForHealthy(
  what: string,
  target: ProbeTarget,
  timeoutMs: number,
  abandon?: Promise<string>,
): Promise<void> {
  let exitedWith: string | undefined;
  void abandon?.then((reason) => (exitedWith = reason));
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) throw new SandboxError(`${what} exited (${exitedWith}) before it became healthy`);
    try {
      const { status, body } = await get(target);
      if (status === 200) return;
      last = `HTTP ${status}: ${body.slice(0, 200)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  throw new SandboxError(`${what} was not healthy within ${timeoutMs} ms (last: ${last})`);
}
