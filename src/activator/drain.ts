// Stopping a node:http server gracefully: no new connections, answers in progress may finish,
// connections close as soon as they are idle, and whatever is still open after the timeout is cut.
import type { Server } from "node:http";
import type { Clock } from "../runtime/clock.ts";

/** How often idle keep-alive connections are looked for while draining. */
const SWEEP_MS = 100;

/**
 * Stops `server` listening and resolves once every connection is closed: true when they all
 * finished within `timeoutMs`, false when the rest were cut then.
 */
export async function drainServer(server: Server, timeoutMs: number, clock: Clock): Promise<boolean> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A connection whose answer began before the stop goes idle later: close each as it does.
  const sweeper = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
  server.closeIdleConnections();
  let cancel: (() => void) | undefined;
  const drained = await Promise.race([
    closed.then(() => true),
    new Promise<boolean>((resolve) => (cancel = clock.setTimeout(() => resolve(false), timeoutMs))),
  ]);
  cancel?.();
  clearInterval(sweeper);
  if (!drained) {
    server.closeAllConnections();
    await closed;
  }
  return drained;
}

/** Resolves with `host:port` once `server` listens on `host` and `port` (0: any free port). */
export function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? `${address.address}:${address.port}` : `${host}:${port}`);
    });
  });
}
