// Inline SVG charts: drift histograms (baseline vs live, one scale) and an analysis check's values
// per interval against its threshold.
import { num, s } from "./dom.js";

/** Shares of a list of counts (sum 1; all zeros stay zeros). */
export function shares(counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total === 0 ? 0 : c / total));
}

/**
 * One histogram: a bar per bin, heights as shares of `top` (the larger side's biggest share, so the
 * baseline and live charts of a feature share a scale). Bars carry data-share (and data-count).
 */
export function histogram(title, bins, values, top, kind, counts) {
  const W = 280, H = 120, pad = 18;
  const bw = (W - 2) / bins.length;
  const svg = s("svg", { viewBox: `0 0 ${W} ${H + pad}`, width: W, height: H + pad, class: `histogram ${kind}`, role: "img", "aria-label": title });
  svg.append(s("title", {}, title));
  values.forEach((share, i) => {
    const height = top === 0 ? 0 : (share / top) * (H - 4);
    const bar = s("rect", {
      class: `bar ${kind}`, x: 1 + i * bw + 1, y: H - height, width: Math.max(bw - 2, 1), height,
      "data-bin": i, "data-share": share, "data-count": counts?.[i],
    }, s("title", {}, `${bins[i]}: ${(share * 100).toFixed(1)}%${counts === undefined ? "" : ` (${counts[i]} rows)`}`));
    svg.append(bar);
  });
  svg.append(s("line", { x1: 0, x2: W, y1: H, y2: H, class: "axis" }));
  svg.append(s("text", { x: 2, y: H + 13, class: "tick" }, bins[0] ?? ""));
  if (bins.length > 1) svg.append(s("text", { x: W - 2, y: H + 13, class: "tick", "text-anchor": "end" }, bins.at(-1)));
  return svg;
}

/**
 * An analysis check over intervals: a point per interval with a value (coloured by verdict), the
 * threshold as a dashed line. `threshold` is { min?, max? }.
 */
export function analysisChart(name, intervals, threshold) {
  const W = 560, H = 150, left = 48, bottom = 22, top = 8;
  const points = intervals.map((iv, i) => ({ i, iv, check: iv.checks.find((c) => c.name === name) })).filter((p) => p.check !== undefined);
  const bounds = [threshold?.min, threshold?.max].filter((x) => x !== undefined);
  const values = points.map((p) => p.check.value).filter((v) => v !== undefined).concat(bounds);
  let lo = Math.min(...values), hi = Math.max(...values);
  if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
  if (hi === lo) { lo -= Math.abs(lo) * 0.1 || 1; hi += Math.abs(hi) * 0.1 || 1; }
  const span = hi - lo;
  lo -= span * 0.08; hi += span * 0.08;
  const x = (i) => left + (intervals.length <= 1 ? (W - left) / 2 : ((W - left - 12) * i) / (intervals.length - 1) + 6);
  const y = (v) => top + (H - top - bottom) * (1 - (v - lo) / (hi - lo));
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: "analysis", "data-check": name, role: "img", "aria-label": `${name} per interval` });
  svg.append(s("line", { x1: left, x2: left, y1: top, y2: H - bottom, class: "axis" }));
  svg.append(s("line", { x1: left, x2: W, y1: H - bottom, y2: H - bottom, class: "axis" }));
  for (const v of [lo + (hi - lo) * 0.08, hi - (hi - lo) * 0.08]) svg.append(s("text", { x: left - 4, y: y(v) + 4, class: "tick", "text-anchor": "end" }, num(v)));
  for (const [side, v] of Object.entries(threshold ?? {})) {
    svg.append(s("line", { x1: left, x2: W, y1: y(v), y2: y(v), class: `threshold ${side}`, "data-value": v },
      s("title", {}, `${side === "min" ? "fails below" : "fails above"} ${num(v)}`)));
  }
  const valued = points.filter((p) => p.check.value !== undefined);
  if (valued.length > 1) svg.append(s("polyline", { class: "trend", points: valued.map((p) => `${x(p.i)},${y(p.check.value)}`).join(" ") }));
  for (const p of points) {
    const label = `${p.iv.evaluatedAt} step ${p.iv.step} (${p.iv.weight}%): ${p.check.status} — ${p.check.message}`;
    const cy = p.check.value === undefined ? H - bottom - 4 : y(p.check.value);
    svg.append(s("circle", { class: `point ${p.check.status}`, cx: x(p.i), cy, r: 4.5, "data-value": p.check.value, "data-status": p.check.status }, s("title", {}, label)));
  }
  intervals.forEach((iv, i) => {
    const prev = intervals[i - 1];
    const anchor = intervals.length > 1 && i === intervals.length - 1 ? "end" : i === 0 && intervals.length > 1 ? "start" : "middle";
    if (prev === undefined || prev.step !== iv.step) svg.append(s("text", { x: x(i), y: H - 6, class: "tick", "text-anchor": anchor }, `step ${iv.step} · ${iv.weight}%`));
  });
  return svg;
}
