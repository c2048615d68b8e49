// Resource quantities ("500m", "2Gi", 1): schema, CEL twin and a parser for comparisons.
import { z } from "zod";
import { celString, withRules } from "./rules.ts";

/** The API server's quantity syntax, without a sign: quantities in this API are never negative. */
export const QUANTITY =
  /^(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

const QUANTITY_PARTS =
  /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:([KMGTPE]i|[numkMGTPE])|[eE]([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)))?$/;

const MULTIPLIERS: Readonly<Record<string, number>> = {
  "": 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * The numeric value of a quantity, or undefined when `value` is not one. Precision is that of a
 * double, which is enough to compare the quantities users write; it is not for arithmetic.
 */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  const parts = QUANTITY_PARTS.exec(value);
  if (parts === null) return undefined;
  const [, mantissa = "", suffix = "", exponent] = parts;
  const scale = exponent === undefined ? (MULTIPLIERS[suffix] ?? 1) : 10 ** Number(exponent);
  return Number(mantissa) * scale;
}

/** Compares two quantities like CEL's `quantity(a).compareTo(quantity(b))`; undefined if either is invalid. */
export function compareQuantities(a: string | number, b: string | number): number | undefined {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) return undefined;
  return Math.sign(x - y);
}

/** CEL that reads an int-or-string field as a quantity. */
export function celQuantity(expression: string): string {
  return `quantity(string(${expression}))`;
}

/** CEL that is true when an int-or-string field holds a valid quantity. */
export function celIsQuantity(expression: string): string {
  return `isQuantity(string(${expression}))`;
}

/**
 * A quantity field: users may write an integer (2) or a string ("500m", "1Gi"), as in Pod
 * resources. The CRD renders it as x-kubernetes-int-or-string with the quantity pattern.
 */
export function quantity(description: string) {
  return z
    .union([z.int().min(0), z.string().min(1).max(64).regex(QUANTITY)])
    .meta({ "x-kubernetes-int-or-string": true })
    .describe(description);
}

/** A quantity field that must lie within [min, max], checked at admission and at runtime. */
export function boundedQuantity(description: string, min: string, max: string) {
  return withRules(quantity(description), [
    {
      cel:
        `!${celIsQuantity("self")} || (${celQuantity("self")}.compareTo(quantity(${celString(min)})) >= 0 && ` +
        `${celQuantity("self")}.compareTo(quantity(${celString(max)})) <= 0)`,
      holds: (self) =>
        (compareQuantities(self, min) ?? 0) >= 0 && (compareQuantities(self, max) ?? 0) <= 0,
      message: `must be a quantity between ${min} and ${max}`,
    },
  ]);
}
