// Values of benchmark flags: parsed, range-checked, with the flag named in the error. Shared by
// every bench/*/flags.ts.

/** An integer flag within [min, max]; `fallback` when absent. Throws RangeError. */
export function integerFlag(value: string | undefined, fallback: number, flag: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`--${flag} must be an integer from ${min} to ${max}, got ${value}`);
  return n;
}

/** A number flag in (0, max]; `fallback` when absent. Throws RangeError. */
export function positiveFlag(value: string | undefined, fallback: number, flag: string, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new RangeError(`--${flag} must be a number above 0 and at most ${max}, got ${value}`);
  return n;
}

/** --parts: a comma-separated subset of `all`, returned in `all`'s order; all of them when absent. Throws RangeError. */
export function partsFlag<P extends string>(value: string | undefined, all: readonly P[]): readonly P[] {
  if (value === undefined) return all;
  const named = value.split(",").map((p) => p.trim()).filter((p) => p !== "");
  const unknown = named.filter((p) => !(all as readonly string[]).includes(p));
  if (named.length === 0 || unknown.length > 0) throw new RangeError(`--parts takes ${all.join(", ")}; got ${value}`);
  return all.filter((p) => named.includes(p));
}
