// Keeps ApiKeys in step with the mounted Secret file. Kubernetes updates a Secret volume by
// writing a new timestamped directory and atomically swapping the `..data` symlink, so the file's
// own inode never changes in place: the agent watches the directory (fs.watch) and, because
// watch events can be missed (overlay filesystems, NFS), also polls the file's stat.
import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Logger } from "../runtime/logging.ts";
import { fileFingerprint } from "./file-fingerprint.ts";
import { parseApiKeys, type ApiKeys } from "./api-keys.ts";

export interface KeyFileOptions {
  readonly path: string;
  readonly keys: ApiKeys;
  readonly logger: Logger;
  /** How often the file's stat is compared; default 5 s. */
  readonly pollIntervalMs?: number;
  /** Delay after a watch event before re-reading, so a burst of events reads once; default 50 ms. */
  readonly debounceMs?: number;
}

export class KeyFile {
  private readonly options: KeyFileOptions;
  private watcher: FSWatcher | undefined;
  private poller: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private fingerprint = "";
  private content: string | undefined;
  private reading: Promise<void> = Promise.resolve();

  constructor(options: KeyFileOptions) {
    this.options = options;
  }

  /** Loads the keys once, then follows changes until close(). A missing file leaves no key accepted. */
  async start(): Promise<void> {
    await this.reload();
    try {
      this.watcher = watch(dirname(this.options.path), { persistent: false }, () => this.scheduleReload());
      this.watcher.on("error", (error) => {
        this.options.logger.warn("Stopped watching the API key directory; polling continues", { error: String(error) });
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch (error) {
      this.options.logger.warn("Could not watch the API key directory; polling only", { error: String(error) });
    }
    this.poller = setInterval(() => void this.poll(), this.options.pollIntervalMs ?? 5000);
    this.poller.unref();
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
    clearInterval(this.poller);
    clearTimeout(this.debounce);
  }

  /** Re-reads the file now (serialised with other reads). */
  reload(): Promise<void> {
    this.reading = this.reading.then(() => this.read());
    return this.reading;
  }

  private scheduleReload(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.reload(), this.options.debounceMs ?? 50);
    this.debounce.unref();
  }

  private async poll(): Promise<void> {
    const fingerprint = await fileFingerprint(this.options.path);
    if (fingerprint !== this.fingerprint) await this.reload();
  }

  private async read(): Promise<void> {
    const { path, keys, logger } = this.options;
    const fingerprint = await fileFingerprint(this.options.path);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      this.fingerprint = fingerprint;
      // Keep the keys in force: a Secret is swapped atomically, so a failed read is transient.
      if (this.content === undefined) logger.error("Could not read the API key file; every request is rejected", { path, error: String(error) });
      else logger.warn("Could not re-read the API key file; keeping the loaded keys", { path, error: String(error) });
      return;
    }
    this.fingerprint = fingerprint;
    if (text === this.content) return;
    const first = this.content === undefined;
    this.content = text;
    keys.replace(parseApiKeys(text));
    if (keys.count === 0) logger.error("Loaded an API key file with no key; every request is rejected", { path });
    else logger.info(first ? "Loaded API keys" : "Reloaded API keys", { path, keys: keys.count });
  }
}
