// Where a command's settings come from, the same for every `mdo` command: its flags, else an
// environment variable (a prefix, MDO_ by default, + the option in upper snake case), else the
// schema's default.

/** The environment variable of an option: `prefix` + upper snake case (leaderElect → MDO_LEADER_ELECT). */
export function envName(option: string, prefix = "MDO_"): string {
  return `${prefix}${option.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/**
 * The raw values of `options` (to be validated by the caller's schema): a flag wins over its
 * environment variable; an empty variable counts as unset; options with neither are left out.
 */
export function rawSettings(
  options: readonly string[], flags: Readonly<Record<string, string | boolean | undefined>>, env: NodeJS.ProcessEnv, prefix = "MDO_",
): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of options) {
    const fromEnv = env[envName(key, prefix)];
    if (fromEnv !== undefined && fromEnv !== "") raw[key] = fromEnv;
    if (flags[key] !== undefined) raw[key] = flags[key];
  }
  return raw;
}
