// Formatting pieces of the text views: styles (ANSI only when asked), relative times, numbers,
// aligned columns. Pure.
import { styleText } from "node:util";

export type StyleName = "bold" | "dim" | "red" | "green" | "yellow" | "cyan" | "gray";

/** Applies a style when colour is on; the identity otherwise. */
export type Paint = (style: StyleName | readonly StyleName[], text: string) => string;

export function painter(colour: boolean): Paint {
  // validateStream false: the command decided (TTY, NO_COLOR); styleText must not second-guess it.
  return colour ? (style, text) => (text === "" ? text : styleText(style as Parameters<typeof styleText>[0], text, { validateStream: false })) : (_style, text) => text;
}

/**
 * A duration as kubectl prints ages: 45s, 3m12s under ten minutes, then 42m, 5h10m, 3d4h.
 * Negative durations print as 0s.
 */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
}

/** "12s ago" or "in 12s", relative to `now`. */
export function relative(time: string, now: Date): string {
  const delta = Date.parse(time) - now.getTime();
  return delta > 0 ? `in ${humanDuration(delta)}` : `${humanDuration(-delta)} ago`;
}

/** A number with at most 4 significant digits; tiny values (p-values) in exponent form. */
export function num(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  if (Math.abs(value) < 0.001) return value.toExponential(1);
  return String(Number(value.toPrecision(4)));
}

/** A check's value with its unit (latencyP99 is in milliseconds). */
export function checkValue(check: string, value: number): string {
  return check === "latencyP99" ? `${num(value)}ms` : num(value);
}

/** `sha256:0123456789ab` from a full digest (the algorithm and 12 hex digits). */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(":");
  return colon < 0 ? digest.slice(0, 12) : digest.slice(0, colon + 13);
}

export interface Cell {
  text: string;
  style?: StyleName | readonly StyleName[];
}

/**
 * Rows of cells padded to aligned columns (two spaces apart, the last column unpadded), each
 * cell styled after padding so escape codes never break the alignment. `indent` prefixes a row.
 */
export function columns(rows: readonly { indent: string; cells: readonly Cell[] }[], paint: Paint): string[] {
  const widths: number[] = [];
  for (const row of rows) row.cells.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.text.length); });
  return rows.map((row) => {
    const last = row.cells.length - 1;
    const cells = row.cells.map((c, i) => {
      const padded = i === last ? c.text : c.text.padEnd(widths[i] ?? 0);
      return c.style === undefined ? padded : paint(c.style, c.text) + padded.slice(c.text.length);
    });
    return (row.indent + cells.join("  ")).trimEnd();
  });
}
