// Manual control of a rollout through annotations on the ModelDeployment. The value of each
// annotation is an id (the CLI writes a timestamp); a value is acted on once and acknowledged in
// the rollout state, so re-applying the same manifest, or a restarted operator, changes nothing.

export const COMMAND_KINDS = ["retry", "promote", "pause", "resume", "abort"] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

/** Annotation prefix: `mdo.dev/promote`, `mdo.dev/abort`, … */
export const COMMAND_ANNOTATION_PREFIX = "mdo.dev/";

export interface Command {
  kind: CommandKind;
  id: string;
}

/**
 * The commands present in annotations, in the order the machine applies them: retry, promote,
 * pause, resume, then abort, so that abort wins over anything requested together with it.
 * Empty values are no command.
 */
export function commandsFromAnnotations(annotations: Readonly<Record<string, string>> | undefined): Command[] {
  const commands: Command[] = [];
  for (const kind of COMMAND_KINDS) {
    const id = annotations?.[COMMAND_ANNOTATION_PREFIX + kind];
    if (id !== undefined && id !== "") commands.push({ kind, id });
  }
  return commands;
}

/** The commands whose id differs from the one acknowledged for their kind. */
export function newCommands(commands: readonly Command[], acknowledged: Partial<Record<CommandKind, string>>): Command[] {
  const order = (c: Command) => COMMAND_KINDS.indexOf(c.kind);
  return commands.filter((c) => acknowledged[c.kind] !== c.id).sort((a, b) => order(a) - order(b));
}
