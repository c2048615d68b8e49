// The text tree of `mdo get`: the view (schema.ts) in, lines out. Relative times count from
// view.observedAt, so the same view always renders the same lines. Pure.
import { checkValue, columns, num, painter, relative, shortDigest, type Cell, type Paint, type StyleName } from "./format.ts";
import type { CheckView, ModelDeploymentView, RevisionView } from "./schema.ts";

export interface TextOptions {
  /** ANSI colour (the command decides: a TTY and no NO_COLOR). */
  colour: boolean;
}

const PHASE_STYLE: Record<string, StyleName> = {
  Ready: "green", Progressing: "cyan", Pending: "yellow", Degraded: "red", Failed: "red", Suspended: "gray",
};
const ROLE_STYLE: Record<RevisionView["role"], StyleName> = { stable: "green", canary: "yellow", retiring: "gray", previous: "gray", old: "gray" };
const VERDICT: Record<CheckView["status"], Cell> = {
  pass: { text: "✔ pass", style: "green" }, fail: { text: "✖ fail", style: "red" }, noData: { text: "? noData", style: "yellow" },
};

export function renderText(view: ModelDeploymentView, options: TextOptions): string[] {
  const paint = painter(options.colour);
  const now = new Date(view.observedAt);
  const ago = (time: string | undefined): string => (time === undefined ? "" : relative(time, now));
  const heading = (text: string, rest = ""): string => `${paint("bold", text)}${rest === "" ? "" : `  ${rest}`}`;
  const lines: string[] = [];

  const phase = view.phase ?? "Unknown";
  const stale = view.observedGeneration !== undefined && view.observedGeneration < view.generation ? paint("yellow", "  (status is of an older generation)") : "";
  lines.push(...columns([
    { indent: "", cells: [{ text: "Name:" }, { text: `${view.namespace}/${view.name}`, style: "bold" }] },
    { indent: "", cells: [{ text: "Phase:" }, { text: phase, style: PHASE_STYLE[phase] ?? "yellow" }] },
    ...(view.url === undefined ? [] : [{ indent: "", cells: [{ text: "URL:" }, { text: view.url }] }]),
    { indent: "", cells: [{ text: "Replicas:" }, { text: `${view.replicas.ready}/${view.replicas.desired} ready` }] },
  ], paint).map((line, i) => (i === 1 ? line + stale : line)));

  lines.push("", heading("Revisions"));
  lines.push(...tree(columns(view.revisions.map((r) => ({ indent: "", cells: revisionCells(r) })), paint), paint));

  const r = view.rollout;
  const step = r.strategy === "Canary" && r.phase !== "Stable" ? (r.shadowing ? "shadow phase" : `step ${r.step + 1} of ${r.steps}, weight ${r.weight}%`) : "";
  lines.push("", heading("Rollout", [paint(r.phase === "RolledBack" ? "red" : r.phase === "Stable" ? "green" : "cyan", r.phase), r.strategy, step].filter(Boolean).join("  ")));
  const details: { indent: string; cells: Cell[] }[] = [];
  if (r.stepStartedAt !== undefined && r.phase !== "Stable") {
    details.push({ indent: "  ", cells: [{ text: "Step:" }, { text: `started ${ago(r.stepStartedAt)}${r.stepPause === undefined ? "" : `, pause ${r.stepPause}`}` }] });
  }
  if (r.gate.kind !== "none") {
    const until = r.gate.until === undefined ? "" : ` (${ago(r.gate.until)})`;
    details.push({ indent: "  ", cells: [{ text: "Waiting for:" }, { text: `${r.gate.detail}${until}`, style: r.gate.kind === "promotion" || r.gate.kind === "resume" ? "yellow" : "cyan" }] });
  }
  details.push({ indent: "  ", cells: [{ text: "Reason:" }, { text: `${r.reason}: ${r.message}` }] });
  if (r.analysis !== undefined) {
    const next = r.analysis.nextAt === undefined ? "" : `next ${ago(r.analysis.nextAt)}, `;
    const limit = r.analysis.failureLimit === undefined ? "" : ` (limit ${r.analysis.failureLimit})`;
    details.push({ indent: "  ", cells: [{ text: "Analysis:" }, { text: `${next}${r.analysis.failedIntervals} failed interval${r.analysis.failedIntervals === 1 ? "" : "s"}${limit}` }] });
  }
  lines.push(...columns(details, paint));

  if (view.analysis.intervals.length > 0) {
    lines.push("", heading("Analysis", paint("dim", "newest first")));
    view.analysis.intervals.forEach((interval, i) => {
      const last = i === view.analysis.intervals.length - 1;
      const verdict = VERDICT[interval.status];
      const revision = interval.revision === undefined ? "" : `  revision ${interval.revision}`;
      lines.push(`${last ? "└─" : "├─"} ${paint(verdict.style ?? "bold", verdict.text)}  ${ago(interval.evaluatedAt)}${revision}`);
      const rows = interval.checks.map((c) => ({ indent: "", cells: checkCells(c) }));
      lines.push(...tree(columns(rows, paint), paint).map((line) => `${last ? "   " : "│  "}${line}`));
    });
  }

  if (view.drift !== undefined) {
    const d = view.drift;
    const of = d.revision === undefined ? "" : `revision ${d.revision}, `;
    lines.push("", heading("Drift", `${of}${d.window} rows, max PSI ${num(d.maxPSI)}, ${ago(d.evaluatedAt)}`));
    const rows = d.features.map((f) => ({ indent: "  ", cells: [{ text: f.name }, { text: num(f.psi), style: f.psi > 0.25 ? "red" : undefined }, { text: f.pValue === undefined ? "-" : num(f.pValue) }] as Cell[] }));
    if (d.prediction !== undefined) rows.push({ indent: "  ", cells: [{ text: `${d.prediction.name} (prediction)` }, { text: num(d.prediction.psi) }, { text: d.prediction.pValue === undefined ? "-" : num(d.prediction.pValue) }] });
    if (rows.length > 0) lines.push(...columns([{ indent: "  ", cells: [{ text: "FEATURE", style: "dim" }, { text: "PSI", style: "dim" }, { text: "P-VALUE", style: "dim" }] }, ...rows], paint));
    if (d.driftedFeatures > d.features.length) lines.push(paint("dim", `  … ${d.driftedFeatures - d.features.length} more features`));
  }

  if (view.lastFailure !== undefined) {
    lines.push("", heading("Last failure", `${paint("red", view.lastFailure.reason)}  ${ago(view.lastFailure.time)}`), `  ${view.lastFailure.message}`);
  }

  if (view.conditions.length > 0) {
    lines.push("", heading("Conditions"));
    lines.push(...columns(view.conditions.map((c) => ({
      indent: "  ",
      cells: [{ text: c.type }, { text: c.status, style: conditionStyle(c.type, c.status) }, { text: c.reason }, { text: ago(c.lastTransitionTime) }],
    })), paint));
  }
  return lines;
}

