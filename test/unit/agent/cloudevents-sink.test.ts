import { strict as assert } from "node:assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { CLOUDEVENT_TYPE, CloudEventsSink, type CloudEvent } from "../../../src/agent/cloudevents-sink.ts";
import type { PayloadRecord } from "../../../src/agent/payload-log.ts";
import { createLogger } from "../../../src/runtime/logging.ts";

const record = (i: number): PayloadRecord => ({
  time: "2026-11-28T12:00:00.000Z", revision: "r1", model: "iris", version: "v1", route: "infer", method: "POST",
  path: "/v2/models/iris/infer", status: 200, durationMs: 1.5,
  request: { encoding: "utf8", data: `{"i":${i}}`, bytes: 7, truncated: false },
  response: { encoding: "utf8", data: "{}", bytes: 2, truncated: false },
});

test("records are POSTed as batches of CloudEvents 1.0", async () => {
  const received: { type: string | undefined; events: CloudEvent[] }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ type: req.headers["content-type"], events: JSON.parse(body) as CloudEvent[] });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const sink = new CloudEventsSink({ url: `http://127.0.0.1:${port}/events`, batchSize: 2, logger: createLogger({ silent: true }) });
  for (let i = 0; i < 5; i++) sink.write(record(i));
  await sink.flush();
  server.close();
  assert.deepEqual(received.map((r) => r.events.length), [2, 2, 1]);
  assert.equal(received[0]?.type, "application/cloudevents-batch+json");
  const first = received[0]?.events[0];
  assert.ok(first);
  assert.equal(first.specversion, "1.0");
  assert.equal(first.type, CLOUDEVENT_TYPE);
  assert.equal(first.source, "/mdo/agent/iris/r1");
  assert.equal(first.data.request.data, '{"i":0}');
  assert.equal(new Set(received.flatMap((r) => r.events.map((e) => e.id))).size, 5, "unique ids");
  assert.equal(sink.sent, 5);
});

test("a failing sink drops records (counted) and never throws to the caller", async () => {
  const sink = new CloudEventsSink({
    url: "http://127.0.0.1:9/never", batchSize: 10, logger: createLogger({ silent: true }),
    fetch: () => Promise.reject(new Error("refused")),
  });
  for (let i = 0; i < 3; i++) sink.write(record(i));
  await sink.flush();
  assert.equal(sink.dropped, 3);
  assert.equal(sink.sent, 0);
});
