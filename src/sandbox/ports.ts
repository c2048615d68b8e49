import { createServer } from "node:net";

/**
 * Returns `count` distinct TCP ports that were free on 127.0.0.1 a moment ago.
 * The OS picks them (bind to port 0); they are held together until all are known, so
 * one call never returns the same port twice. Another process may still take one
 * before the caller binds it; callers that start servers should treat a bind failure
 * as retryable.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => listenOnRandomPort()),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    if (address === null || typeof address === "string") {
      throw new Error("Listening socket has no TCP address");
    }
    return address.port;
  });
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

function listenOnRandomPort(): Promise<ReturnType<typeof createServer>> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}
