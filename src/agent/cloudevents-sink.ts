// Payload records as CloudEvents 1.0, POSTed in batches (application/cloudevents-batch+json) to an
// HTTP sink. Never on the request path: records are queued, sent by a timer, and dropped (counted)
// when the queue is full or the sink fails, so a slow or broken sink never slows serving.
import { randomUUID } from "node:crypto";
import type { Logger } from "../runtime/logging.ts";
import type { PayloadRecord } from "./payload-log.ts";

export const CLOUDEVENT_TYPE = "dev.mdo.agent.prediction.v1";
/** Records waiting beyond this are dropped (and counted). */
export const MAX_QUEUED = 10_000;

export interface CloudEventsSinkOptions {
  url: string;
  batchSize?: number;
  flushIntervalMs?: number;
  logger: Logger;
  /** Injected for tests; global fetch by default. */
  fetch?: typeof fetch;
}

export interface CloudEvent {
  specversion: "1.0";
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype: "application/json";
  data: PayloadRecord;
}

export class CloudEventsSink {
  private readonly options: Required<Omit<CloudEventsSinkOptions, "logger" | "fetch">> & Pick<CloudEventsSinkOptions, "logger" | "fetch">;
  private queue: CloudEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  dropped = 0;
  sent = 0;

  constructor(options: CloudEventsSinkOptions) {
    this.options = { batchSize: 100, flushIntervalMs: 1000, ...options };
  }

  write(record: PayloadRecord): void {
    if (this.queue.length >= MAX_QUEUED) {
      this.dropped++;
      return;
    }
    this.queue.push({
      specversion: "1.0",
      id: randomUUID(),
      source: `/mdo/agent/${record.model}/${record.revision}`,
      type: CLOUDEVENT_TYPE,
      time: record.time,
      datacontenttype: "application/json",
      data: record,
    });
    // flush() never rejects: post() catches and counts every failure.
    if (this.queue.length >= this.options.batchSize) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs).unref();
  }

  /** Sends what is queued; resolves when every batch started so far has been answered or failed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.batchSize);
      this.sending = this.sending.then(() => this.post(batch));
    }
    return this.sending;
  }

  private async post(batch: CloudEvent[]): Promise<void> {
    try {
      const res = await (this.options.fetch ?? fetch)(this.options.url, {
        method: "POST",
        headers: { "content-type": "application/cloudevents-batch+json" },
        body: JSON.stringify(batch),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.sent += batch.length;
    } catch (error) {
      this.dropped += batch.length;
      this.options.logger.warn("Payload sink failed; records dropped", { url: this.options.url, records: batch.length, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
