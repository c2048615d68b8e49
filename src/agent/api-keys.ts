// The set of accepted API keys, compared in constant time. Only sha256 digests are kept, so
// every comparison is between equal-length buffers and the keys' lengths leak nothing.
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (key: string): Buffer => createHash("sha256").update(key, "utf8").digest();

/** Keys in a key file: one per line, surrounding whitespace ignored, blank lines skipped. */
export function parseApiKeys(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
}

export class ApiKeys {
  private digests: readonly Buffer[] = [];

  constructor(keys: readonly string[] = []) {
    this.replace(keys);
  }

  /** Swaps in a new key set atomically (a rotation); an empty set rejects every request. */
  replace(keys: readonly string[]): void {
    this.digests = keys.map(digest);
  }

  get count(): number {
    return this.digests.length;
  }

  /** Whether `presented` is one of the keys. Compares against every key, whatever matches. */
  verify(presented: string): boolean {
    if (presented === "") return false;
    const candidate = digest(presented);
    let accepted = false;
    for (const known of this.digests) {
      // Evaluate the comparison first: no short-circuit once a key matched.
      accepted = timingSafeEqual(known, candidate) || accepted;
    }
    return accepted;
  }
}
