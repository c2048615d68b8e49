// The autoscaler's agents come from the pod cache alone: ready, not terminating pods of the
// revision with an IP, one agent per URL, in name order; the address can be mapped (tests).
import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { podAgentLocator } from "../../../src/controllers/modeldeployment/pod-agent-locator.ts";

function pod(name: string, extra: { revision?: string; md?: string; ns?: string; ip?: string; ready?: boolean; deleting?: boolean; noIp?: boolean } = {}): V1Pod {
  return {
    metadata: {
      name, namespace: extra.ns ?? "ml",
      labels: { "mdo.dev/model-deployment": extra.md ?? "fraud", "mdo.dev/revision": extra.revision ?? "r1" },
      ...(extra.deleting === true ? { deletionTimestamp: new Date(0) } : {}),
    },
    status: {
      ...(extra.noIp === true ? {} : { podIP: extra.ip ?? `198.18.0.${name.length}` }),
      conditions: [{ type: "Ready", status: extra.ready === false ? "False" : "True" }],
    },
  };
}

test("ready pods of the revision only, sorted, at the pod IP and metrics port", async () => {
  const pods = [
    pod("fraud-b", { ip: "198.18.0.12" }), pod("fraud-a", { ip: "198.18.0.11" }),
    pod("fraud-old", { revision: "r0" }), pod("other-a", { md: "other" }), pod("fraud-x", { ns: "dev" }),
    pod("fraud-unready", { ready: false }), pod("fraud-going", { deleting: true }), pod("fraud-new", { noIp: true }),
  ];
  const locator = podAgentLocator({ pods: () => pods, port: 9090 });
  assert.deepEqual(await locator.locate("ml", "fraud", "r1"), [
    { pod: "fraud-a", url: "http://198.18.0.11:9090" },
    { pod: "fraud-b", url: "http://198.18.0.12:9090" },
  ]);
  const mapped = podAgentLocator({ pods: () => pods, port: 9090, address: () => "http://127.0.0.1:1234" });
  assert.deepEqual(await mapped.locate("ml", "fraud", "r1"), [{ pod: "fraud-a", url: "http://127.0.0.1:1234" }], "one agent per URL");
});
