// The table of `mdo list`: one row per ModelDeployment, kubectl-style columns. Pure; ages count
// from the list view's observedAt.
import { columns, humanDuration, painter, type Cell, type StyleName } from "./format.ts";
import type { ModelDeploymentListView } from "./schema.ts";

const PHASE_STYLE: Record<string, StyleName> = { Ready: "green", Progressing: "cyan", Degraded: "red", Failed: "red", Suspended: "gray" };

/** The table, with a NAMESPACE column when `allNamespaces`; "No ModelDeployments found…" when empty. */
export function renderListText(view: ModelDeploymentListView, options: { colour: boolean; allNamespaces: boolean; namespace?: string }): string[] {
  if (view.items.length === 0) {
    return [options.allNamespaces || options.namespace === undefined ? "No ModelDeployments found." : `No ModelDeployments found in namespace ${options.namespace}.`];
  }
  const paint = painter(options.colour);
  const now = Date.parse(view.observedAt);
  const header = ["NAMESPACE", "NAME", "PHASE", "STABLE", "CANARY", "READY", "DRIFT", "AGE"].filter((h) => h !== "NAMESPACE" || options.allNamespaces);
  const rows = view.items.map((item) => {
    const stable = item.stable === undefined ? "-" : `${item.stable.modelVersion ?? item.stable.revision}`;
    const canary = item.canary === undefined ? "-" : `${item.canary.modelVersion ?? item.canary.revision} step ${item.canary.step + 1} ${item.canary.weight}%`;
    const cells: Cell[] = [
      ...(options.allNamespaces ? [{ text: item.namespace }] : []),
      { text: item.name, style: "bold" },
      { text: item.phase ?? "Unknown", style: PHASE_STYLE[item.phase ?? ""] ?? "yellow" },
      { text: stable },
      { text: canary, style: item.canary === undefined ? undefined : "yellow" },
      { text: `${item.replicas.ready}/${item.replicas.desired}` },
      { text: item.drift === undefined ? "-" : item.drift ? "Drifting" : "No", style: item.drift === true ? "red" : undefined },
      { text: item.createdAt === undefined ? "-" : humanDuration(now - Date.parse(item.createdAt)) },
    ];
    return { indent: "", cells };
  });
  return columns([{ indent: "", cells: header.map((text) => ({ text })) }, ...rows], paint);
}
