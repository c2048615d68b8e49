// `mdo render <file> [-o yaml|json]`: the child objects the ModelDeployments of a YAML file
// (one or more documents, "-" for standard input) would get from the operator, without a cluster.
import { readFile } from "node:fs/promises";
import { text as readStream } from "node:stream/consumers";
import { parseArgs } from "node:util";
import { dump, loadAll, YAMLException } from "js-yaml";
import { API_VERSION, KIND, parseModelDeployment, type InvalidModelDeploymentError } from "../api/index.ts";
import { RuntimeCatalog, RuntimeResolutionError } from "../catalog/catalog.ts";
import { BuildError } from "../controllers/modeldeployment/builders/index.ts";
import { DEFAULT_SETTINGS } from "../controllers/modeldeployment/settings.ts";
import type { KubeObject } from "../runtime/client/kube-client.ts";
import { UnknownTrafficRouterError } from "../traffic/index.ts";
import { processOutput, type CliOutput } from "./get-output.ts";
import { renderChildren } from "./render-children.ts";

export const RENDER_USAGE = `Usage: mdo render <file|-> [-o yaml|json] [--agent-image image] [--fetcher-image image]

Prints the objects the operator creates for each ModelDeployment in the file (YAML, one or more
documents; other kinds are skipped): ConfigMap, Service, Deployment and, as the spec asks, the
HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy, the traffic router's objects and the
shadow settings. No cluster is needed: the ModelDeployments are validated as the API server and
the operator do, and built by the operator's own code, as for a new ModelDeployment. Owner
references (they name the ModelDeployment's uid) are left out. The images default to the
operator's defaults (${DEFAULT_SETTINGS.agentImage}).`;

/** Why a file cannot be rendered: every invalid document, each named by its position and name. */
export class RenderInputError extends Error {
  override readonly name = "RenderInputError";
}

/** Runs `mdo render …`; returns 0, 1 for an invalid file, 2 for bad usage. */
export async function runRenderCommand(argv: string[], deps: { output?: CliOutput; readInput?: (path: string) => Promise<string>; now?: () => Date } = {}): Promise<number> {
  const output = deps.output ?? processOutput;
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: { output: { type: "string", short: "o" }, "agent-image": { type: "string" }, "fetcher-image": { type: "string" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    if (!(error instanceof TypeError && "code" in error)) throw error;
    output.error(`${error.message}\n\n${RENDER_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    output.write(`${RENDER_USAGE}\n`);
    return 0;
  }
  const format = values.output ?? "yaml";
  const [file] = positionals;
  if (positionals.length !== 1 || file === undefined || (format !== "yaml" && format !== "json")) {
    output.error(`mdo render takes one file and -o yaml or json\n\n${RENDER_USAGE}`);
    return 2;
  }
  const read = deps.readInput ?? ((path: string) => (path === "-" ? readStream(process.stdin) : readFile(path, "utf8")));
  const settings = {
    ...DEFAULT_SETTINGS,
    ...(values["agent-image"] === undefined ? {} : { agentImage: values["agent-image"] }),
    ...(values["fetcher-image"] === undefined ? {} : { fetcherImage: values["fetcher-image"] }),
  };
  try {
    const rendered = await renderFile(file, await read(file), { catalog: RuntimeCatalog.builtin(), settings, now: (deps.now ?? (() => new Date()))() }, output);
    output.write(format === "json"
      ? `${JSON.stringify({ apiVersion: "v1", kind: "List", items: rendered.flatMap((r) => r.objects) }, null, 2)}\n`
      : rendered.map((r) => `# ModelDeployment ${r.name}\n${r.objects.map((o) => dump(o, { noRefs: true, lineWidth: -1 })).join("---\n")}`).join("---\n"));
    return 0;
  } catch (error) {
    if (!(error instanceof RenderInputError)) throw error;
    output.error(error.message);
    return 1;
  }
}

/**
 * The children of every ModelDeployment in `text`, in file order. Throws RenderInputError naming
 * each document that is not YAML, not a valid ModelDeployment or cannot be built.
 */
export async function renderFile(file: string, text: string, deps: Parameters<typeof renderChildren>[1], output: CliOutput): Promise<{ name: string; objects: KubeObject[] }[]> {
  let documents: unknown[];
  try {
    documents = loadAll(text);
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    throw new RenderInputError(`${file}: not YAML: ${error.message}`, { cause: error });
  }
  const problems: string[] = [];
  const rendered: { name: string; objects: KubeObject[] }[] = [];
  for (const [i, doc] of documents.entries()) {
    if (doc === null || doc === undefined) continue;
    const where = `${file}: document ${i + 1}`;
    const { apiVersion, kind, metadata } = doc as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
    if (kind !== KIND || apiVersion !== API_VERSION) {
      output.error(`${where}: skipped ${typeof kind === "string" ? kind : "an object without kind"} ${typeof metadata?.name === "string" ? metadata.name : ""} (not a ${API_VERSION} ${KIND})`.trimEnd());
      continue;
    }
    const parsed = parseModelDeployment(doc);
    if (!parsed.ok) {
      problems.push(invalid(where, parsed.error));
      continue;
    }
    const name = [parsed.value.metadata.namespace, parsed.value.metadata.name].filter(Boolean).join("/");
    try {
      rendered.push({ name, objects: await renderChildren(parsed.value, deps) });
    } catch (error) {
      if (!(error instanceof RuntimeResolutionError || error instanceof BuildError || error instanceof UnknownTrafficRouterError)) throw error;
      problems.push(`${where}: ModelDeployment ${name} cannot be built: ${error.message}`);
    }
  }
  if (problems.length > 0) throw new RenderInputError(problems.join("\n"));
  if (rendered.length === 0) throw new RenderInputError(`${file}: no ${API_VERSION} ${KIND} in the file`);
  return rendered;
}

function invalid(where: string, error: InvalidModelDeploymentError): string {
  const subject = error.message.slice(0, error.message.indexOf(" is invalid"));
  return [`${where}: ${subject} is invalid:`, ...error.issues.map((issue) => `  ${issue.path}: ${issue.message}`)].join("\n");
}
