// Prediction cache keys: equal for requests that must get the same prediction, different for
// anything the model server might answer differently.
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import type { Route } from "./routes.ts";

/**
 * JSON text with object keys sorted at every depth and no whitespace, so `{"b":1,"a":2}` and
 * `{ "a": 2, "b": 1 }` canonicalise alike. Numbers go through IEEE doubles: texts naming the same
 * double (`1`, `1.0`, `1e0`) are equal, as they are to a model server that parses floats.
 */
export function cacheKeyJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + cacheKeyJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    out += `${i === 0 ? "" : ","}${JSON.stringify(key)}:${cacheKeyJson(record[key])}`;
  }
  return `${out}}`;
}

/**
 * The body as it enters the key: canonical JSON when it is valid UTF-8 JSON, else the raw bytes
 * (binary tensors, invalid UTF-8 — decoding that would map different bytes to one string). The
 * tag byte keeps the two domains apart.
 */
export function canonicalBody(body: Buffer): { tag: "j" | "r"; bytes: string | Buffer } {
  if (body.length > 0 && isUtf8(body)) {
    try {
      return { tag: "j", bytes: cacheKeyJson(JSON.parse(body.toString("utf8"))) };
    } catch {
      // Not JSON: keyed by its bytes.
    }
  }
  return { tag: "r", bytes: body };
}

export interface CacheKeyInput {
  /** Model and version the request addresses: from the path, else the agent's configured ones. */
  readonly model: string;
  readonly version: string;
  readonly route: Route;
  /** Request target as received (path and query), so parameters in the URL count. */
  readonly target: string;
  /** Request headers that change the answer's representation (content-type, accept…). */
  readonly vary: readonly (string | undefined)[];
  readonly body: Buffer;
}

/** sha256 over model, version, route, target, varying headers and the canonical body. */
export function predictionCacheKey(input: CacheKeyInput): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify([input.model, input.version, input.route, input.target, input.vary]));
  const { tag, bytes } = canonicalBody(input.body);
  hash.update(`\n${tag}`);
  hash.update(bytes);
  return hash.digest("base64url");
}
