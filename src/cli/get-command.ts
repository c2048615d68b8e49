// `mdo get <name> [-n ns] [--watch] [-o json]`: a ModelDeployment's revisions, rollout,
// analysis, drift and conditions as a tree (or the JSON view, src/cli/view/schema.ts).
import type { V1Deployment } from "@kubernetes/client-node";
import { parseArgs } from "node:util";
import { DNS1123_LABEL } from "../api/names.ts";
import { LABEL_MODEL_DEPLOYMENT } from "../controllers/modeldeployment/labels.ts";
import { ownedBy } from "../controllers/modeldeployment/ownership.ts";
import { MODEL_DEPLOYMENTS, type ModelDeploymentObject } from "../controllers/modeldeployment/resource.ts";
import type { KubeClient, KubeObject } from "../runtime/client/kube-client.ts";
import { Resources } from "../runtime/client/resource.ts";
import { watchView } from "./get-watch.ts";
import { outputFormat, processOutput, UsageError, useColour, type CliOutput, type OutputFormat } from "./get-output.ts";
import { connect } from "./kube.ts";
import { buildView } from "./view/build.ts";
import { renderJson } from "./view/json.ts";
import type { ModelDeploymentView } from "./view/schema.ts";
import { renderText } from "./view/text.ts";

export const GET_USAGE = `Usage: mdo get <model-deployment> [-n namespace] [--watch] [-o text|json] [--color auto|always|never] [--kubeconfig file]

Shows a ModelDeployment as a tree: its revisions (model version, digest, ready/desired replicas,
traffic share), the rollout's step, weight and what it waits for, the last analysis interval
with each check's value against its threshold, the most drifted features, the last failure and
the conditions. Colour only on a terminal (not with NO_COLOR). -o json prints the documented
JSON view (docs/cli.md). --watch prints it again whenever it changes (with -o json: one JSON
object per line) until interrupted. Also runs as \`kubectl mdo get\`.`;

export interface GetCommandDeps {
  output?: CliOutput;
  /** The clock relative times are computed from. */
  now?: () => Date;
  /** Ends --watch (Ctrl-C); aborts requests. */
  signal?: AbortSignal;
}

/** How a view is printed once: text (with or without colour) or JSON. */
export function formatView(view: ModelDeploymentView, format: OutputFormat, colour: boolean): string {
  return format === "json" ? `${renderJson(view)}\n` : `${renderText(view, { colour }).join("\n")}\n`;
}

/** The Deployments that `md` controls (its revisions), found by label. */
export async function revisionDeployments(client: KubeClient, md: ModelDeploymentObject): Promise<V1Deployment[]> {
  const page = await client.list<V1Deployment & KubeObject>(Resources.deployments, {
    namespace: md.metadata?.namespace, labelSelector: `${LABEL_MODEL_DEPLOYMENT}=${md.metadata?.name ?? ""}`,
  });
  return page.items.filter((d) => ownedBy(d, md));
}

/** Runs `mdo get …`; returns the exit code: 0, 1 when not found, 2 for bad usage. Throws API errors. */
export async function runGetCommand(argv: string[], deps: GetCommandDeps = {}): Promise<number> {
  const output = deps.output ?? processOutput;
  const now = deps.now ?? (() => new Date());
  let parsed;
  try {
    parsed = parseGetArgs(argv, output);
  } catch (error) {
    if (!(error instanceof UsageError || (error instanceof TypeError && "code" in error))) throw error;
    output.error(`${error.message}\n\n${GET_USAGE}`);
    return 2;
  }
  if (parsed === "help") {
    output.write(`${GET_USAGE}\n`);
    return 0;
  }
  const conn = await connect({ ...parsed.access, ...(deps.signal === undefined ? {} : { signal: deps.signal }) });
  try {
    const md = await conn.client.get<ModelDeploymentObject>(MODEL_DEPLOYMENTS, conn.namespace, parsed.name);
    if (md === null) {
      output.error(`Error: ModelDeployment ${conn.namespace}/${parsed.name} not found`);
      return 1;
    }
    if (!parsed.watch) {
      const view = buildView({ md, deployments: await revisionDeployments(conn.client, md), now: now() });
      output.write(formatView(view, parsed.format, parsed.colour));
      return 0;
    }
    return await watchView({ client: conn.client, namespace: conn.namespace, name: parsed.name, format: parsed.format, colour: parsed.colour, output, now, signal: deps.signal ?? new AbortController().signal });
  } finally {
    conn.close();
  }
}

interface GetArgs {
  name: string;
  watch: boolean;
  format: OutputFormat;
  colour: boolean;
  access: { kubeconfig?: string; namespace?: string };
}

function parseGetArgs(argv: string[], output: CliOutput): GetArgs | "help" {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      namespace: { type: "string", short: "n" }, kubeconfig: { type: "string" }, watch: { type: "boolean", short: "w" },
      output: { type: "string", short: "o" }, color: { type: "string" }, help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) return "help";
  const [name] = positionals;
  if (positionals.length !== 1 || name === undefined) throw new UsageError("mdo get takes exactly one ModelDeployment name");
  if (!DNS1123_LABEL.test(name)) throw new UsageError(`"${name}" is not a ModelDeployment name (a DNS-1123 label)`);
  return {
    name,
    watch: values.watch === true,
    format: outputFormat(values.output),
    colour: useColour(values.color, output),
    access: { ...(values.kubeconfig === undefined ? {} : { kubeconfig: values.kubeconfig }), ...(values.namespace === undefined ? {} : { namespace: values.namespace }) },
  };
}
