// How a target is judged on repeated measurements: each round gives one value (a difference or a
// ratio of two targets measured back to back), the median of the rounds is held against the
// limit, and the note says whether the rounds agreed or fell on both sides of it (noise larger
// than the margin), how busy the rest of the machine was, and whether any request failed.

export type Outcome = "PASS" | "FAIL" | "NOT MEASURED";

export interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly outcome: Outcome;
  /** What to keep in mind when reading the outcome. */
  readonly note: string;
  /** The median of the rounds, in the target's unit; null when not measured. */
  readonly value: number | null;
  /** The most the value may be. */
  readonly limit: number;
}

export interface Rounds {
  /** One value per round, in the order the rounds ran. */
  readonly values: readonly number[];
  /** Failed requests in the runs compared: any failure FAILs the target. */
  readonly errors: number;
  /** The most cores other processes used during any of the runs compared. */
  readonly otherCores: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of `rounds.values` must be at most `limit`; `format` prints a value with its unit. */
export function atMost(target: string, rounds: Rounds, limit: number, format: (value: number) => string): Verdict {
  const { values, errors, otherCores } = rounds;
  if (values.length === 0) return { target, measured: "–", outcome: "NOT MEASURED", note: "", value: null, limit };
  const value = median(values);
  const measured = values.length === 1 ? format(value) : `${format(value)} (rounds ${values.map(format).join(", ")})`;
  const busy = `other processes used up to ${otherCores.toFixed(2)} cores during these runs`;
  if (errors > 0) return { target, measured, outcome: "FAIL", note: `${errors} requests failed; ${busy}`, value, limit };
  const agreed = values.every((v) => v <= limit) ? "every round within the limit"
    : values.every((v) => v > limit) ? "every round over the limit"
    : "rounds on both sides of the limit: the median decides";
  return { target, measured, outcome: value <= limit ? "PASS" : "FAIL", note: values.length === 1 ? busy : `${agreed}; ${busy}`, value, limit };
}
