// The informer supervisor against a scripted list+watch source, with injected delays: it lists,
// watches from the list's resourceVersion, resumes from the last one seen, relists on 410 Gone,
// backs off (jittered, growing, capped) on other errors, and never stops by itself.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { ApiError } from "../../../src/runtime/client/api-error.ts";
import type { KubeObject, ListOptions, ListPage, WatchEvent, WatchOptions } from "../../../src/runtime/client/kube-client.ts";
import { Resources } from "../../../src/runtime/client/resource.ts";
import { Informer, type ListWatcher } from "../../../src/runtime/informer.ts";

type Obj = KubeObject & { data?: string };

const obj = (name: string, rv: string, data = ""): Obj => ({
  metadata: { name, namespace: "ns", resourceVersion: rv, managedFields: [{ manager: "x" }] }, data,
});

type WatchStep = WatchEvent<Obj>[] | Error;

/** A source whose lists and watches follow a script; every call is recorded. */
class ScriptedSource implements ListWatcher {
  readonly lists: ListOptions[] = [];
  readonly watches: WatchOptions[] = [];
  private readonly listPages: (ListPage<Obj> | Error)[];
  private readonly watchSteps: WatchStep[];
  private readonly onExhausted: () => void;

  constructor(listPages: (ListPage<Obj> | Error)[], watchSteps: WatchStep[], onExhausted: () => void) {
    this.listPages = listPages;
    this.watchSteps = watchSteps;
    this.onExhausted = onExhausted;
  }

  list<T extends KubeObject>(_ref: unknown, options: ListOptions): Promise<ListPage<T>> {
    this.lists.push(options);
    const next = this.listPages.shift();
    if (next === undefined) throw new Error("unexpected list");
    if (next instanceof Error) return Promise.reject(next);
    return Promise.resolve(next as unknown as ListPage<T>);
  }

