import { strict as assert } from "node:assert";
import { test } from "node:test";
import { EndpointSliceLocator, podAddress, type EndpointSlice } from "../../../src/analysis/agent/endpoint-slice-locator.ts";
import { LocatorError } from "../../../src/analysis/errors.ts";
import type { ListOptions, ListPage } from "../../../src/runtime/client/kube-client.ts";
import type { ResourceRef } from "../../../src/runtime/client/resource.ts";

const pod = (name: string, ip: string, ready?: boolean | null) => ({
  addresses: [ip], targetRef: { kind: "Pod", name, namespace: "ml" }, ...(ready === undefined ? {} : { conditions: { ready } }),
});
const SLICES: EndpointSlice[] = [
  {
    addressType: "IPv4",
    ports: [{ name: "http", port: 8080 }, { name: "metrics", port: 9090 }],
    endpoints: [pod("new-1", "10.0.0.1", true), pod("new-2", "10.0.0.2"), pod("new-3", "10.0.0.3", false), pod("old-1", "10.0.0.4", true),
      { addresses: ["10.0.0.9"], conditions: { ready: true } }],
  },
  // The same pod again in a second slice (during an update), and an IPv6 one.
  { addressType: "IPv6", ports: [{ name: "metrics", port: 9091 }], endpoints: [pod("new-1", "fd00::1", true), pod("new-4", "fd00::4", null)] },
  { addressType: "IPv4", ports: [{ name: "http", port: 8080 }], endpoints: [pod("new-5", "10.0.0.5", true)] },
  { addressType: "FQDN", ports: [{ name: "metrics", port: 9090 }], endpoints: [{ addresses: ["x.example"], targetRef: { kind: "Pod", name: "new-6" } }] },
];
const LABELS: Record<string, Record<string, string>> = {
  "new-1": { "mdo.dev/revision": "r2" }, "new-2": { "mdo.dev/revision": "r2" }, "new-3": { "mdo.dev/revision": "r2" },
  "new-4": { "mdo.dev/revision": "r2" }, "new-5": { "mdo.dev/revision": "r2" }, "new-6": { "mdo.dev/revision": "r2" },
  "old-1": { "mdo.dev/revision": "r1" },
};

function client(slices: EndpointSlice[] | Error, seen: { ref?: ResourceRef; options?: ListOptions } = {}) {
  return {
    list: <T>(ref: ResourceRef, options: ListOptions = {}): Promise<ListPage<T>> => {
      seen.ref = ref;
      seen.options = options;
      if (slices instanceof Error) return Promise.reject(slices);
      return Promise.resolve({ items: slices as T[], resourceVersion: "1" });
    },
  };
}

test("locates the ready pods of the revision through the Service's EndpointSlices, on the metrics port", async () => {
  const seen: { ref?: ResourceRef; options?: ListOptions } = {};
  const locator = new EndpointSliceLocator({ client: client(SLICES, seen), podLabels: (_ns, name) => Promise.resolve(LABELS[name]) });
  assert.deepEqual(await locator.locate("ml", "fraud", "r2"), [
    { pod: "new-1", url: "http://10.0.0.1:9090" },
    { pod: "new-2", url: "http://10.0.0.2:9090" },
    { pod: "new-4", url: "http://[fd00::4]:9091" },
  ]);
  assert.equal(seen.ref?.plural, "endpointslices");
  assert.deepEqual([seen.options?.namespace, seen.options?.labelSelector], ["ml", "kubernetes.io/service-name in (fraud,fraud-stable,fraud-canary)"]);
  assert.deepEqual(await locator.locate("ml", "fraud", "r1"), [{ pod: "old-1", url: "http://10.0.0.4:9090" }]);
  assert.deepEqual(await locator.locate("ml", "fraud", "r9"), []);
});

test("the address hook rewrites where each agent is read; pods without labels are skipped", async () => {
  const ports: Record<string, number> = { "new-1": 41001, "new-2": 41002 };
  const locator = new EndpointSliceLocator({
    client: client(SLICES),
    podLabels: (_ns, name) => Promise.resolve(name === "new-4" ? undefined : LABELS[name]),
    address: (e) => `http://127.0.0.1:${ports[e.pod] ?? 1}`,
  });
  assert.deepEqual(await locator.locate("ml", "fraud", "r2"), [
    { pod: "new-1", url: "http://127.0.0.1:41001" }, { pod: "new-2", url: "http://127.0.0.1:41002" },
  ]);
  assert.equal(podAddress({ namespace: "ml", pod: "p", ip: "10.1.2.3", port: 9090 }), "http://10.1.2.3:9090");
});

test("API failures are LocatorErrors with the cause", async () => {
  const cause = new Error("connection refused");
  const listing = new EndpointSliceLocator({ client: client(cause), podLabels: () => Promise.resolve({}) });
  await assert.rejects(listing.locate("ml", "fraud", "r2"), (e: unknown) => e instanceof LocatorError && e.cause === cause && /EndpointSlices of Service ml\/fraud: connection refused/.test(e.message));
  const labels = new EndpointSliceLocator({ client: client(SLICES), podLabels: () => Promise.reject(cause) });
  await assert.rejects(labels.locate("ml", "fraud", "r2"), (e: unknown) => e instanceof LocatorError && /labels of Pod ml\/new-/.test(e.message));
});
