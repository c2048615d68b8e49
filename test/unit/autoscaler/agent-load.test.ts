// Per-pod load from two /load reports: concurrency is the integral's rate, rps the counter's; a
// first report (or one from a restarted agent) gives in-flight now for concurrency and nothing
// for rps; pods no longer ready are forgotten.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { PodLoads, type AgentLoadReport } from "../../../src/autoscaler/agent-load.ts";

const report = (monotonicMs: number, concurrencySeconds: number, requests: number, inFlight = 3): AgentLoadReport => ({ inFlight, concurrencySeconds, requests, monotonicMs });

test("averages between two reports of the same agent", () => {
  const loads = new PodLoads();
  assert.equal(loads.loadOf("a", report(1000, 10, 100), "concurrency"), 3, "first report: in flight now");
  assert.equal(loads.loadOf("a", report(3000, 17, 160), "concurrency"), 3.5, "7 concurrency-seconds over 2 s");
  const rps = new PodLoads();
  assert.equal(rps.loadOf("a", report(1000, 10, 100), "rps"), undefined, "a rate needs two reports");
  assert.equal(rps.loadOf("a", report(3000, 17, 160), "rps"), 30);
});

test("a restarted agent (clock or counters went back) starts afresh; forgotten pods too", () => {
  const loads = new PodLoads();
  loads.loadOf("a", report(50_000, 400, 9000), "rps");
  assert.equal(loads.loadOf("a", report(2000, 1, 20), "rps"), undefined, "clock went back");
  assert.equal(loads.loadOf("a", report(4000, 3, 60), "rps"), 20);
  loads.keepOnly(new Set(["b"]));
  assert.equal(loads.loadOf("a", report(6000, 5, 100, 7), "concurrency"), 7, "forgotten: a first report again");
});
