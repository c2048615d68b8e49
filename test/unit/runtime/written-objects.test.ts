import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { KubeObject } from "../../../src/runtime/client/kube-client.ts";
import { WrittenObjects } from "../../../src/runtime/written-objects.ts";

const at = (resourceVersion: string, note = ""): KubeObject & { note: string } =>
  ({ metadata: { name: "a", namespace: "ns", resourceVersion, managedFields: [{}] }, note });

test("a written copy newer than the cache's is read until the cache shows it, then forgotten", () => {
  const written = new WrittenObjects<KubeObject & { note: string }>();
  written.remember("ns/a", at("120", "ours"));
  assert.equal(written.newest("ns/a", at("99", "cache"))?.note, "ours", "integers: 99 < 120 although '99' > '120' as text");
  assert.equal(written.newest("ns/a", at("119", "cache"))?.note, "ours");
  assert.equal(written.size, 1);
  assert.equal(written.newest("ns/a", at("120", "cache"))?.note, "cache", "caught up: the cache's copy");
  assert.equal(written.size, 0, "and the written copy is forgotten");
  assert.equal(written.newest("ns/a", at("7", "cache"))?.note, "cache", "nothing remembered: the cache as it is");
});

test("a newer cached copy (someone else's write) wins at once", () => {
  const written = new WrittenObjects<KubeObject & { note: string }>();
  written.remember("ns/a", at("120", "ours"));
  assert.equal(written.newest("ns/a", at("121", "spec edit"))?.note, "spec edit");
  assert.equal(written.size, 0);
});

test("a deleted object is not brought back by what was written before", () => {
  const written = new WrittenObjects<KubeObject & { note: string }>();
  written.remember("ns/a", at("120", "ours"));
  assert.equal(written.newest("ns/a", undefined), undefined);
  assert.equal(written.size, 0);
});

test("resourceVersions that are not integers are not compared: the cache's copy is taken", () => {
  const written = new WrittenObjects<KubeObject & { note: string }>();
  written.remember("ns/a", at("b7", "ours"));
  assert.equal(written.newest("ns/a", at("a1", "cache"))?.note, "cache");
});

test("the remembered copy has no managedFields, like the cache's", () => {
  const written = new WrittenObjects<KubeObject & { note: string }>();
  written.remember("ns/a", at("2"));
  assert.equal(written.newest("ns/a", at("1"))?.metadata?.managedFields, undefined);
  assert.equal(written.newest("ns/b", undefined), undefined, "keys are separate");
});
