import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PredictionCache, entrySize, type Loaded, type StoredResponse } from "../../../src/agent/cache.ts";

const response = (text: string, status = 200): StoredResponse => ({ status, headers: { "content-type": "application/json" }, body: Buffer.from(text) });
const loaded = (text: string, storable = true): Loaded => ({ response: response(text), storable });
/** A loader that answers at once. */
const loads = (value: Loaded) => (): Promise<Loaded> => Promise.resolve(value);

function cacheWithClock(options: { maxEntries?: number; ttlMs?: number; maxBytes?: number } = {}) {
  let now = 1000;
  let evictions = 0;
  const cache = new PredictionCache({
    maxEntries: options.maxEntries ?? 100,
    ttlMs: options.ttlMs ?? 60_000,
    maxBytes: options.maxBytes ?? 1024 * 1024,
    now: () => now,
    onEvict: () => evictions++,
  });
  return { cache, advance: (ms: number) => (now += ms), evictions: () => evictions };
}

describe("PredictionCache", () => {
  it("misses, stores, then hits with the identical body", async () => {
    const { cache } = cacheWithClock();
    let calls = 0;
    const load = (): Promise<Loaded> => Promise.resolve(loaded(`answer ${++calls}`));
    const first = await cache.getOrLoad("k", load);
    const second = await cache.getOrLoad("k", load);
    assert.equal(first.outcome, "miss");
    assert.equal(second.outcome, "hit");
    assert.equal(calls, 1);
    assert.deepEqual(second.response.body, first.response.body);
  });

  it("expires entries after the TTL", async () => {
    const { cache, advance } = cacheWithClock({ ttlMs: 500 });
    await cache.getOrLoad("k", loads(loaded("a")));
    advance(499);
    assert.ok(cache.get("k"));
    advance(2);
    assert.equal(cache.get("k"), undefined);
    assert.equal((await cache.getOrLoad("k", loads(loaded("b")))).outcome, "miss");
  });

  it("never stores what the loader marks unstorable", async () => {
    const { cache } = cacheWithClock();
    await cache.getOrLoad("k", loads({ response: response("error", 500), storable: false }));
    assert.equal(cache.entries, 0);
    assert.equal((await cache.getOrLoad("k", loads(loaded("ok")))).outcome, "miss");
  });

  it("evicts least recently used entries past maxEntries", async () => {
    const { cache, evictions } = cacheWithClock({ maxEntries: 2 });
    await cache.getOrLoad("a", loads(loaded("1")));
    await cache.getOrLoad("b", loads(loaded("2")));
    cache.get("a");
    await cache.getOrLoad("c", loads(loaded("3")));
    assert.ok(cache.get("a"));
    assert.equal(cache.get("b"), undefined);
    assert.equal(evictions(), 1);
  });

  it("bounds the bytes of stored entries", async () => {
    const body = "x".repeat(1000);
    const size = entrySize("k0", response(body));
    const { cache, evictions } = cacheWithClock({ maxBytes: size * 8 });
    for (let i = 0; i < 20; i++) await cache.getOrLoad(`k${i}`, loads(loaded(body)));
    assert.ok(cache.bytes <= size * 8, `${cache.bytes} > ${size * 8}`);
    assert.ok(evictions() > 0);
  });

  it("does not store an entry larger than an eighth of maxBytes", async () => {
    const { cache } = cacheWithClock({ maxBytes: 8000 });
    await cache.getOrLoad("big", loads(loaded("x".repeat(2000))));
    assert.equal(cache.entries, 0);
  });

  it("shares one load among identical requests in flight", async () => {
    const { cache } = cacheWithClock();
    let loads = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const load = async (): Promise<Loaded> => {
      loads++;
      await gate;
      return loaded("shared");
    };
    const calls = [cache.getOrLoad("k", load), cache.getOrLoad("k", load), cache.getOrLoad("k", load)];
    assert.equal(cache.loading, 1);
    release();
    const results = await Promise.all(calls);
    assert.equal(loads, 1);
    assert.deepEqual(results.map((r) => r.outcome), ["miss", "shared", "shared"]);
    assert.equal(cache.loading, 0);
  });

  it("passes a failed load to every caller sharing it and remembers nothing", async () => {
    const { cache } = cacheWithClock();
    const failing = async (): Promise<Loaded> => {
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error("upstream down");
    };
    const calls = [cache.getOrLoad("k", failing), cache.getOrLoad("k", failing)];
    for (const call of calls) await assert.rejects(call, /upstream down/);
    assert.equal(cache.loading, 0);
    assert.equal((await cache.getOrLoad("k", loads(loaded("ok")))).outcome, "miss");
  });
});
