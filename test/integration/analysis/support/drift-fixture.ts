// The set-up of tests that watch drift through real agent processes: a namespace, an operator
// checking drift every 2 s that reaches each revision's agent through `agents`, a model-server
// stand-in that never fails, and a baseline.json of iris rows in a scratch directory. Registers
// its before/after hooks; the fields are set once `before` has run, and then `ready` is called
// with them (root-level before hooks of one file do not wait for each other).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { buildBaseline } from "../../../../src/drift/index.ts";
import { createNamespace, sharedCluster, type TestCluster } from "../../../support/cluster.ts";
import { IRIS_FEATURES, irisRows } from "../../../support/iris-data.ts";
import { startTestOperator, type TestOperator } from "../../../support/operator.ts";
import { FailingModelServer, type AgentProcess } from "./agents.ts";

export interface DriftFixture {
  cluster: TestCluster;
  ns: string;
  operator: TestOperator;
  upstream: FailingModelServer;
  /** Holds baseline.json (5000 iris rows, 10 bins). */
  dir: string;
  /** The agent of each revision, by revision label; the operator asks it for drift. */
  readonly agents: Map<string, AgentProcess>;
}

export function useDriftFixture(prefix: string, ready: (fx: DriftFixture) => void = () => undefined): DriftFixture {
  const fx = { agents: new Map<string, AgentProcess>() } as DriftFixture;
  before(async () => {
    fx.cluster = await sharedCluster();
    fx.ns = await createNamespace(fx.cluster, prefix);
    fx.dir = await mkdtemp(join(tmpdir(), `mdo-${prefix}-test-`));
    await writeFile(join(fx.dir, "baseline.json"), JSON.stringify(buildBaseline(irisRows(5000, 1), { columns: IRIS_FEATURES, bins: 10 })));
    fx.upstream = await new FailingModelServer(1_000_000, 0).start();
    fx.operator = await startTestOperator(fx.cluster, fx.ns, { driftCheckInterval: "2" }, {
      agentAddress: (_endpoint, revision) => fx.agents.get(revision)?.metricsUrl ?? "http://127.0.0.1:1",
    });
    ready(fx);
  });
  after(async () => {
    await fx.operator?.stop();
    for (const agent of fx.agents.values()) await agent.stop();
    await fx.upstream?.stop();
    if (fx.dir !== undefined) await rm(fx.dir, { recursive: true, force: true });
  });
  return fx;
}
