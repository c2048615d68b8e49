// `mdo dashboard`: a local web UI of ModelDeployments with the user's kubeconfig (kubectl's order:
// KUBECONFIG or ~/.kube/config, then the pod's service account). Read-only unless --allow-writes.
import { access as accessFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadClusterAccess } from "../runtime/client/access/load.ts";
import { KubeClient } from "../runtime/client/kube-client.ts";
import { KubeTransport } from "../runtime/client/transport.ts";
import { apiServerProxyFetcher, directFetcher } from "./live-drift.ts";
import { startDashboard } from "./server.ts";
import { STATIC_DIR } from "./static-files.ts";
import { cliRolloutWriter } from "./writes.ts";

export const DASHBOARD_USAGE = `Usage: mdo dashboard [--port 8080] [--address 127.0.0.1] [-n namespace | --namespace all]
                     [--allow-writes] [--kubeconfig file] [--agents proxy|direct] [--agent-port 9090]

Serves a web UI of ModelDeployments: the list with phase and health, and for each its revisions,
rollout timeline with the analysis of each interval, and drift histograms (baseline vs live),
updated live from a watch. Read-only unless --allow-writes, which adds promote and abort buttons
(each asks for confirmation, then sets the annotation mdo promote|abort sets).
  --namespace   one namespace (default: the kubeconfig context's), or "all"
  --agents      how live drift windows are read from the agents: through the API server's pod
                proxy (proxy, default; needs get on pods/proxy) or from the pod IPs (direct, in the cluster)`;

/** The page's static files are not where the server expects them (an image built without them). */
export class DashboardFilesError extends Error {
  override readonly name = "DashboardFilesError";
}

const fileExists = (path: string): Promise<boolean> => accessFile(path).then(() => true, () => false);

/** Runs until SIGINT or SIGTERM; returns the exit code (2 for bad usage). */
export async function runDashboardCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      port: { type: "string", default: "8080" }, address: { type: "string", default: "127.0.0.1" },
      namespace: { type: "string", short: "n" }, "allow-writes": { type: "boolean", default: false },
      kubeconfig: { type: "string" }, agents: { type: "string", default: "proxy" }, "agent-port": { type: "string", default: "9090" },
      help: { type: "boolean" },
    },
  });
  if (values.help === true) {
    console.log(DASHBOARD_USAGE);
    return 0;
  }
  const port = Number(values.port);
  const agentPort = Number(values["agent-port"]);
  const valid = positionals.length === 0 && Number.isInteger(port) && port >= 0 && port <= 65535
    && Number.isInteger(agentPort) && agentPort > 0 && agentPort <= 65535 && (values.agents === "proxy" || values.agents === "direct");
  if (!valid) {
    console.error(DASHBOARD_USAGE);
    return 2;
  }
  if (!(await fileExists(join(STATIC_DIR, "index.html")))) {
    throw new DashboardFilesError(`The dashboard's page files are missing: no ${join(STATIC_DIR, "index.html")} (src/dashboard/static/ must sit beside the compiled server)`);
  }
  const access = await loadClusterAccess(values.kubeconfig === undefined ? { inClusterFirst: false } : { kubeconfig: values.kubeconfig });
  const namespace = values.namespace === "all" ? undefined : (values.namespace ?? access.namespace ?? "default");
  const transport = new KubeTransport(access);
  const client = new KubeClient(transport);
  const dashboard = await startDashboard({
    client, namespace, allowWrites: values["allow-writes"], writer: cliRolloutWriter(values.kubeconfig),
    driftFetcher: values.agents === "direct" ? directFetcher() : apiServerProxyFetcher(client),
    agentPort, port, address: values.address, log: (message) => console.error(message),
  });
  console.log(`Serving the MDO dashboard of ${namespace === undefined ? "all namespaces" : `namespace ${namespace}`} at ${dashboard.url}/ ` +
    `(${values["allow-writes"] ? "promote and abort allowed" : "read-only"}; cluster from ${access.source})`);
  await new Promise<void>((resolve) => {
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => resolve());
  });
  await dashboard.close();
  transport.close();
  return 0;
}
