// JSON helpers for reading and comparing model answers. Contract: nothing here throws on any
// JSON value whose nesting is within MAX_DEPTH (parseModelAnswer rejects deeper bodies, which
// bounds every recursion below); parseJson never throws at all.

export type JsonObject = Record<string, unknown>;

/** Deepest nesting of arrays and objects read from an answer; deeper bodies are unrecognised. */
export const MAX_DEPTH = 32;

export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
export const own = (o: JsonObject, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

const SENTINEL = "\u0000mdo-non-finite:";
/** A JSON string (left as it is) or a bare non-finite literal (captured). Linear: the alternatives are disjoint. */
const NON_FINITE = /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g;

/**
 * Parses JSON text; undefined when it is not JSON. Also accepts the bare `NaN`, `Infinity` and
 * `-Infinity` that Python's json module writes for non-finite floats (many model servers do),
 * reading them as the numbers they stand for.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (!text.includes("NaN") && !text.includes("Infinity")) return undefined;
  }
  try {
    const quoted = text.replace(NON_FINITE, (match: string, word: string | undefined) => (word === undefined ? match : JSON.stringify(SENTINEL + word)));
    return JSON.parse(quoted, (_key, value: unknown) => {
      if (typeof value !== "string" || !value.startsWith(SENTINEL)) return value;
      const word = value.slice(SENTINEL.length);
      return word === "NaN" || word === "Infinity" || word === "-Infinity" ? Number(word) : value;
    }) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether arrays and objects in `value` nest at most `limit` deep (a scalar has depth 0). */
export function depthWithin(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (limit === 0) return false;
  const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
  for (const child of children) if (!depthWithin(child, limit - 1)) return false;
  return true;
}

/** The scalars of nested arrays in row-major order; undefined when an element is an object. */
export function flatten(data: readonly unknown[]): unknown[] | undefined {
  const out: unknown[] = [];
  const into = (items: readonly unknown[]): boolean => {
    for (const item of items) {
      if (Array.isArray(item)) {
        if (!into(item)) return false;
      } else if (isObject(item)) return false;
      else out.push(item);
    }
    return true;
  };
  return into(data) ? out : undefined;
}

/**
 * Deep equality of JSON values: arrays element by element, objects by key set and values (key
 * order ignored), scalars with `===` — so NaN equals nothing, not even NaN, and 0 equals -0.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === "number" || typeof b === "number") return a === b;
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
}

/** A short rendering of a value for reasons and messages. */
export function brief(value: unknown): string {
  if (value === undefined) return "missing";
  if (typeof value === "number") return String(value);
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
