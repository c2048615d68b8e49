// The input formats of `mdo batch run` and how a file name tells them.

export const INPUT_FORMATS = ["jsonl", "csv"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** The format of a file from its extension (.jsonl, .ndjson, .csv), or undefined. */
export function formatOf(path: string): InputFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  return undefined;
}
