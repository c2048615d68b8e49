import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, get, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it, mock } from "node:test";
import { EventHub } from "../../../src/dashboard/sse.ts";

/** A loopback server whose every request `hub` takes over, and a client reading its stream. */
async function connected(hub: EventHub): Promise<{ res: IncomingMessage; text: () => string; stop: () => Promise<void> }> {
  const server = createServer((_req, res) => hub.attach(res));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const request = get({ host: "127.0.0.1", port, path: "/api/events" });
  const [res] = (await once(request, "response")) as [IncomingMessage];
  let text = "";
  res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  return {
    res,
    text: () => text,
    stop: async () => {
      request.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits until `condition` holds, polling briefly; fails after a second. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), "condition not met within 1 s");
}

describe("EventHub", () => {
  it("answers with an uncached event stream and sends each event as JSON to every client", async () => {
    const hub = new EventHub();
    const one = await connected(hub);
    const two = await connected(hub);
    try {
      assert.equal(one.res.headers["content-type"], "text/event-stream");
      assert.equal(one.res.headers["cache-control"], "no-store");
      await until(() => hub.size === 2);
      hub.send("change", { key: "ml/fraud", type: "modified" });
      const expected = 'retry: 2000\n\nevent: change\ndata: {"key":"ml/fraud","type":"modified"}\n\n';
      await until(() => one.text() === expected && two.text() === expected);
    } finally {
      hub.close();
      await one.stop();
      await two.stop();
    }
  });

  it("drops a client that went away, and ends every stream on close", async () => {
    const hub = new EventHub();
    const one = await connected(hub);
    const two = await connected(hub);
    try {
      await until(() => hub.size === 2);
      one.res.destroy();
      await until(() => hub.size === 1);
      const ended = once(two.res, "end");
      hub.close();
      await ended;
      assert.equal(hub.size, 0);
    } finally {
      await one.stop();
      await two.stop();
    }
  });

  it("writes a keepalive comment every 15 s", () => {
    mock.timers.enable({ apis: ["setInterval"] });
    const written: string[] = [];
    const res = { writeHead: () => res, write: (text: string) => written.push(text), once: () => res, end: () => res } as unknown as ServerResponse;
    const hub = new EventHub();
    try {
      hub.attach(res);
      mock.timers.tick(14_999);
      assert.deepEqual(written, ["retry: 2000\n\n"]);
      mock.timers.tick(1);
      assert.deepEqual(written, ["retry: 2000\n\n", ": keepalive\n\n"]);
    } finally {
      hub.close();
      mock.timers.reset();
    }
  });
});
