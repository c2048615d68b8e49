// --max-failed-rows: how many failed rows (malformed or rejected by the model) a shard tolerates.
// A whole number is a count; a number strictly between 0 and 1 a ratio of the rows seen.

export type FailureBudget =
  | { readonly kind: "unlimited" }
  | { readonly kind: "count"; readonly max: number }
  | { readonly kind: "ratio"; readonly max: number };

export const UNLIMITED: FailureBudget = { kind: "unlimited" };

/** Parses the flag's text; undefined when it is neither a whole number nor a ratio in (0, 1). */
export function parseFailureBudget(text: string): FailureBudget | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { kind: "count", max: Number(trimmed) };
  if (/^0?\.\d+$/.test(trimmed)) {
    const ratio = Number(trimmed);
    if (ratio > 0 && ratio < 1) return { kind: "ratio", max: ratio };
  }
  return undefined;
}

/** The verdict on `failed` of `seen` rows, with its reason when the budget is exceeded. */
export type BudgetVerdict = { readonly exceeded: false } | { readonly exceeded: true; readonly reason: string };

/**
 * Whether `failed` failed rows out of `seen` exceed the budget. A count is exceeded as soon as
 * failed > max (the run may stop early); a ratio only means something over the whole input, so
 * pass `final: true` at the end of the input, where failed / seen > max exceeds it.
 */
export function judgeFailures(budget: FailureBudget, failed: number, seen: number, final: boolean): BudgetVerdict {
  switch (budget.kind) {
    case "unlimited":
      return { exceeded: false };
    case "count":
      return failed > budget.max
        ? { exceeded: true, reason: `${failed} rows failed, more than --max-failed-rows ${budget.max}` }
        : { exceeded: false };
    case "ratio":
      return final && seen > 0 && failed / seen > budget.max
        ? { exceeded: true, reason: `${failed} of ${seen} rows failed (${(failed / seen).toFixed(4)}), more than --max-failed-rows ${budget.max}` }
        : { exceeded: false };
  }
}

/** The budget as the flag spells it, for the manifest and messages. */
export function describeBudget(budget: FailureBudget): string {
  return budget.kind === "unlimited" ? "unlimited" : String(budget.max);
}
