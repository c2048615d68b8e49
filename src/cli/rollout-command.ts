// `mdo promote|abort|retry|pause|resume <name>`: a person's command to a rollout, given as the
// annotation the operator acts on once (src/rollout/commands.ts) and acknowledges in
// status.rollout.acknowledged.
import { parseArgs } from "node:util";
import { DNS1123_LABEL } from "../api/names.ts";
import { COMMAND_ANNOTATION_PREFIX, COMMAND_KINDS, type CommandKind } from "../rollout/commands.ts";
import { loadClusterAccess } from "../runtime/client/access/load.ts";
import type { ClusterAccess } from "../runtime/client/access/types.ts";
import { resourcePath } from "../runtime/client/resource.ts";
import { KubeTransport } from "../runtime/client/transport.ts";
import { MODEL_DEPLOYMENTS } from "../controllers/modeldeployment/resource.ts";

const WHAT: Record<CommandKind, string> = {
  promote: "complete the current step now (or switch a blue-green preview)",
  abort: "roll the rollout back now",
  retry: "roll a rolled-back revision out again from the first step",
  pause: "hold the rollout (analysis keeps running)",
  resume: "release a paused rollout",
};

export function rolloutCommandUsage(kind: CommandKind): string {
  return `Usage: mdo ${kind} <model-deployment> [-n namespace] [--kubeconfig file] [--id value]

Asks the operator to ${WHAT[kind]}: sets the annotation ${COMMAND_ANNOTATION_PREFIX}${kind} to a new id
(default: the current time), which the operator acts on once and records in
status.rollout.acknowledged.${kind}.`;
}

export function isRolloutCommand(command: string | undefined): command is CommandKind {
  return COMMAND_KINDS.includes(command as CommandKind);
}

/**
 * Sets the command's annotation to `id` on the ModelDeployment: a merge patch by field manager
 * mdo-cli, the one way `mdo <kind>` and the dashboard's buttons send a command. Throws API errors.
 */
export async function sendRolloutCommand(access: ClusterAccess, command: { kind: CommandKind; namespace: string; name: string; id: string }): Promise<void> {
  const transport = new KubeTransport(access);
  try {
    await transport.request({
      verb: "PATCH",
      path: resourcePath(MODEL_DEPLOYMENTS, command.namespace, command.name),
      query: { fieldManager: "mdo-cli" },
      body: { metadata: { annotations: { [`${COMMAND_ANNOTATION_PREFIX}${command.kind}`]: command.id } } },
      contentType: "application/merge-patch+json",
    });
  } finally {
    transport.close();
  }
}

/** Runs `mdo <kind> …`; returns the exit code (2 for bad usage). Throws API errors. */
export async function runRolloutCommand(kind: CommandKind, argv: string[], now: () => Date = () => new Date()): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { namespace: { type: "string", short: "n" }, kubeconfig: { type: "string" }, id: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help === true) {
    console.log(rolloutCommandUsage(kind));
    return 0;
  }
  const [name] = positionals;
  if (positionals.length !== 1 || name === undefined || !DNS1123_LABEL.test(name)) {
    console.error(rolloutCommandUsage(kind));
    return 2;
  }
  // kubectl's order: KUBECONFIG or ~/.kube/config before the pod's service account.
  const access = await loadClusterAccess(values.kubeconfig === undefined ? { inClusterFirst: false } : { kubeconfig: values.kubeconfig });
  const namespace = values.namespace ?? access.namespace ?? "default";
  const id = values.id ?? now().toISOString();
  await sendRolloutCommand(access, { kind, namespace, name, id });
  console.log(`Asked ModelDeployment ${namespace}/${name} to ${WHAT[kind]} (${COMMAND_ANNOTATION_PREFIX}${kind}=${id}); ` +
    `the operator records it in status.rollout.acknowledged.${kind}.`);
  return 0;
}
