// PromQL rendering: selectors of a revision's agent series, and the placeholders of custom
// queries. Values are always escaped for a double-quoted PromQL string literal, so a value can
// never end the literal and inject PromQL. Pure.
import type { AnalysisTarget } from "../provider.ts";
import { AGENT_LABELS, TARGET_LABELS } from "./labels.ts";

/** `value` escaped for use inside "…" in PromQL (backslash, double quote, newline). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** An interval as a PromQL duration in whole seconds, at least 1s (60000 → "60s"). */
export function promDuration(intervalMs: number): string {
  return `${Math.max(1, Math.round(intervalMs / 1000))}s`;
}

/** The matchers of one revision's series: namespace, model (the ModelDeployment) and revision. */
export function revisionMatchers(target: Pick<AnalysisTarget, "namespace" | "name" | "revision">): string {
  return [
    `${TARGET_LABELS.namespace}="${escapeLabelValue(target.namespace)}"`,
    `${AGENT_LABELS.model}="${escapeLabelValue(target.name)}"`,
    `${AGENT_LABELS.revision}="${escapeLabelValue(target.revision)}"`,
  ].join(",");
}

/** The placeholders custom queries may use. */
export const PLACEHOLDERS = ["namespace", "name", "revision", "interval"] as const;

export type Rendered = { readonly ok: true; readonly query: string } | { readonly ok: false; readonly message: string };

/**
 * Replaces {{namespace}}, {{name}}, {{revision}} (escaped label values: use them inside "…")
 * and {{interval}} (a duration like 60s: use it inside […]). Whitespace inside the braces is
 * allowed. An unknown placeholder is an error, never left in the query.
 */
export function renderQuery(template: string, target: AnalysisTarget): Rendered {
  const values: Record<(typeof PLACEHOLDERS)[number], string> = {
    namespace: escapeLabelValue(target.namespace),
    name: escapeLabelValue(target.name),
    revision: escapeLabelValue(target.revision),
    interval: promDuration(target.intervalMs),
  };
  const unknown: string[] = [];
  const query = template.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (whole, key: string) => {
    if ((PLACEHOLDERS as readonly string[]).includes(key)) return values[key as (typeof PLACEHOLDERS)[number]];
    unknown.push(whole);
    return whole;
  });
  if (unknown.length > 0) {
    return { ok: false, message: `unknown placeholder ${unknown.join(", ")} (known: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")})` };
  }
  return { ok: true, query };
}
