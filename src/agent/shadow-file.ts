// Follows the shadow settings file (ADR 0009): the operator writes the candidate's address into a
// ConfigMap mounted in every revision's pods while a rollout shadows, so the stable revision's
// agents start and stop mirroring without a new revision. Contract: `current()` is the mirror in
// force (undefined: off); a missing, empty or `{}` file means off, and so do settings whose
// `source` is another revision (the candidate's agents read the same file); an invalid one is
// logged and leaves mirroring off (never half-applied); a replaced mirror finishes its in-flight
// mirrors.
import { readFile } from "node:fs/promises";
import type { Protocol } from "../api/index.ts";
import type { Logger } from "../runtime/logging.ts";
import { fileFingerprint } from "./file-fingerprint.ts";
import { mirrorsFrom, ShadowConfig } from "./config.ts";
import type { AgentMetrics } from "./metrics.ts";
import { ShadowMirror } from "./shadow.ts";

export interface ShadowFileOptions {
  readonly path: string;
  /** This agent's revision: settings with another `source` leave it off. */
  readonly revision: string;
  readonly metrics: AgentMetrics;
  readonly logger: Logger;
  readonly protocol: Protocol;
  /** How often the file's stat is compared; default 2 s. */
  readonly pollIntervalMs?: number;
}

export class ShadowFile {
  private readonly options: ShadowFileOptions;
  private mirror: ShadowMirror | undefined;
  private text: string | undefined;
  private fingerprint = "";
  private poller: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();
  private readonly closing = new Set<Promise<void>>();

  constructor(options: ShadowFileOptions) {
    this.options = options;
  }

  current(): ShadowMirror | undefined {
    return this.mirror;
  }

  /** Reads the file once, then polls it until close(). */
  async start(): Promise<void> {
    await this.reload();
    this.poller = setInterval(() => void this.poll(), this.options.pollIntervalMs ?? 2000);
    this.poller.unref();
  }

  /** Stops following the file and closes the mirror (after its in-flight mirrors). */
  async close(): Promise<void> {
    clearInterval(this.poller);
    await this.reading;
    this.replace(undefined);
    await Promise.allSettled([...this.closing]);
  }

  private poll(): Promise<void> {
    this.reading = this.reading.then(async () => {
      if ((await fileFingerprint(this.options.path)) !== this.fingerprint) await this.read();
    });
    return this.reading;
  }

  private reload(): Promise<void> {
    this.reading = this.reading.then(() => this.read());
    return this.reading;
  }

  private async read(): Promise<void> {
    const { path, logger } = this.options;
    this.fingerprint = await fileFingerprint(this.options.path);
    const text = await readFile(path, "utf8").catch(() => "");
    if (text === this.text) return;
    this.text = text;
    const settings = this.parse(text);
    this.replace(settings === undefined ? undefined : new ShadowMirror({ settings, metrics: this.options.metrics, logger, protocol: this.options.protocol }));
    if (settings === undefined) logger.info("Shadow traffic off", { path });
    else logger.info("Shadow traffic on", { path, candidate: settings.candidate, url: settings.url, sampleRate: settings.sampleRate });
  }

  private parse(text: string): ShadowConfig | undefined {
    if (text.trim() === "") return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.options.logger.warn("The shadow settings file is not JSON; shadow traffic off", { path: this.options.path, error: String(error) });
      return undefined;
    }
    if (typeof value === "object" && value !== null && Object.keys(value).length === 0) return undefined;
    const parsed = ShadowConfig.safeParse(value);
    if (!parsed.success) {
      this.options.logger.warn("The shadow settings file is not valid; shadow traffic off", { path: this.options.path, error: parsed.error.message });
      return undefined;
    }
    // Another revision's settings (this is the candidate's agent): off, as meant.
    return mirrorsFrom(parsed.data, this.options.revision) ? parsed.data : undefined;
  }

  private replace(next: ShadowMirror | undefined): void {
    const previous = this.mirror;
    this.mirror = next;
    if (previous === undefined) return;
    const closed = previous.close();
    this.closing.add(closed);
    void closed.finally(() => this.closing.delete(closed));
  }
}
