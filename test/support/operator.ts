// Runs the real operator in the test process against the shared cluster, scoped to one
// namespace so tests do not see each other's objects.
import { createLogger } from "../../src/runtime/logging.ts";
import { loadConfig, type OperatorConfig } from "../../src/operator/config.ts";
import { startOperator, type OperatorExtensions, type StopReason } from "../../src/operator/run.ts";
import { after, before } from "node:test";
import { createNamespace, sharedCluster, type TestCluster } from "./cluster.ts";

export interface TestOperator {
  healthAddress: string;
  stop(): Promise<StopReason>;
}

export async function startTestOperator(
  cluster: TestCluster,
  namespace: string,
  overrides: Partial<Record<keyof OperatorConfig, string>> = {},
  extensions: OperatorExtensions = {},
): Promise<TestOperator> {
  const config = loadConfig({
    kubeconfig: cluster.kubeconfigPath,
    namespace,
    healthAddress: "127.0.0.1:0",
    logLevel: process.env.MDO_TEST_LOG_LEVEL ?? "warn",
    ...overrides,
  }, {});
  const stop = new AbortController();
  const running = await startOperator(config, stop.signal, createLogger({ level: config.logLevel }), extensions);
  return {
    healthAddress: running.healthAddress,
    stop: async () => {
      stop.abort();
      return running.done;
    },
  };
}

export interface OperatorFixture {
  cluster: TestCluster;
  /** A namespace of the test file's own. */
  ns: string;
  /** The operator, watching only `ns`. */
  operator: TestOperator;
}

/**
 * For a test file: before its tests, a namespace of its own and an operator scoped to it; after
 * them, the operator stopped. The fields are filled in by the time the first test runs.
 */
export function useTestOperator(prefix: string): OperatorFixture {
  const fixture = {} as OperatorFixture;
  before(async () => {
    fixture.cluster = await sharedCluster();
    fixture.ns = await createNamespace(fixture.cluster, prefix);
    fixture.operator = await startTestOperator(fixture.cluster, fixture.ns);
  });
  after(async () => {
    await fixture.operator?.stop();
  });
  return fixture;
}
