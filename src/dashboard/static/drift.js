// The drift section: per feature, the baseline's and the live window's histograms side by side on
// one scale, with the test results status keeps.
import { histogram, shares } from "./charts.js";
import { h, num } from "./dom.js";

export function renderDrift(view) {
  if (view.error) return h("section", { id: "drift" }, h("h2", {}, "Drift"), h("p", { class: "error" }, view.error));
  const live = view.live;
  const summary = [
    view.evaluatedAt ? `Tested ${view.evaluatedAt} on ${view.statusWindow} rows of revision ${view.revision ?? "?"}` : "Not tested by the operator yet",
    live.reporting > 0 ? `live window: ${live.windowSamples} rows from ${live.reporting} of ${live.pods} pod(s)` : null,
  ].filter(Boolean).join(" · ");
  const features = view.features.map((f) => {
    const base = f.baseline;
    const liveShares = f.live ? shares(f.live) : undefined;
    const top = Math.max(...base, ...(liveShares ?? [0]));
    return h("div", { class: "feature", "data-feature": f.name },
      h("h3", {}, f.name, f.prediction ? " (prediction)" : "", h("span", { class: "stats" },
        ` PSI ${num(f.psi)} · p ${f.pValue === undefined ? "–" : f.pValue.toExponential(2)}`)),
      h("div", { class: "pair" },
        h("figure", {}, h("figcaption", {}, "baseline"), histogram(`${f.name}: baseline`, f.bins, base, top, "baseline")),
        h("figure", {}, h("figcaption", {}, f.live ? `live (${f.live.reduce((a, b) => a + b, 0)} rows)` : "live: no window"),
          liveShares ? histogram(`${f.name}: live`, f.bins, liveShares, top, "live", f.live) : h("p", { class: "empty" }, "No live counts."))));
  });
  return h("section", { id: "drift" }, h("h2", {}, "Drift"), h("p", {}, summary),
    [...view.notes, ...live.errors].map((n) => h("p", { class: "note" }, n)), features);
}
