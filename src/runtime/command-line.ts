// The command line of every `mdo` command that reads a settings schema: each option is a string
// flag in kebab case (--health-address for healthAddress), plus --help; its usage lists each flag
// with its description, default and environment variable.
import { parseArgs } from "node:util";

/** The flag of an option: healthAddress → health-address. */
export function flagName(option: string): string {
  return option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function optionName(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

export interface CommandLine {
  readonly help: boolean;
  /** The options given, by option name (camel case). */
  readonly flags: Record<string, string | undefined>;
}

/**
 * What `argv` asks for, each of `options` a string flag. Throws node:util's TypeError on an
 * unknown flag or a flag without its value (the caller prints it with the usage and exits 2).
 */
export function parseCommandLine(options: readonly string[], argv: readonly string[]): CommandLine {
  const spec = Object.fromEntries(options.map((o) => [flagName(o), { type: "string" as const }]));
  const { values } = parseArgs({ args: [...argv], options: { ...spec, help: { type: "boolean" } }, strict: true });
  const flags = Object.fromEntries(Object.entries(values)
    .filter(([flag]) => flag !== "help")
    .map(([flag, value]) => [optionName(flag), typeof value === "string" ? value : undefined]));
  return { help: values.help === true, flags };
}

/** One line per option: `  --flag  description (default x) [ENV_NAME]`, flags aligned. */
export function flagLines(
  described: Readonly<Record<string, { readonly description?: string | undefined }>>,
  defaults: Readonly<Record<string, unknown>>,
  env: (option: string) => string,
): string[] {
  const width = Math.max(...Object.keys(described).map((o) => flagName(o).length)) + 2;
  return Object.entries(described).map(([option, schema]) => {
    const value = defaults[option];
    const fallback = typeof value === "number" || typeof value === "string" || typeof value === "boolean" ? ` (default ${String(value)})` : "";
    const about = `${schema.description ?? ""}${fallback}`;
    return `  --${flagName(option).padEnd(width)}${about === "" ? "" : `${about} `}[${env(option)}]`;
  });
}
