// The benchmark's traffic: deterministic rows of 20 numeric features and the 1 KB v2 inference
// bodies that carry them (one [1, 20] FP64 tensor, padded to exactly BODY_BYTES). Every target
// gets the same bodies, so drift on and drift off differ only in the agent's configuration.

export const MODEL = "bench";
export const INFER_PATH = `/v2/models/${MODEL}/infer`;
export const READY_PATH = `/v2/models/${MODEL}/ready`;
export const FEATURES = 20;
export const BODY_BYTES = 1024;
export const FEATURE_NAMES: readonly string[] = Array.from({ length: FEATURES }, (_, j) => `f${j}`);

/** Deterministic uniform numbers in (0, 1) (xorshift32), so every run sends the same values. */
function uniform(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 2 ** 32;
  };
}

/** `count` rows; feature j is normal with mean j and standard deviation 1 + j / 10 (Box–Muller). */
export function featureRows(count: number, seed: number): number[][] {
  const next = uniform(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: FEATURES }, (_, j) => {
      const normal = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
      return Math.round((j + normal * (1 + j / 10)) * 1e6) / 1e6;
    }),
  );
}

/** A v2 inference request of exactly `bytes` bytes carrying `row` as one [1, n] tensor. */
export function inferBody(row: readonly number[], bytes = BODY_BYTES): Buffer {
  const body = (padding: string): string =>
    JSON.stringify({
      inputs: [{ name: "input-0", shape: [1, row.length], datatype: "FP64", data: row }],
      parameters: { padding },
    });
  const missing = bytes - Buffer.byteLength(body(""));
  if (missing < 0) throw new RangeError(`A row of ${row.length} features does not fit in ${bytes} bytes`);
  return Buffer.from(body("x".repeat(missing)));
}

/** `count` distinct request bodies drawn from the same distribution as the baseline. */
export function inferBodies(count: number, seed: number): Buffer[] {
  return featureRows(count, seed).map((row) => inferBody(row));
}

/** The stand-in model server's answer: a v2 inference response of exactly `bytes` bytes. */
export function inferResponse(bytes = BODY_BYTES): Buffer {
  const body = (padding: string): string =>
    JSON.stringify({
      model_name: MODEL,
      model_version: "1",
      outputs: [{ name: "predict", shape: [1, 1], datatype: "FP64", data: [0.5] }],
      parameters: { padding },
    });
  return Buffer.from(body("x".repeat(bytes - Buffer.byteLength(body("")))));
}
