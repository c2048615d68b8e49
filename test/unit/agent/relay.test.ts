// ResponseRelay on its own: an undici Pool in front of a small upstream, relaying into a real
// ServerResponse that a client reads.
import assert from "node:assert/strict";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { Pool } from "undici";
import { AgentMetrics } from "../../../src/agent/metrics.ts";
import { Exchange } from "../../../src/agent/exchange.ts";
import { ResponseRelay, type RelayFailure } from "../../../src/agent/relay.ts";

const BIG = Buffer.alloc(4 * 1024 * 1024, "abcdefgh");

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("ResponseRelay", () => {
  let upstream: Server;
  let front: Server;
  let pool: Pool;
  let frontUrl: string;
  const outcomes: (number | RelayFailure)[] = [];
  const metrics = new AgentMetrics({ model: "m", version: "1", revision: "r", processMetrics: false });

  before(async () => {
    upstream = createServer((req, res) => {
      if (req.url === "/big") {
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": BIG.length, connection: "keep-alive", "x-kept": "yes" });
        res.end(BIG);
      } else if (req.url === "/slow") setTimeout(() => res.end("late"), 300);
      else res.end("ok");
    });
    pool = new Pool(await listen(upstream), { connections: 4 });
    front = createServer((req: IncomingMessage, res: ServerResponse) => {
      const exchange = new Exchange({ metrics, payloads: undefined, identity: { revision: "r", model: "m", version: "1" } }, "other", req, res);
      const relay = new ResponseRelay(res, exchange, req.url === "/slow" ? 100 : 5000);
      exchange.cancelCall = relay;
      pool.dispatch({ path: req.url ?? "/", method: "GET" }, relay);
      relay.done.then((status) => outcomes.push(status), (failure: RelayFailure) => {
        outcomes.push(failure);
        if (!res.headersSent) res.writeHead(504).end();
      });
    });
    frontUrl = await listen(front);
  });
  after(async () => {
    front.close();
    upstream.close();
    await pool.close();
  });

  it("relays a large answer to a slow reader intact, hop-by-hop headers dropped", async () => {
    const { headers, body } = await new Promise<{ headers: IncomingMessage["headers"]; body: Buffer }>((resolve, reject) => {
      request(`${frontUrl}/big`, (res) => {
        const chunks: Buffer[] = [];
        res.pause();
        setTimeout(() => res.resume(), 200); // the relay must wait for the client, not buffer without bound
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on("error", reject).end();
    });
    assert.equal(body.length, BIG.length);
    assert.ok(body.equals(BIG));
    assert.equal(headers["x-kept"], "yes");
    assert.equal(headers["content-length"], String(BIG.length));
    assert.equal(outcomes.at(-1), 200);
  });

  it("fails with reason timeout when no answer begins in time, leaving the answer to the caller", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      request(`${frontUrl}/slow`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on("error", reject).end();
    });
    assert.equal(status, 504);
    assert.equal((outcomes.at(-1) as RelayFailure).reason, "timeout");
  });

  it("fails with reason client when the client leaves first", async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${frontUrl}/slow`);
      req.on("error", () => resolve());
      req.end();
      setTimeout(() => req.destroy(), 30);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((outcomes.at(-1) as RelayFailure).reason, "client");
  });
});
