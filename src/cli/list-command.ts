// `mdo list [-n ns | -A] [-o json]`: ModelDeployments with phase, stable and canary versions,
// readiness, drift and age.
import { parseArgs } from "node:util";
import { MODEL_DEPLOYMENTS, type ModelDeploymentObject } from "../controllers/modeldeployment/resource.ts";
import { outputFormat, processOutput, UsageError, useColour, type CliOutput } from "./get-output.ts";
import { connect } from "./kube.ts";
import { buildListRow } from "./view/build.ts";
import { renderJson } from "./view/json.ts";
import { renderListText } from "./view/list-text.ts";
import { VIEW_API_VERSION, type ModelDeploymentListView } from "./view/schema.ts";

export const LIST_USAGE = `Usage: mdo list [-n namespace | -A] [-o text|json] [--color auto|always|never] [--kubeconfig file]

Lists ModelDeployments (of the namespace, or of all with -A): phase, stable model version, the
canary's version, step and weight, ready/desired replicas, drift and age. -o json prints the
documented JSON view (docs/cli.md).`;

/** Runs `mdo list …`; returns the exit code (2 for bad usage). Throws API errors. */
export async function runListCommand(argv: string[], deps: { output?: CliOutput; now?: () => Date; signal?: AbortSignal } = {}): Promise<number> {
  const output = deps.output ?? processOutput;
  let values;
  try {
    ({ values } = parseArgs({
      args: argv, allowPositionals: false, strict: true,
      options: {
        namespace: { type: "string", short: "n" }, "all-namespaces": { type: "boolean", short: "A" }, kubeconfig: { type: "string" },
        output: { type: "string", short: "o" }, color: { type: "string" }, help: { type: "boolean", short: "h" },
      },
    }));
    if (values.namespace !== undefined && values["all-namespaces"] === true) throw new UsageError("-n and -A exclude each other");
  } catch (error) {
    if (!(error instanceof UsageError || (error instanceof TypeError && "code" in error))) throw error;
    output.error(`${error.message}\n\n${LIST_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    output.write(`${LIST_USAGE}\n`);
    return 0;
  }
  let format, colour;
  try {
    format = outputFormat(values.output);
    colour = useColour(values.color, output);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.error(`${error.message}\n\n${LIST_USAGE}`);
    return 2;
  }
  const all = values["all-namespaces"] === true;
  const conn = await connect({
    ...(values.kubeconfig === undefined ? {} : { kubeconfig: values.kubeconfig }),
    ...(values.namespace === undefined ? {} : { namespace: values.namespace }),
    ...(deps.signal === undefined ? {} : { signal: deps.signal }),
  });
  try {
    const items: ModelDeploymentObject[] = [];
    let continueToken: string | undefined;
    do {
      const page = await conn.client.list<ModelDeploymentObject>(MODEL_DEPLOYMENTS, { ...(all ? {} : { namespace: conn.namespace }), limit: 500, continueToken });
      items.push(...page.items);
      continueToken = page.continueToken;
    } while (continueToken !== undefined);
    const rows = items.map(buildListRow).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    const view: ModelDeploymentListView = { apiVersion: VIEW_API_VERSION, kind: "ModelDeploymentListView", observedAt: (deps.now ?? (() => new Date()))().toISOString(), items: rows };
    output.write(format === "json" ? `${renderJson(view)}\n` : `${renderListText(view, { colour, allNamespaces: all, namespace: conn.namespace }).join("\n")}\n`);
    return 0;
  } finally {
    conn.close();
  }
}
