// A bare Node.js reverse proxy, for comparison with the agent (not a product): node:http server,
// undici Pool.dispatch with the agent's pool settings, the answer written straight into the
// ServerResponse. No routing, limits, metrics, timeouts or error handling beyond dropping the
// connection: the least one Node.js event loop with these two HTTP stacks does per request.
// Prints {"port": N} once listening on 127.0.0.1; stops on SIGTERM.
//
//   node bench/agent/bare-undici.ts <upstream port>
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool, type Dispatcher } from "undici";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding"]);
const pool = new Pool(`http://127.0.0.1:${process.argv[2]}`, { connections: 256, pipelining: 1 });

class Relay implements Dispatcher.DispatchHandler {
  private readonly res: ServerResponse;
  constructor(res: ServerResponse) {
    this.res = res;
  }
  onRequestStart(): void {}
  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>): void {
    const kept: Record<string, string | string[]> = {};
    for (const name in headers) {
      const value = headers[name];
      if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
    }
    this.res.writeHead(status, kept);
  }
  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.res.write(chunk);
  }
  onResponseEnd(): void {
    this.res.end();
  }
  onResponseError(_controller: unknown, error: Error): void {
    this.res.destroy(error);
  }
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const headers: Record<string, string | string[]> = {};
    for (const name in req.headers) {
      const value = req.headers[name];
      if (value !== undefined && name !== "host" && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    const method: Dispatcher.HttpMethod = req.method ?? "GET";
    pool.dispatch({ path: req.url ?? "/", method, headers, body: Buffer.concat(chunks) }, new Relay(res));
  });
});
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void pool.close();
});
