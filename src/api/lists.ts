// List semantics for server-side apply (x-kubernetes-list-type), with the uniqueness the API
// server enforces for them mirrored in zod.
import type { z } from "zod";

/**
 * Marks an array of objects as a map keyed by `key`: server-side apply merges items by key and the
 * API server rejects two items with the same key ("Duplicate value"). The key field must be
 * required in the item schema.
 */
export function listMap<S extends z.ZodType<Record<string, unknown>[]>>(schema: S, key: string): S {
  return schema
    .superRefine((items, ctx) => {
      const seen = new Set<unknown>();
      items.forEach((item, index) => {
        const value = item[key];
        if (seen.has(value)) {
          ctx.addIssue({
            code: "custom",
            message: `Duplicate value: ${key} ${JSON.stringify(value)} appears more than once`,
            path: [index],
            input: item,
          });
        }
        seen.add(value);
      });
    })
    .meta({ "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": [key] });
}

/** Marks an array of scalars as a set: the API server rejects duplicates ("Duplicate value"). */
export function listSet<S extends z.ZodType<(string | number)[]>>(schema: S): S {
  return schema
    .superRefine((items, ctx) => {
      items.forEach((item, index) => {
        if (items.indexOf(item) !== index) {
          ctx.addIssue({
            code: "custom",
            message: `Duplicate value: ${JSON.stringify(item)} appears more than once`,
            path: [index],
            input: item,
          });
        }
      });
    })
    .meta({ "x-kubernetes-list-type": "set" });
}

/** Marks an array as atomic: server-side apply replaces it as a whole. */
export function listAtomic<S extends z.ZodType<unknown[]>>(schema: S): S {
  return schema.meta({ "x-kubernetes-list-type": "atomic" });
}
