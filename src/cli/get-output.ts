// Where `mdo get` and `mdo list` write, and how: colour only on a TTY without NO_COLOR (or as
// --color says), text or JSON. Tests pass their own.

export type OutputFormat = "text" | "json";

export interface CliOutput {
  /** Writes `text` to standard output as is. */
  write(text: string): void;
  /** Writes a line to standard error. */
  error(line: string): void;
  /** Standard output is a terminal. */
  readonly isTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
}

export const processOutput: CliOutput = {
  write: (text) => { process.stdout.write(text); },
  error: (line) => { process.stderr.write(`${line}\n`); },
  get isTTY() { return process.stdout.isTTY === true; },
  env: process.env,
};

/** A command line that cannot be run as given; the commands answer it with exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** `auto` (the default): colour when standard output is a TTY and NO_COLOR is unset or empty. */
export function useColour(flag: string | undefined, output: CliOutput): boolean {
  if (flag === "always") return true;
  if (flag === "never") return false;
  if (flag !== undefined && flag !== "auto") throw new UsageError(`--color must be auto, always or never, got "${flag}"`);
  return output.isTTY && (output.env.NO_COLOR ?? "") === "";
}

export function outputFormat(flag: string | undefined): OutputFormat {
  if (flag === undefined || flag === "text") return "text";
  if (flag === "json") return "json";
  throw new UsageError(`-o must be text or json, got "${flag}"`);
}
