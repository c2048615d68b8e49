import assert from "node:assert/strict";
import { test } from "node:test";
import { AppliedObjects } from "../../../src/runtime/applied-objects.ts";
import { ManualClock } from "../../../src/runtime/clock.ts";
import type { KubeObject } from "../../../src/runtime/client/kube-client.ts";

const object = (name: string, resourceVersion: string, note = ""): KubeObject & { note: string } =>
  ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: "ns", resourceVersion, managedFields: [{}] }, note });
const all = (): boolean => true;

test("an applied object the cache does not hold yet is seen, without managedFields", () => {
  const applied = new AppliedObjects<ReturnType<typeof object>>(new ManualClock(0));
  applied.remember(object("a", "5", "applied"));
  const seen = applied.overlay([], all);
  assert.deepEqual(seen.map((o) => o.note), ["applied"]);
  assert.equal(seen[0]!.metadata?.managedFields, undefined);
});

test("a newer applied copy replaces the cached one; once the cache catches up the copy is forgotten", () => {
  const applied = new AppliedObjects<ReturnType<typeof object>>(new ManualClock(0));
  applied.remember(object("a", "7", "applied"));
  assert.deepEqual(applied.overlay([object("a", "6", "cached")], all).map((o) => o.note), ["applied"]);
  assert.deepEqual(applied.overlay([object("a", "7", "cached")], all).map((o) => o.note), ["cached"]);
  assert.equal(applied.size, 0);
  assert.deepEqual(applied.overlay([object("a", "6", "cached-old")], all).map((o) => o.note), ["cached-old"], "forgotten: the cache's word from then on");
});

test("select filters both cached and applied objects; an unseen copy expires after the TTL", () => {
  const clock = new ManualClock(0);
  const applied = new AppliedObjects<ReturnType<typeof object>>(clock, 1000);
  applied.remember(object("mine", "3"));
  applied.remember(object("other", "4"));
  const mine = (o: KubeObject): boolean => o.metadata?.name === "mine";
  assert.deepEqual(applied.overlay([object("other", "1")], mine).map((o) => o.metadata?.name), ["mine"]);
  clock.advance(1001);
  assert.deepEqual(applied.overlay([], mine), []);
  assert.equal(applied.size, 1, "the other object's copy is left for its own reconcile");
});

test("a non-integer resourceVersion lets the cache win", () => {
  const applied = new AppliedObjects<ReturnType<typeof object>>(new ManualClock(0));
  applied.remember(object("a", "x9", "applied"));
  assert.deepEqual(applied.overlay([object("a", "x1", "cached")], all).map((o) => o.note), ["cached"]);
});
