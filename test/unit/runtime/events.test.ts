import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeClient, KubeObject } from "../../../src/runtime/client/kube-client.ts";
import { ManualClock, realClock } from "../../../src/runtime/clock.ts";
import { EventRecorder } from "../../../src/runtime/events.ts";
import { createLogger } from "../../../src/runtime/logging.ts";

/** A client whose Event creates wait until released; it records what was sent and the signals used. */
function holdingClient() {
  const sent: string[] = [];
  const waiting: (() => void)[] = [];
  let signal: AbortSignal | undefined;
  const client = {
    withSignal(s: AbortSignal) {
      signal = s;
      return client;
    },
    create(_ref: unknown, event: KubeObject & { reason?: string }) {
      return new Promise<KubeObject>((resolve, reject) => {
        const onAbort = (): void => reject(signal?.reason as Error);
        signal?.addEventListener("abort", onAbort, { once: true });
        waiting.push(() => {
          sent.push(event.reason ?? "");
          resolve(event);
        });
      });
    },
  };
  const releaseAll = async (): Promise<void> => {
    for (let i = 0; i < 50; i++) {
      while (waiting.length > 0) waiting.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { client: client as unknown as KubeClient, sent, releaseAll };
}

const logger = createLogger({ level: "error" });
const md = { apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: "m", namespace: "ns", uid: "u" } };
const event = (reason: string) => ({ type: "Normal" as const, reason, message: `${reason} happened` });

test("record returns before the Event is sent; Events are sent one at a time, in order", async () => {
  const { client, sent, releaseAll } = holdingClient();
  const recorder = new EventRecorder(client, { reportingController: "mdo.dev/operator", reportingInstance: "i", logger, clock: realClock });
  recorder.record(md, event("First"));
  recorder.record(md, event("Second"));
  assert.deepEqual(sent, [], "nothing was waited for");
  assert.equal(recorder.pending, 1, "one in flight, one queued");
  await releaseAll();
  await recorder.flush();
  assert.deepEqual(sent, ["First", "Second"]);
});

test("a full queue drops the Event and counts it", async () => {
  const { client, sent, releaseAll } = holdingClient();
  let dropped = 0;
  const recorder = new EventRecorder(client, { reportingController: "c", reportingInstance: "i", logger, clock: realClock, capacity: 2, onDropped: () => dropped++ });
  for (const reason of ["A", "B", "C", "D"]) recorder.record(md, event(reason));
  assert.equal(dropped, 1, "A is in flight, B and C fill the queue, D is dropped");
  await releaseAll();
  await recorder.flush();
  assert.deepEqual(sent, ["A", "B", "C"]);
});

test("close sends what is queued, then aborts what is left after its timeout and takes no more", async () => {
  const { client, sent } = holdingClient();
  const clock = new ManualClock(0);
  const recorder = new EventRecorder(client, { reportingController: "c", reportingInstance: "i", logger, clock });
  recorder.record(md, event("Stuck"));
  recorder.record(md, event("Queued"));
  const closing = recorder.close(5000);
  clock.advance(5000);
  await closing;
  assert.deepEqual(sent, [], "the request in flight was aborted and the queue dropped");
  recorder.record(md, event("Late"));
  assert.equal(recorder.pending, 0, "nothing is taken after close");
});
