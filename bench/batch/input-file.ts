// The benchmark's inputs, JSON Lines of feature arrays (`[5.1,3.5,1.4,0.2]`), generated from a
// fixed seed so every run reads the same bytes. Iris: the 5 flowers of the model's expected.json
// first (their predictions are known), then each of them again with noise of ±0.3 cm per feature,
// one decimal. Wide: every feature drawn from 1024 normal values (4 decimals), rows written until
// the file reaches the size asked for.
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { mulberry32 } from "../../test/support/chaos-plan.ts";

/** Seeded uint32s: the chaos plan's mulberry32 (uniform in [0, 1), exactly k / 2^32) scaled back. */
export function seeded(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => uniform() * 2 ** 32;
}

export interface InputFile {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

async function close(out: WriteStream): Promise<void> {
  out.end();
  await once(out, "finish");
}

/** `rows` iris rows; row i < 5 is anchors[i] itself. */
export async function writeIrisInput(path: string, rows: number, anchors: readonly (readonly number[])[]): Promise<InputFile> {
  const next = seeded(0x1415);
  const out = createWriteStream(path);
  let bytes = 0;
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    const anchor = anchors[i % anchors.length]!;
    const row = i < anchors.length ? anchor : anchor.map((v) => Math.max(0.1, Math.round((v + ((next() % 61) - 30) / 100) * 10) / 10));
    chunk += `${JSON.stringify(row)}\n`;
    if (chunk.length >= 1 << 16) {
      bytes += chunk.length;
      await write(out, chunk);
      chunk = "";
    }
  }
  bytes += chunk.length;
  await write(out, chunk);
  await close(out);
  return { path, rows, bytes };
}

/** Wide rows of `features` numbers until the file holds at least `minBytes`; progress every few seconds. */
export async function writeWideInput(path: string, features: number, minBytes: number, progress: (message: string) => void): Promise<InputFile> {
  const next = seeded(0x2026);
  const values: string[] = [];
  for (let k = 0; k < 1024; k++) {
    // Box–Muller on two uniforms in (0, 1).
    const u = (next() + 1) / 2 ** 32;
    const v = (next() + 1) / 2 ** 32;
    values.push((Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)).toFixed(4));
  }
  const out = createWriteStream(path);
  const parts = new Array<string>(features);
  let bytes = 0;
  let rows = 0;
  let lastReport = performance.now();
  let chunk = "";
  while (bytes + chunk.length < minBytes) {
    for (let f = 0; f < features; f++) parts[f] = values[next() & 1023]!;
    chunk += `[${parts.join(",")}]\n`;
    rows++;
    if (chunk.length >= 1 << 20) {
      bytes += chunk.length;
      await write(out, chunk);
      chunk = "";
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        progress(`Memory input: ${(bytes / 2 ** 30).toFixed(2)} of ${(minBytes / 2 ** 30).toFixed(2)} GiB written (${rows} rows)`);
      }
    }
  }
  bytes += chunk.length;
  await write(out, chunk);
  await close(out);
  return { path, rows, bytes };
}
