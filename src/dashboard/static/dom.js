// Builds DOM and SVG nodes. Text is always set as text, never parsed as HTML.
const SVG_NS = "http://www.w3.org/2000/svg";

/** h("div", { class: "x" }, child, "text", …): an HTML element. */
export function h(tag, attrs = {}, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** s("rect", { x: 1 }): an SVG element. */
export function s(tag, attrs = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

function fill(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A number for people: at most 4 significant digits. */
export function num(x) {
  if (x === undefined || x === null) return "–";
  return Math.abs(x) >= 1000 ? Math.round(x).toString() : Number(x.toPrecision(4)).toString();
}
