// The model version shown to users, and its label-safe form.
import type { ModelDeployment } from "../../../api/index.ts";

const LABEL_VALUE_MAX = 63;
const UNKNOWN = "unknown";

/**
 * spec.model.version, else the last segment of the URI (split at "/", "@" and ":"), else
 * "unknown" when the URI has a single segment ("s3://bucket"). Same rule as status reporting.
 */
export function resolveModelVersion(md: ModelDeployment): string {
  const { version, uri } = md.spec.model;
  if (version !== undefined) return version;
  const segments = uri.replace(/^[a-z0-9]+:\/\//, "").split(/[/@:]/).filter(Boolean);
  return segments.length > 1 ? (segments.at(-1) ?? UNKNOWN) : UNKNOWN;
}

/**
 * `version` as a valid label value: characters outside [A-Za-z0-9_.-] become "-", at most 63
 * characters, starting and ending alphanumeric; "unknown" when nothing is left.
 */
export function toLabelValue(version: string): string {
  const cleaned = version
    .replace(/[^A-Za-z0-9_.-]/g, "-")
    .slice(0, LABEL_VALUE_MAX)
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/[^A-Za-z0-9]+$/, "");
  return cleaned === "" ? UNKNOWN : cleaned;
}
