// The prediction cache: an LRU bounded by entries and bytes, entries expire after a TTL, and
// identical requests in flight share one upstream call.
import { LRUCache } from "lru-cache";
import { SingleFlight } from "./singleflight.ts";

/** A complete upstream answer, as replayed to clients. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
}

/** What a load produced and whether it may be stored (200, not `no-store`…: the loader decides). */
export interface Loaded {
  readonly response: StoredResponse;
  readonly storable: boolean;
}

/** `hit`: served from the cache; `shared`: joined an identical call in flight; `miss`: called upstream. */
export type CacheOutcome = "hit" | "shared" | "miss";

export interface PredictionCacheOptions {
  readonly maxEntries: number;
  readonly ttlMs: number;
  readonly maxBytes: number;
  /** Clock for TTLs (tests); performance.now by default. */
  readonly now?: () => number;
  /** Called once per entry pushed out by the entry or byte bound (not on expiry). */
  readonly onEvict?: () => void;
}

export const DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;
/** Fixed cost charged per entry on top of its bytes (key, object headers, LRU bookkeeping). */
const ENTRY_OVERHEAD = 256;

/** Bytes an entry is charged: body, header names and values, key and overhead. */
export function entrySize(key: string, response: StoredResponse): number {
  let size = ENTRY_OVERHEAD + key.length + response.body.length;
  for (const [name, value] of Object.entries(response.headers)) {
    size += name.length + (Array.isArray(value) ? value.join("").length : value.length);
  }
  return size;
}

export class PredictionCache {
  private readonly lru: LRUCache<string, StoredResponse>;
  private readonly flights = new SingleFlight<Loaded>();

  constructor(options: PredictionCacheOptions) {
    this.lru = new LRUCache<string, StoredResponse>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      // One large answer must not flush the cache: an entry may take at most an eighth of it.
      maxEntrySize: Math.max(1, Math.floor(options.maxBytes / 8)),
      sizeCalculation: (value, key) => entrySize(key, value),
      ttl: options.ttlMs,
      // Read the clock on every check (cheap) rather than caching it behind a timer.
      ttlResolution: 0,
      updateAgeOnGet: false,
      allowStale: false,
      ...(options.now !== undefined && { perf: { now: options.now } }),
      ...(options.onEvict !== undefined && {
        dispose: (_value, _key, reason) => {
          if (reason === "evict") options.onEvict?.();
        },
      }),
    });
  }

  /** The fresh entry for `key`, if any. */
  get(key: string): StoredResponse | undefined {
    return this.lru.get(key);
  }

  /**
   * Serves `key` from the cache, else from a call in flight for the same key, else runs `load`
   * and stores its response when `storable`. Errors of `load` reach every caller sharing it and
   * are never cached.
   */
  async getOrLoad(key: string, load: () => Promise<Loaded>): Promise<{ response: StoredResponse; outcome: CacheOutcome }> {
    const cached = this.lru.get(key);
    if (cached !== undefined) return { response: cached, outcome: "hit" };
    const { promise, shared } = this.flights.run(key, async () => {
      const loaded = await load();
      if (loaded.storable) this.lru.set(key, loaded.response);
      return loaded;
    });
    const loaded = await promise;
    return { response: loaded.response, outcome: shared ? "shared" : "miss" };
  }

  /** Entries stored now (expired ones may count until touched). */
  get entries(): number {
    return this.lru.size;
  }

  /** Bytes charged to stored entries. */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  /** Calls to the model server running on behalf of the cache. */
  get loading(): number {
    return this.flights.size;
  }
}
