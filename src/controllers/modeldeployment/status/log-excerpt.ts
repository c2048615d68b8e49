/**
 * The words worth showing from the log of a container that stopped without a termination
 * message (it exited 0, so FallbackToLogsOnError did not apply): its last error lines. MLServer,
 * for one, logs "Some of the models failed to load" and the exception, shuts down cleanly and
 * exits 0; the shutdown lines after the error say nothing. Pure.
 */

/** Key of a container's excerpt in Observation.crashLogs: `<pod>/<container>`. */
export function crashLogKey(pod: string, container: string): string {
  return `${pod}/${container}`;
}

/** A log line that states an error: a level word, or an exception line ("ValueError: …"). */
const ERROR_LINE = /\b(ERROR|FATAL|CRITICAL|PANIC)\b|^\s*(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception)\b:?/;

/**
 * Up to `maxLines` of the last error lines of `log` (in log order, repeats dropped), joined with
 * " | " and cut to `maxChars`; the last non-empty line when none is an error; undefined for an
 * empty log.
 */
export function errorExcerpt(log: string, maxLines = 2, maxChars = 400): string | undefined {
  const lines = log.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  if (lines.length === 0) return undefined;
  const errors = lines.filter((l) => ERROR_LINE.test(l));
  const picked = errors.length === 0 ? lines.slice(-1) : [...new Set(errors)].slice(-maxLines);
  const text = picked.join(" | ");
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
