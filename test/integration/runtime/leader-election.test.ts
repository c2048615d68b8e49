// Two candidates for one Lease on the real API server: exactly one leads; a released lease is
// taken over within a retry period, an abandoned one after it expires.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { KubeClient } from "../../../src/runtime/client/kube-client.ts";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { realClock } from "../../../src/runtime/clock.ts";
import { LeaderElector } from "../../../src/runtime/leader-election.ts";
import { createNamespace, sharedCluster } from "../../support/cluster.ts";

test("one leader at a time; takeover after release and after expiry", async (t) => {
  const cluster = await sharedCluster();
  const ns = await createNamespace(cluster, "lease");
  const client = new KubeClient(new KubeTransport(await loadClusterAccess({ kubeconfig: cluster.kubeconfigPath })));
  t.after(() => client.transport.close());
  const candidate = (identity: string): LeaderElector =>
    new LeaderElector(client, { namespace: ns, name: "mdo-leader", identity, clock: realClock, leaseDurationMs: 4_000, renewDeadlineMs: 3_000, retryPeriodMs: 500 });

  const a = candidate("a");
  const b = candidate("b");
  const stopA = new AbortController();
  assert.equal(await a.acquire(stopA.signal), true);
  const holdingA = a.hold(stopA.signal);

  const stopB = new AbortController();
  const bAcquired = b.acquire(stopB.signal);
  await new Promise((r) => setTimeout(r, 2_000));
  assert.equal(b.isLeader(), false, "b waits while a renews");

  stopA.abort();
  assert.equal(await holdingA, "stopped");
  await a.release();
  const releasedAt = Date.now();
  assert.equal(await bAcquired, true);
  assert.ok(Date.now() - releasedAt < 2_000, "a released lease is taken over within a retry period or so");

  // b now dies without releasing; c must wait for expiry (4 s), then take over.
  const holdingB = b.hold(stopB.signal);
  await new Promise((r) => setTimeout(r, 600));
  stopB.abort();
  await holdingB;
  const abandonedAt = Date.now();
  const c = candidate("c");
  const stopC = new AbortController();
  t.after(() => stopC.abort());
  assert.equal(await c.acquire(stopC.signal), true);
  const waited = Date.now() - abandonedAt;
  assert.ok(waited >= 3_000 && waited < 10_000, `takeover after expiry took ${waited} ms`);
});
