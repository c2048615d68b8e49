// Waiting for the model server beside the worker, against a real HTTP server on 127.0.0.1.
import { strict as assert } from "node:assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { BatchConfigError, InferenceError } from "../../../src/batch/errors.ts";
import { waitForModelReady } from "../../../src/batch/model-ready.ts";
import { sleep } from "../../../src/batch/retry.ts";

test("polls /v2/models/<name>/ready until it answers 200", async () => {
  let calls = 0;
  const server = createServer((req, res) => {
    calls++;
    assert.equal(req.url, "/v2/models/iris/ready");
    res.writeHead(calls < 3 ? 503 : 200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await waitForModelReady(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "iris", 10_000, AbortSignal.timeout(10_000), sleep);
    assert.equal(calls, 3);
  } finally {
    server.close();
  }
});

test("a server that never becomes ready: a fatal InferenceError naming the last answer", async () => {
  const server = createServer((_req, res) => res.writeHead(503).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await assert.rejects(
      waitForModelReady(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "iris", 600, AbortSignal.timeout(10_000), sleep),
      (e: unknown) => e instanceof InferenceError && e.kind === "fatal" && /not ready within 1 s \(last: HTTP 503\)/.test(e.message),
    );
  } finally {
    server.close();
  }
});

test("a ready server that keeps answering 404 for the model: a BatchConfigError naming the model, without waiting for the timeout", async () => {
  const server = createServer((req, res) => res.writeHead(req.url === "/v2/health/ready" ? 200 : 404).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const started = Date.now();
  try {
    await assert.rejects(
      waitForModelReady(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "nightly", 60_000, AbortSignal.timeout(60_000), sleep),
      (e: unknown) => e instanceof BatchConfigError && /serves no model named nightly/.test(e.message),
    );
    assert.ok(Date.now() - started < 10_000);
  } finally {
    server.close();
  }
});
