// What the parent asks of a load generator process, and what the generator answers.
import { z } from "zod";
import type { LatencySummary } from "./latency.ts";

const common = {
  /** http://127.0.0.1:port of the target. */
  origin: z.url().startsWith("http://127.0.0.1:"),
  path: z.string().startsWith("/"),
  /** Connections of the generator's keep-alive pool. */
  connections: z.int().min(1).max(1024),
  /** Seconds of load before measuring starts; not recorded. */
  warmupS: z.number().min(0).max(60),
  /** Seconds measured. */
  durationS: z.number().positive().max(120),
};

export const LoadSpec = z.discriminatedUnion("mode", [
  /** Open loop: request i is sent at start + i / rate whatever happened to earlier ones. */
  z.strictObject({ mode: z.literal("open"), rate: z.number().positive().max(20_000), ...common }),
  /** Closed loop: `connections` callers, each sending its next request when the last one answered. */
  z.strictObject({ mode: z.literal("closed"), ...common }),
]);
export type LoadSpec = z.output<typeof LoadSpec>;

export interface LoadResult {
  /** Measured requests answered 200 with the full body. */
  readonly ok: number;
  /** Measured requests that failed (another status, a short body, a connection error). */
  readonly errors: number;
  readonly firstError: string | undefined;
  /** Answers per second over the measured window. */
  readonly achievedRps: number;
  /** Open loop: from each request's scheduled send time to its answer's end. Closed: from its send. */
  readonly latency: LatencySummary;
  /** Open loop only: how late the generator sent requests (timer lateness), in ms. */
  readonly sendLag: LatencySummary | undefined;
  /** CPU the generator itself used over the measured window, in cores (1 = one core busy). */
  readonly generatorCpuCores: number;
}

/** Lines the generator prints on stdout, as JSON. */
export type LoadEvent = { readonly event: "measuring" } | { readonly event: "done"; readonly result: LoadResult };
