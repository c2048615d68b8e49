// manifest-<shard>.json: what one run of a shard did, written last (atomically) whether the run
// succeeded or failed, so a reader of the output directory can tell complete parts from the rest.
import type { ShardDriftSummary } from "./drift-profile.ts";

export interface BatchManifest {
  readonly status: "succeeded" | "failed";
  /** Why the run failed; absent when it succeeded. */
  readonly error?: string;
  readonly shardIndex: number;
  readonly shardCount: number;
  /** Rows of this shard that were processed: rowsSucceeded + rowsFailed. */
  readonly rowsTotal: number;
  readonly rowsSucceeded: number;
  readonly rowsFailed: number;
  /** Inference batches sent (row-by-row retries of a rejected batch not counted). */
  readonly batches: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly input: string;
  /** The part file; absent when the run failed before completing it. */
  readonly output?: string;
  readonly errors?: string;
  readonly model: { readonly url: string; readonly name: string };
  readonly maxFailedRows: string;
  /** The shard's inputs against --drift-baseline, when given and the run got that far. */
  readonly drift?: ShardDriftSummary;
}

export function manifestJson(manifest: BatchManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
