// Canonical JSON and short content hashes: the same data always gives the same text and hash,
// whatever the key order it was built with.
import { createHash } from "node:crypto";

/** Length of hashes from shortHash: 36^10 ≈ 3.7e15 values. */
export const SHORT_HASH_LENGTH = 10;
const MODULUS = 36n ** BigInt(SHORT_HASH_LENGTH);

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonicalize(item)));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, canonicalize(v)]));
}

/**
 * JSON with object keys sorted (by UTF-16 code units) at every depth and undefined properties
 * dropped; array order is kept. `indent` pretty-prints for people; hashes use the compact form.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(canonicalize(value), null, indent);
}

/**
 * A 10-character lower-case base36 hash of `value`'s canonical JSON (SHA-256, first 64 bits
 * reduced modulo 36^10): a valid DNS label and label value, stable across processes.
 */
export function shortHash(value: unknown): string {
  const digest = createHash("sha256").update(canonicalJson(value)).digest();
  return (digest.readBigUInt64BE(0) % MODULUS).toString(36).padStart(SHORT_HASH_LENGTH, "0");
}
