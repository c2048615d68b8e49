// `mdo activator` configuration: defaults, environment (MDO_…) under flags, a required operator
// URL, rejected values named; and the usage text lists every flag.
import assert from "node:assert/strict";
import { test } from "node:test";
import { activatorUsage } from "../../../src/activator/command.ts";
import { ActivatorConfig, ActivatorConfigError, loadActivatorConfig } from "../../../src/activator/config.ts";

test("defaults: the chart's ports, every namespace, the agent's port and the Activator's limits", () => {
  assert.deepEqual(loadActivatorConfig({ operatorUrl: "http://mdo-metrics.mdo-system.svc:8081" }, {}), {
    listen: "0.0.0.0:8080", healthAddress: "0.0.0.0:9090", operatorUrl: "http://mdo-metrics.mdo-system.svc:8081",
    backendPort: 8080, maxQueuedPerTarget: 100, coldStartTimeout: 60, maxBodyBytes: 8 * 1024 * 1024,
    clusterDomain: "cluster.local", logLevel: "info",
  });
});

test("flags win over MDO_ environment variables, which win over defaults", () => {
  const config = loadActivatorConfig({ backendPort: "9000" }, {
    MDO_OPERATOR_URL: "http://op:8081", MDO_BACKEND_PORT: "7000", MDO_NAMESPACE: "ml", MDO_COLD_START_TIMEOUT: "120", MDO_LISTEN: "",
  });
  assert.equal(config.operatorUrl, "http://op:8081");
  assert.equal(config.backendPort, 9000);
  assert.equal(config.namespace, "ml");
  assert.equal(config.coldStartTimeout, 120);
  assert.equal(config.listen, "0.0.0.0:8080", "an empty variable is unset");
});

test("rejects a missing or non-HTTP operator URL and invalid values, naming the option", () => {
  for (const [flags, option] of [
    [{}, "operatorUrl"],
    [{ operatorUrl: "ftp://op" }, "operatorUrl"],
    [{ operatorUrl: "http://op", backendPort: "0" }, "backendPort"],
    [{ operatorUrl: "http://op", namespace: "Team_A" }, "namespace"],
    [{ operatorUrl: "http://op", listen: "8080" }, "listen"],
    [{ operatorUrl: "http://op", coldStartTimeout: "1.5" }, "coldStartTimeout"],
  ] as const) {
    assert.throws(() => loadActivatorConfig(flags, {}), (error: unknown) => error instanceof ActivatorConfigError && error.message.includes(option), JSON.stringify(flags));
  }
});

test("the usage lists every option as a kebab-case flag with its environment variable", () => {
  const usage = activatorUsage();
  for (const flag of ["--listen", "--health-address", "--operator-url", "--namespace", "--kubeconfig", "--backend-port", "--max-queued-per-target", "--cold-start-timeout", "--max-body-bytes", "--cluster-domain", "--log-level"]) {
    assert.match(usage, new RegExp(`^  ${flag} `, "m"), flag);
  }
  assert.equal(Object.keys(ActivatorConfig.shape).length, 11);
  assert.match(usage, /\[MDO_OPERATOR_URL\]/);
});
