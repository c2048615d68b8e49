/**
 * True when every field set in `desired` has the same value in `actual` (which may hold more:
 * defaults, other managers' fields, status). Arrays must have the same length and match element
 * by element. Maps at the dotted paths in `atomic` (atomic maps in the API, such as a Service's
 * spec.selector) must have exactly the same keys: server-side apply replaces them whole, so a key
 * the desired state dropped is a change. This decides whether a server-side apply would change
 * anything, so an unchanged desired state costs no API write.
 */
export function contains(actual: unknown, desired: unknown, atomic: ReadonlySet<string> = NO_PATHS, path = ""): boolean {
  if (desired === undefined) return true;
  if (desired === null || typeof desired !== "object") return sameScalar(actual, desired);
  if (Array.isArray(desired)) {
    return Array.isArray(actual) && actual.length === desired.length && desired.every((d, i) => contains(actual[i], d, atomic, path));
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
  const a = actual as Record<string, unknown>;
  const d = desired as Record<string, unknown>;
  if (atomic.has(path) && Object.keys(a).some((k) => !(k in d))) return false;
  return Object.entries(d).every(([k, v]) => contains(a[k], v, atomic, path === "" ? k : `${path}.${k}`));
}

const NO_PATHS: ReadonlySet<string> = new Set();

/** Scalars compare by value; an int-or-string field may come back as the other type. */
function sameScalar(actual: unknown, desired: unknown): boolean {
  if (actual === desired) return true;
  if ((typeof actual === "number" || typeof actual === "string") && (typeof desired === "number" || typeof desired === "string")) {
    return String(actual) === String(desired);
  }
  return false;
}
