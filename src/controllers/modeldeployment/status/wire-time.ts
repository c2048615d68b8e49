/**
 * Timestamps in Kubernetes objects. client-node's types say `Date`, but objects decoded with
 * plain JSON.parse (as the runtime's transport does) carry RFC 3339 strings; both are accepted.
 */

/** Milliseconds since the epoch of a timestamp field, or undefined when absent or unparsable. */
export function millisOf(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