  watch<T extends KubeObject>(_ref: unknown, options: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Promise<void> {
    this.watches.push(options);
    const step = this.watchSteps.shift();
    if (step === undefined) {
      this.onExhausted();
      return new Promise((resolve) => {
        if (options.signal?.aborted) resolve();
        else options.signal?.addEventListener("abort", () => resolve());
      });
    }
    if (step instanceof Error) return Promise.reject(step);
    for (const event of step) onEvent(event as unknown as WatchEvent<T>);
    return Promise.resolve();
  }
}

async function runUntilExhausted(listPages: (ListPage<Obj> | Error)[], watchSteps: WatchStep[], transform?: (o: KubeObject) => KubeObject) {
  const stop = new AbortController();
  const source = new ScriptedSource(listPages, watchSteps, () => stop.abort());
  const delays: number[] = [];
  const restarts: string[] = [];
  const events: string[] = [];
  const informer = new Informer<Obj>(source, {
    ref: Resources.configMaps,
    resyncPeriodMs: 0,
    delay: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    onRestart: (reason) => restarts.push(reason),
    ...(transform === undefined ? {} : { transform }),
  });
  informer.onChange((type, o) => events.push(`${type}:${o.metadata?.name}:${o.data}`));
  await informer.run(stop.signal);
  return { source, informer, delays, restarts, events };
}

test("lists all pages, then watches from the list's resourceVersion and resumes from the last event's", async () => {
  const { source, informer, events } = await runUntilExhausted(
    [
      { items: [obj("a", "5", "1")], resourceVersion: "10", continueToken: "page2" },
      { items: [obj("b", "7", "1")], resourceVersion: "10" },
    ],
    [
      [{ type: "MODIFIED", object: obj("a", "11", "2") }, { type: "BOOKMARK", object: obj("", "15") }],
      [{ type: "DELETED", object: obj("b", "16", "1") }],
    ],
  );
  assert.deepEqual(source.lists.map((l) => l.continueToken), [undefined, "page2"]);
  assert.deepEqual(source.watches.map((w) => w.resourceVersion), ["10", "15", "16"]);
  for (const w of source.watches) assert.ok(w.timeoutSeconds >= 300 && w.timeoutSeconds < 600);
  assert.deepEqual(events, ["added:a:1", "added:b:1", "updated:a:2", "deleted:b:1"]);
  assert.equal(informer.get("ns/a")?.data, "2");
  assert.equal(informer.get("ns/a")?.metadata?.managedFields, undefined, "managedFields stripped");
  assert.equal(informer.hasSynced(), true);
});

test("a transform decides what the cache keeps of listed and watched objects, after managedFields went", async () => {
  const seen: unknown[] = [];
  const upper = (o: KubeObject): KubeObject => {
    seen.push(o.metadata?.managedFields);
    const { data, ...rest } = o as Obj;
    return { ...rest, data: (data ?? "").toUpperCase() } as Obj;
  };
  const { informer, events } = await runUntilExhausted(
    [{ items: [obj("a", "5", "x")], resourceVersion: "10" }],
    [[{ type: "ADDED", object: obj("b", "11", "y") }, { type: "MODIFIED", object: obj("a", "12", "z") }]],
    upper,
  );
  assert.deepEqual(events, ["added:a:X", "added:b:Y", "updated:a:Z"], "handlers see what the cache keeps");
  assert.equal(informer.get("ns/b")?.data, "Y");
  assert.deepEqual(seen, [undefined, undefined, undefined], "the transform never sees managedFields");
});

test("410 Gone (as an HTTP error or a watch ERROR event) relists at once; the relist reports what vanished", async () => {
  const { source, restarts, delays, events } = await runUntilExhausted(
    [
      { items: [obj("a", "5"), obj("b", "6")], resourceVersion: "10" },
      { items: [obj("a", "20")], resourceVersion: "20" },
      { items: [obj("a", "30")], resourceVersion: "30" },
    ],
    [
      [{ type: "ERROR", object: { kind: "Status", code: 410, message: "too old resource version" } as Obj }],
      new ApiError(410, "Gone", { body: { reason: "Expired" } }),
    ],
  );
  assert.equal(source.lists.length, 3);
  assert.deepEqual(restarts, ["ResourceVersionExpired", "ResourceVersionExpired"]);
  assert.deepEqual(delays, [], "no backoff before a relist");
  assert.ok(events.includes("deleted:b:"), "b vanished during the gap and is reported deleted");
  assert.deepEqual(source.watches.map((w) => w.resourceVersion), ["10", "20", "30"]);
});

test("other errors back off with jitter, doubling from 0.8 s and capped at 30 s; a good watch resets it", async () => {
  const down = (): Error => new ApiError(0, "connection refused");
  const { delays, restarts, source } = await runUntilExhausted(
    [{ items: [], resourceVersion: "1" }],
    [down(), down(), down(), down(), down(), down(), down(), [], down()],
  );
  assert.deepEqual(delays, [800, 1600, 3200, 6400, 12800, 25600, 30000, 800]);
  assert.ok(restarts.every((r) => r === "WatchFailed"));
  assert.equal(source.lists.length, 1, "watch errors resume the watch, they do not relist");
});

test("a failing list is retried with backoff until it succeeds; sync waits for it", async () => {
  const { delays, restarts, informer } = await runUntilExhausted(
    [new ApiError(503, "unavailable"), new ApiError(0, "reset"), { items: [obj("a", "3")], resourceVersion: "3" }],
    [],
  );
  assert.deepEqual(delays, [800, 1600]);
  assert.deepEqual(restarts, ["ListFailed", "ListFailed"]);
  assert.equal(informer.hasSynced(), true);
});

test("resync re-delivers every cached object without calling the API", async () => {
  const stop = new AbortController();
  let resyncs = 0;
  const source = new ScriptedSource([{ items: [obj("a", "1"), obj("b", "1")], resourceVersion: "1" }], [], () => undefined);
  const informer = new Informer<Obj>(source, {
    ref: Resources.configMaps,
    resyncPeriodMs: 1000,
    delay: (ms, signal) => {
      if (ms === 1000 && ++resyncs > 2) stop.abort();
      return signal.aborted ? Promise.resolve() : new Promise((r) => setImmediate(r));
    },
  });
  const seen: string[] = [];
  informer.onChange((type, o) => seen.push(`${type}:${o.metadata?.name}`));
  await informer.run(stop.signal);
  assert.deepEqual(seen.filter((s) => s.startsWith("resync")), ["resync:a", "resync:b", "resync:a", "resync:b"]);
  assert.equal(source.lists.length, 1);
});