function revisionCells(r: RevisionView): Cell[] {
  const traffic = r.traffic === undefined ? "" : `${r.traffic.desiredWeight}% traffic${r.traffic.measuredWeight === undefined ? "" : ` (${r.traffic.measuredWeight}% of ready pods)`}`;
  return [
    { text: r.role, style: ROLE_STYLE[r.role] },
    { text: r.revision, style: "bold" },
    { text: r.modelVersion ?? "-" },
    { text: r.digest === undefined ? "-" : shortDigest(r.digest) },
    { text: `${r.replicas.ready}/${r.replicas.desired} ready`, style: r.replicas.ready < r.replicas.desired ? "yellow" : undefined },
    { text: traffic },
  ];
}

function checkCells(c: CheckView): Cell[] {
  const bounds = [c.threshold.min === undefined ? "" : `min ${checkValue(c.name, c.threshold.min)}`, c.threshold.max === undefined ? "" : `max ${checkValue(c.name, c.threshold.max)}`].filter(Boolean).join(", ");
  const mark = c.status === "pass" ? { text: "✔", style: "green" as const } : c.status === "fail" ? { text: "✖", style: "red" as const } : { text: "?", style: "yellow" as const };
  return [mark, { text: c.name }, { text: c.value === undefined ? "-" : checkValue(c.name, c.value) }, { text: bounds === "" ? "" : `(${bounds})`, style: "dim" }, { text: c.reason }];
}

/** Ready, Available, Progressing True are good; Reconciling, Stalled, DataDrift True are not. */
function conditionStyle(type: string, status: string): StyleName {
  if (status === "Unknown") return "yellow";
  const good = ["Ready", "Available", "Progressing"].includes(type) ? "True" : "False";
  return status === good ? "green" : type === "Reconciling" ? "yellow" : "red";
}

/** Lines prefixed with tree branches: ├─ for all but the last, └─ for the last. */
function tree(lines: readonly string[], paint: Paint): string[] {
  return lines.map((line, i) => `${paint("dim", i === lines.length - 1 ? "└─" : "├─")} ${line}`);
}
