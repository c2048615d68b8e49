// Durations in Go syntax ("30s", "1m", "1h30m", "500ms"): schema, CEL twin and a parser.
import { z } from "zod";
import { celString, withRules } from "./rules.ts";

/** One or more <number><unit> terms, units ms, s, m and h: a subset of Go's time.ParseDuration. */
export const DURATION = /^([0-9]+([.][0-9]+)?(ms|s|m|h))+$/;

const TERM = /([0-9]+(?:[.][0-9]+)?)(ms|s|m|h)/g;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds in a duration string, or undefined when it does not match DURATION. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount = "0", unit = "s"] of text.matchAll(TERM)) {
    total += Number(amount) * (UNIT_MS[unit] ?? 0);
  }
  return total;
}

/** Bounds of a duration field, inclusive, in duration syntax. */
export interface DurationBounds {
  min: string;
  max: string;
}

function boundsHold(text: string, { min, max }: DurationBounds): boolean {
  const value = parseDuration(text);
  if (value === undefined) return true; // the pattern reports it
  return value >= (parseDuration(min) ?? 0) && value <= (parseDuration(max) ?? Infinity);
}

function celBounds(self: string, { min, max }: DurationBounds): string {
  return `duration(${self}) >= duration(${celString(min)}) && duration(${self}) <= duration(${celString(max)})`;
}

/** A duration string within bounds, checked at admission (CEL) and at runtime (zod). */
export function duration(description: string, bounds: DurationBounds) {
  const schema = z.string().min(2).max(32).regex(DURATION).describe(description);
  return withRules(schema, [
    {
      cel: `!self.matches(${celString(DURATION.source)}) || (${celBounds("self", bounds)})`,
      holds: (self) => boundsHold(self, bounds),
      message: `must be a duration between ${bounds.min} and ${bounds.max}`,
    },
  ]);
}

/**
 * Like `duration`, but the empty string is also accepted; callers give it a meaning (for a canary
 * pause: wait until a person promotes).
 */
export function optionalDuration(description: string, bounds: DurationBounds) {
  const schema = z
    .string()
    .max(32)
    .regex(new RegExp(`^$|${DURATION.source}`))
    .describe(description);
  return withRules(schema, [
    {
      cel: `self == '' || !self.matches(${celString(DURATION.source)}) || (${celBounds("self", bounds)})`,
      holds: (self) => self === "" || boundsHold(self, bounds),
      message: `must be empty or a duration between ${bounds.min} and ${bounds.max}`,
    },
  ]);
}
