import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { Client } from "undici";
import { UpstreamReadiness } from "../../../src/agent/readiness.ts";

describe("UpstreamReadiness", () => {
  let server: Server;
  let client: Client;
  let status = 200;
  let probes = 0;
  let hang = false;

  before(async () => {
    server = createServer((req, res) => {
      probes++;
      if (hang) return; // never answers
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    client = new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  after(async () => {
    await client.destroy();
    server.closeAllConnections();
    server.close();
  });

  it("follows the readiness path's status, reusing an answer within cacheMs", async () => {
    let now = 0;
    const readiness = new UpstreamReadiness({ dispatcher: client, path: "/ready", cacheMs: 1000, now: () => now });
    probes = 0;
    status = 200;
    assert.equal(await readiness.isReady(), true);
    status = 503;
    assert.equal(await readiness.isReady(), true, "cached");
    assert.equal(probes, 1);
    now += 1001;
    assert.equal(await readiness.isReady(), false);
    assert.equal(probes, 2);
    status = 200;
    readiness.invalidate();
    assert.equal(await readiness.isReady(), true);
  });

  it("reuses a not-ready answer only for 100 ms, so a server that just became ready is ready at the next probe", async () => {
    let now = 0;
    const readiness = new UpstreamReadiness({ dispatcher: client, path: "/ready", cacheMs: 1000, now: () => now });
    probes = 0;
    status = 503;
    assert.equal(await readiness.isReady(), false);
    status = 200;
    now += 50;
    assert.equal(await readiness.isReady(), false, "cached for a moment");
    assert.equal(probes, 1);
    now += 51;
    assert.equal(await readiness.isReady(), true, "asked again after 100 ms");
    assert.equal(probes, 2);
  });

  it("shares one probe among concurrent callers", async () => {
    const readiness = new UpstreamReadiness({ dispatcher: client, path: "/ready" });
    probes = 0;
    status = 200;
    const answers = await Promise.all([readiness.isReady(), readiness.isReady(), readiness.isReady()]);
    assert.deepEqual(answers, [true, true, true]);
    assert.equal(probes, 1);
  });

  it("answers false within its timeout when the server hangs", async () => {
    hang = true;
    const hangingClient = new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const readiness = new UpstreamReadiness({ dispatcher: hangingClient, path: "/ready", timeoutMs: 100 });
    const start = performance.now();
    assert.equal(await readiness.isReady(), false);
    assert.ok(performance.now() - start < 1000);
    hang = false;
    await hangingClient.destroy();
  });

  it("answers false when nothing listens", async () => {
    const dead = new Client("http://127.0.0.1:1");
    const readiness = new UpstreamReadiness({ dispatcher: dead, path: "/ready" });
    assert.equal(await readiness.isReady(), false);
    await dead.destroy();
  });
});
