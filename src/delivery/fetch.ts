// `mdo fetch` as a function: a model URI → a verified model directory laid out for its runtime.
// The directory appears whole or not at all: everything happens in a staging directory next to
// `dest` (same file system) that is renamed to `dest` as the last step; leftovers of an earlier,
// interrupted run are removed first.
import { mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { checkDigest } from "./digest.ts";
import type { ModelDigest } from "./digest.ts";
import { downloadListing } from "./download.ts";
import { layOut } from "./layout/index.ts";
import type { LayoutRequest } from "./layout/kinds.ts";
import { formatBytes } from "./progress.ts";
import type { RetryPolicy, Sleep } from "./retry.ts";
import { withRetries } from "./retry.ts";
import type { ModelStore, StorageCredentials } from "./store.ts";
import { storeFor } from "./stores/index.ts";
import { parseModelUri } from "./uri.ts";

export interface FetchRequest {
  readonly uri: string;
  /** The model directory to create; its parent must exist (the model volume). */
  readonly dest: string;
  /** spec.model.digest: the fetch fails with ModelDigestMismatch unless the model has it. */
  readonly digest?: string;
  /** How to lay the files out for the runtime; none when undefined (e.g. `mdo digest`). */
  readonly layout?: LayoutRequest;
  readonly credentials: StorageCredentials;
  readonly signal: AbortSignal;
  readonly log: (message: string) => void;
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
  readonly sleep?: Sleep;
  readonly now?: () => number;
  /** Replaces the store chosen by the URI's scheme (tests). */
  readonly store?: ModelStore;
}

export interface FetchResult {
  readonly digest: ModelDigest;
  readonly files: number;
  readonly bytes: number;
}

const STAGING_PREFIX = ".mdo-fetch-";

/** Fetches, verifies and lays out the model. Throws DeliveryError (or the abort reason). */
export async function fetchModel(request: FetchRequest): Promise<FetchResult> {
  const { uri, dest, signal, log } = request;
  const now = request.now ?? Date.now;
  const started = now();
  const store = request.store ?? (await storeFor(parseModelUri(uri), request.credentials));
  const parent = dirname(dest);
  await removeLeftovers(parent);
  const staging = await mkdtemp(join(parent, STAGING_PREFIX));
  try {
    const listing = await withRetries(() => store.list(signal), {
      signal,
      ...(request.retry && { policy: request.retry }),
      ...(request.sleep && { sleep: request.sleep }),
      onRetry: (error, delayMs) => log(`Retrying the listing of ${uri} in ${delayMs} ms: ${error.message}`),
    });
    log(`Fetching ${uri}: ${listing.files.length} ${listing.files.length === 1 ? "file" : "files"}`);
    const downloaded = await downloadListing(listing, staging, {
      signal,
      log,
      ...(request.concurrency !== undefined && { concurrency: request.concurrency }),
      ...(request.retry && { retry: request.retry }),
      ...(request.sleep && { sleep: request.sleep }),
      ...(request.now && { now: request.now }),
      archiveDir: `${staging}.archives`,
    });
    checkDigest(uri, request.digest, downloaded.digest);
    if (request.digest !== undefined) log(`Verified digest ${downloaded.digest}`);
    if (request.layout !== undefined) {
      const result = await layOut(staging, request.layout);
      log(`Laid out for ${request.layout.layout}: ${describeLayout(result)}`);
    }
    await rm(dest, { recursive: true, force: true });
    await rename(staging, dest);
    const seconds = ((now() - started) / 1000).toFixed(1);
    const files = `${downloaded.files} ${downloaded.files === 1 ? "file" : "files"}`;
    log(`Fetched ${uri} into ${dest}: ${files}, ${formatBytes(downloaded.bytes)} in ${seconds} s, digest ${downloaded.digest}`);
    return downloaded;
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(`${staging}.archives`, { recursive: true, force: true });
  }
}

function describeLayout(result: Awaited<ReturnType<typeof layOut>>): string {
  if (result.kept !== undefined) return "kept the model's own layout";
  const parts = [...(result.wrote.length > 0 ? [`wrote ${result.wrote.join(", ")}`] : []), ...(result.moved.length > 0 ? [`moved ${result.moved.length} files`] : [])];
  return parts.length === 0 ? "nothing to change" : parts.join("; ");
}

/** Removes staging directories an interrupted run left in `parent`. */
async function removeLeftovers(parent: string): Promise<void> {
  for (const name of await readdir(parent)) {
    if (name.startsWith(STAGING_PREFIX)) await rm(join(parent, name), { recursive: true, force: true });
  }
}

/** The staging prefix, for tests that look for leftovers. */
export function isStagingName(path: string): boolean {
  return basename(path).startsWith(STAGING_PREFIX);
}
