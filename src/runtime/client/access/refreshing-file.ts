// A credential kept in a file that something else rotates (a projected service-account token,
// a certificate renewed by cert-manager): read when first needed, then again once it is a minute old.
import { readFile } from "node:fs/promises";
import { ClusterAccessError } from "./types.ts";

/** How long a file's content is used before it is read again; client-go's and client-node's interval. */
export const REFRESH_MS = 60_000;

export class RefreshingFile {
  readonly path: string;
  private readonly what: string;
  private readonly now: () => number;
  private content: Buffer | undefined;
  private readAt = 0;
  private reading: Promise<Buffer> | undefined;

  /** `what` names the file in errors ("token file of user admin"); `now` is the clock in ms. */
  constructor(path: string, what: string, now: () => number = Date.now) {
    this.path = path;
    this.what = what;
    this.now = now;
  }

  /**
   * The file's content, read again when the last read is older than a minute. A failed re-read
   * keeps the last content (the file may be in the middle of a rotation) until the next minute;
   * a failed first read rejects with a ClusterAccessError naming the file.
   */
  read(): Promise<Buffer> {
    if (this.content !== undefined && this.now() - this.readAt < REFRESH_MS) return Promise.resolve(this.content);
    this.reading ??= readFile(this.path).then(
      (content) => this.keep(content),
      (error: unknown) => {
        if (this.content !== undefined) return this.keep(this.content);
        throw new ClusterAccessError(`Could not read the ${this.what} ${this.path}`, { cause: error });
      },
    ).finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** The content as text without surrounding white space (tokens end with a newline in most files). */
  async text(): Promise<string> {
    return (await this.read()).toString("utf8").trim();
  }

  private keep(content: Buffer): Buffer {
    this.content = content;
    this.readAt = this.now();
    return content;
  }
}
