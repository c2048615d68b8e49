// The command line of every benchmark: its options, or the exit code when there is nothing to run.

/**
 * `parse(argv)`'s options; or, printed, the usage for --help (exit 0: `parse` returned undefined)
 * or the error and the usage for bad flags (exit 2: `parse` threw).
 */
export function benchOptions<T>(parse: (argv: readonly string[]) => T | undefined, argv: readonly string[], usage: string): { options: T } | { exit: number } {
  let options: T | undefined;
  try {
    options = parse(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return { exit: 2 };
  }
  if (options === undefined) {
    console.log(usage);
    return { exit: 0 };
  }
  return { options };
}

/** Ends the benchmark with `run`'s exit code (unless one was set already, e.g. by a signal), or 1 with the stack when it throws. */
export function exitWith(run: Promise<number>): void {
  run.then(
    (code) => {
      process.exitCode ??= code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode ??= 1;
    },
  );
}
