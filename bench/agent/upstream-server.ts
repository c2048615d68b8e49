// The model-server stand-in, run as its own process so its CPU is apart from the proxy's: answers
// POST /v2/models/<m>/infer with a fixed 1 KB v2 response (after reading the whole request body)
// and GET /v2/models/<m>/ready and /v2/health/{live,ready} with 200. Prints {"port": N} once
// listening on 127.0.0.1; stops on SIGTERM.
//
//   node bench/agent/upstream-server.ts [port]
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inferResponse } from "./synthetic.ts";

const RESPONSE = inferResponse();
const HEADERS = { "content-type": "application/json", "content-length": RESPONSE.length };
const INFER = /^\/v2\/models\/[^/]+\/infer$/;
const READY = /^\/v2\/(models\/[^/]+\/ready|health\/(live|ready))$/;

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  const path = req.url ?? "/";
  if (req.method === "POST" && INFER.test(path)) {
    req.on("data", () => undefined);
    req.on("end", () => {
      res.writeHead(200, HEADERS);
      res.end(RESPONSE);
    });
    return;
  }
  req.resume();
  res.writeHead(READY.test(path) && req.method === "GET" ? 200 : 404, { "content-length": 0 });
  res.end();
});

server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
});
