// oci:// — a model stored in an OCI registry as an artifact (`oras push`) or an image. The
// pull side of the OCI Distribution Spec: resolve the reference to an image manifest
// (resolve.ts), map its layers to files (layers.ts), open each layer's blob (blob.ts). The
// Secret's .dockerconfigjson authenticates (docker-config.ts, auth.ts) and its ca.crt is trusted.
import type { ModelListing, ModelStore, RemoteFile, StorageCredentials } from "../../store.ts";
import { DeliveryError, DeliveryFailureReasons as R } from "../../errors.ts";
import { openBlob } from "./blob.ts";
import { layerFiles } from "./layers.ts";
import { ociArchitecture } from "./platform.ts";
import { formatOciReference, parseOciReference, type OciReference } from "./reference.ts";
import { RegistryClient } from "./registry-client.ts";
import { resolveManifest } from "./resolve.ts";

/** A listing that also says which manifest it came from. */
export interface OciListing extends ModelListing {
  readonly shape: "tree";
  /** Digest of the image manifest whose layers are `files`. */
  readonly manifestDigest: string;
  /** For the log: "r/m:v1 → sha256:…", with the index entry chosen and why when there was an index. */
  readonly source: string;
}

export interface OciStoreOptions {
  /** User-Agent of every request; default "mdo". */
  readonly userAgent?: string;
  /** Architecture (OCI spelling, e.g. amd64) to choose from an index; default this machine's. */
  readonly architecture?: string;
}

export class OciStore implements ModelStore {
  private readonly ref: OciReference;
  private readonly client: RegistryClient;
  private readonly architecture: string;

  /**
   * `reference` is the oci:// URI without its scheme (see reference.ts). Throws DeliveryError:
   * InvalidModelURI for a malformed reference, ModelFetchFailed for a malformed .dockerconfigjson.
   * No request is made until `list`.
   */
  constructor(reference: string, credentials: StorageCredentials, options: OciStoreOptions = {}) {
    this.ref = parseOciReference(reference);
    this.client = new RegistryClient(this.ref, credentials, options.userAgent ?? "mdo");
    this.architecture = options.architecture ?? ociArchitecture(process.arch);
  }

  /**
   * One RemoteFile per layer of the resolved image manifest (the config blob is not a file),
   * each with the layer's size and digest. Throws DeliveryError: NotFound for a missing
   * repository, tag or digest and for a manifest without layers; AccessDenied naming the Secret
   * (or "anonymously"); DigestMismatch when the manifest bytes do not hash to the requested
   * digest; ArchiveCorrupt for unsafe layer titles; Unreachable (retryable when transient).
   */
  async list(signal: AbortSignal): Promise<OciListing> {
    const manifest = await resolveManifest(this.client, this.ref, this.architecture, signal);
    const name = formatOciReference(this.ref);
    const files = layerFiles(manifest.layers, name);
    if (files.length === 0) throw new DeliveryError(R.NotFound, `${name} has no layers, so no model files (${manifest.description})`);
    const client = this.client;
    return {
      shape: "tree",
      manifestDigest: manifest.digest,
      source: manifest.description,
      files: files.map((file): RemoteFile => ({
        path: file.path,
        size: file.size,
        digest: file.digest,
        unpack: file.unpack,
        open: (openSignal, offset = 0) => openBlob(client, { digest: file.digest, size: file.size, subject: `layer ${file.path} (${file.digest}) of ${name}` }, offset, openSignal),
      })),
    };
  }

  /** Releases the store's connections (idle sockets do not keep the process alive either way). */
  close(): Promise<void> {
    return this.client.close();
  }
}
