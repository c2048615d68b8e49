// A ModelStore over in-memory files for the downloader's unit tests (the stores themselves are
// tested against real servers in test/integration/delivery). Records every open and can fail.
import { Readable } from "node:stream";
import { DeliveryError, DeliveryFailureReasons as R } from "../../../src/delivery/errors.ts";
import type { ModelListing, ModelStore, RemoteFile, Unpack } from "../../../src/delivery/store.ts";

export interface MemoryFile {
  path: string;
  content: Buffer;
  unpack?: Unpack;
  /** Listed size, if different from the content's (a store that lies). */
  size?: number;
  digest?: string;
  /** Fail the first `failures` opens after sending `failAfter` bytes (retryable unless `fatal`). */
  failures?: number;
  failAfter?: number;
  fatal?: boolean;
}

export class MemoryStore implements ModelStore {
  readonly opens: { path: string; offset: number }[] = [];
  private readonly shape: ModelListing["shape"];
  private readonly files: MemoryFile[];

  constructor(shape: ModelListing["shape"], files: MemoryFile[]) {
    this.shape = shape;
    this.files = files;
  }

  list(): Promise<ModelListing> {
    return Promise.resolve({ shape: this.shape, files: this.files.map((f) => this.remote(f)) });
  }

  private remote(f: MemoryFile): RemoteFile {
    return {
      path: f.path,
      size: f.size ?? f.content.length,
      ...(f.digest !== undefined && { digest: f.digest }),
      ...(f.unpack !== undefined && { unpack: f.unpack }),
      open: (_signal, offset = 0) => {
        this.opens.push({ path: f.path, offset });
        const failing = (f.failures ?? 0) > 0;
        if (failing) f.failures = (f.failures ?? 0) - 1;
        const rest = f.content.subarray(offset);
        if (!failing) return Promise.resolve(Readable.from([rest]));
        if (f.fatal === true) return Promise.reject(new DeliveryError(R.AccessDenied, `access to ${f.path} was denied`));
        const sent = rest.subarray(0, f.failAfter ?? 0);
        return Promise.resolve(Readable.from((function* () {
          yield sent;
          throw new DeliveryError(R.Unreachable, "connection reset", { retryable: true });
        })()));
      },
    };
  }
}
