// Resource quantities in the canonical form the API server stores them in, so a desired object
// compares equal to the one read back ("1.5" comes back as "1500m", "1024Mi" as "1Gi") and an
// unchanged spec costs no API write.

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18,
};
const BINARY_SUFFIXES = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"] as const;
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const PARTS = /^([0-9]*)(?:\.([0-9]*))?(?:([KMGTPE]i)|([numkMGTPE])|[eE]([+-]?[0-9]+))?$/;
/** The API server rounds values up to this decimal exponent (nano). */
const MIN_EXPONENT = -9;

type Format = "BinarySI" | "DecimalSI" | "DecimalExponent";

/** value = mantissa × 10^exponent */
interface Decimal {
  mantissa: bigint;
  exponent: number;
}

function parse(text: string): { value: Decimal; format: Format } | undefined {
  const parts = PARTS.exec(text);
  if (parts === null) return undefined;
  const [, whole = "", fraction = "", binary, decimal, exponent] = parts;
  if (whole === "" && fraction === "") return undefined;
  let mantissa = BigInt(`${whole}${fraction}` || "0");
  let scale = -fraction.length;
  let format: Format = "DecimalSI";
  if (binary !== undefined) {
    mantissa *= 1024n ** BigInt(BINARY_SUFFIXES.indexOf(binary as (typeof BINARY_SUFFIXES)[number]));
    format = "BinarySI";
  } else if (exponent !== undefined) {
    scale += Number(exponent);
    format = "DecimalExponent";
  } else {
    scale += DECIMAL_SUFFIXES[decimal ?? ""] ?? 0;
  }
  if (scale < MIN_EXPONENT) {
    const divisor = 10n ** BigInt(MIN_EXPONENT - scale);
    mantissa = (mantissa + divisor - 1n) / divisor; // round up, as the API server does
    scale = MIN_EXPONENT;
  }
  return { value: { mantissa, exponent: scale }, format };
}

function integerValue({ mantissa, exponent }: Decimal): bigint | undefined {
  if (exponent >= 0) return mantissa * 10n ** BigInt(exponent);
  const divisor = 10n ** BigInt(-exponent);
  return mantissa % divisor === 0n ? mantissa / divisor : undefined;
}

function formatBinary(value: bigint): string {
  let amount = value;
  let power = 0;
  while (power < BINARY_SUFFIXES.length - 1 && amount % 1024n === 0n) {
    amount /= 1024n;
    power += 1;
  }
  return `${amount}${BINARY_SUFFIXES[power]}`;
}

function formatDecimal({ mantissa, exponent }: Decimal, format: Format): string {
  let amount = mantissa;
  let power = exponent;
  while (amount % 10n === 0n) {
    amount /= 10n;
    power += 1;
  }
  const down = ((power % 3) + 3) % 3; // make the exponent a multiple of 3
  amount *= 10n ** BigInt(down);
  power -= down;
  if (format === "DecimalExponent") return power === 0 ? `${amount}` : `${amount}e${power}`;
  if (power > 18) {
    amount *= 10n ** BigInt(power - 18);
    power = 18;
  }
  return `${amount}${DECIMAL_BY_EXPONENT.get(power) ?? ""}`;
}

/**
 * The API server's canonical text of a quantity (resource.Quantity.String()): the format of the
 * input kept (binary, decimal or exponent), the largest suffix without fractional digits,
 * binary values under 1024 or with fractions shown in decimal. Text it cannot parse is returned
 * unchanged (the API server reports it).
 */
export function canonicalQuantity(quantity: string | number): string {
  const text = String(quantity);
  const parsed = parse(text);
  if (parsed === undefined) return text;
  const { value, format } = parsed;
  if (value.mantissa === 0n) return "0";
  if (format === "BinarySI") {
    const integer = integerValue(value);
    if (integer !== undefined && integer >= 1024n) return formatBinary(integer);
    return formatDecimal(value, "DecimalSI");
  }
  return formatDecimal(value, format);
}
