// Where `mdo batch run` reads and writes: a local path, or an s3:// URI. An input URI ending in
// "/" is a prefix (every object under it); any other names one object. An output URI is always
// a prefix. gs:// is recognised only to be refused until it is tested against a real store.
import { join } from "node:path";
import { BatchConfigError } from "./errors.ts";

export type BatchLocation =
  | { readonly kind: "local"; readonly path: string }
  /** `key` is the object's key, or the prefix ("" or ending in "/") when `prefix` is true. */
  | { readonly kind: "s3"; readonly bucket: string; readonly key: string; readonly prefix: boolean };

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Parses `--input` or `--output` (`role` names the flag in messages). Throws BatchConfigError. */
export function parseBatchLocation(text: string, role: "input" | "output"): BatchLocation {
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: "local", path: text };
  if (scheme === "gs") throw new BatchConfigError(`--${role} ${text}: gs:// is not supported yet by mdo batch run; use s3:// or a local path`);
  if (scheme !== "s3") throw new BatchConfigError(`--${role} ${text}: unsupported scheme ${scheme}://; use s3://bucket/key or a local path`);
  const rest = text.slice("s3://".length);
  const slash = rest.indexOf("/");
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? "" : rest.slice(slash + 1);
  if (!BUCKET.test(bucket)) throw new BatchConfigError(`--${role} ${text}: "${bucket}" is not a valid S3 bucket name`);
  if (key.startsWith("/") || key.includes("//")) throw new BatchConfigError(`--${role} ${text}: the key has an empty path segment`);
  if (role === "output") return { kind: "s3", bucket, key: key === "" || key.endsWith("/") ? key : `${key}/`, prefix: true };
  return { kind: "s3", bucket, key, prefix: key === "" || key.endsWith("/") };
}

/** The URI (or path) of `name` under an output location. */
export function locationOf(location: BatchLocation, name: string): string {
  return location.kind === "local" ? join(location.path, name) : `s3://${location.bucket}/${location.key}${name}`;
}
