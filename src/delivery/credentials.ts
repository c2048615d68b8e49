// The storage Secret as files: the pod mounts spec.model.storageSecretRef read-only at a directory
// (one file per key, as Kubernetes writes Secret volumes) and the fetcher reads keys from there.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { StorageCredentials } from "./store.ts";

/** No Secret: every key is absent. */
export const NO_CREDENTIALS: StorageCredentials = { get: () => undefined };

/**
 * Reads every key of the Secret mounted at `dir` (Kubernetes' `..data` bookkeeping entries are
 * skipped). Values keep their bytes as UTF-8 text; keys are case-sensitive.
 */
export async function loadCredentials(dir: string, secretName: string): Promise<StorageCredentials> {
  const values = new Map<string, string>();
  for (const name of await readdir(dir)) {
    if (name.startsWith("..")) continue;
    values.set(name, await readFile(join(dir, name), "utf8"));
  }
  return credentialsOf(secretName, values);
}

/** Credentials from a map (tests, and `mdo digest` with --credentials-dir). */
export function credentialsOf(secretName: string, values: ReadonlyMap<string, string>): StorageCredentials {
  return { secretName, get: (key) => values.get(key) };
}

/** "with Secret <name>" or "anonymously", for access-denied messages. */
export function describeCredentials(credentials: StorageCredentials): string {
  return credentials.secretName === undefined ? "anonymously (no spec.model.storageSecretRef)" : `with Secret ${credentials.secretName}`;
}
