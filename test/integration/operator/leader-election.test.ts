// Two operator processes with leader election: exactly one reconciles; when it is killed, the
// other takes over within 20 s.
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { after, before, test } from "node:test";
import { freePorts } from "../../../src/sandbox/ports.ts";
import { createNamespace, kubectlOk, sharedCluster, waitFor, type TestCluster } from "../../support/cluster.ts";
import { condition, minimalMdep, scrape, sumMetric, waitForMdep } from "../../support/mdep.ts";

let cluster: TestCluster;
let ns: string;
const operators: { process: ChildProcess; address: string; name: string }[] = [];

function startOperatorProcess(name: string, port: number): { process: ChildProcess; address: string; name: string } {
  const address = `127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["src/cmd/mdo.ts", "operator",
    `--kubeconfig=${cluster.kubeconfigPath}`, `--namespace=${ns}`, "--leader-elect=true", `--lease-namespace=${ns}`,
    `--identity=${name}`, `--health-address=${address}`, "--log-level=warn"], { stdio: ["ignore", "ignore", "inherit"] });
  return { process: child, address, name };
}

async function leaderGauge(address: string): Promise<number | undefined> {
  try {
    return sumMetric(await scrape(address), "mdo_leader");
  } catch {
    return undefined;
  }
}

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "leader");
  const [a, b] = await freePorts(2);
  operators.push(startOperatorProcess("op-a", a!), startOperatorProcess("op-b", b!));
});
after(() => {
  for (const o of operators) o.process.kill("SIGKILL");
});

test("exactly one of two operators reconciles; the other takes over within 20 s of a kill", async () => {
  await waitFor("one leader", 30_000, async () => {
    const gauges = await Promise.all(operators.map((o) => leaderGauge(o.address)));
    return gauges.filter((g) => g === 1).length === 1 && gauges.every((g) => g !== undefined);
  });
  await kubectlOk(cluster, ["apply", "-f", "-"], minimalMdep("led", ns));
  await waitForMdep(cluster, ns, "led", "Ready", (md) => condition(md, "Ready")?.status === "True");
  const reconciles = await Promise.all(operators.map(async (o) => sumMetric(await scrape(o.address), "mdo_reconcile_total")));
  const leaderIndex = (await Promise.all(operators.map((o) => leaderGauge(o.address)))).indexOf(1);
  const leader = operators[leaderIndex]!;
  const standby = operators[1 - leaderIndex]!;
  assert.ok(reconciles[leaderIndex]! > 0, "the leader reconciled");
  assert.equal(reconciles[1 - leaderIndex], 0, "the standby did not reconcile");

  leader.process.kill("SIGKILL");
  const killedAt = Date.now();
  await waitFor("the standby to lead", 25_000, async () => (await leaderGauge(standby.address)) === 1);
  const takeover = Date.now() - killedAt;
  console.log(`takeover after killing ${leader.name}: ${takeover} ms`);
  assert.ok(takeover <= 20_000, `takeover within 20 s (took ${takeover} ms)`);
  await kubectlOk(cluster, ["apply", "-f", "-"], minimalMdep("after-takeover", ns));
  await waitForMdep(cluster, ns, "after-takeover", "Ready under the new leader", (md) => condition(md, "Ready")?.status === "True");
});
