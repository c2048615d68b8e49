// From a reference to the image manifest whose layers are the model: GET the manifest, check
// its bytes against the digest that named it, and through an index pick one entry (platform.ts).
import { createHash } from "node:crypto";
import { classifyError } from "../../classify.ts";
import { DeliveryError, DeliveryFailureReasons as R } from "../../errors.ts";
import { MANIFEST_ACCEPT, MANIFEST_SIZE_LIMIT, parseManifest, type OciDescriptor, type ParsedManifest } from "./manifest.ts";
import { choosePlatform } from "./platform.ts";
import { formatOciReference, type OciReference } from "./reference.ts";
import type { RegistryClient } from "./registry-client.ts";
import { headerValue, type ResponseBody } from "./transport.ts";

/** The image manifest a reference resolves to. */
export interface ResolvedManifest {
  /** Digest of the image manifest used (an index's chosen entry when the reference names an index). */
  readonly digest: string;
  readonly mediaType: string;
  readonly artifactType?: string;
  readonly layers: readonly OciDescriptor[];
  /** One line for logs: "r/m:v1 → sha256:… (linux/amd64 of 2 entries of index sha256:…)". */
  readonly description: string;
}

/** What resolving needs of a RegistryClient (tests pass canned responses). */
export type ManifestSource = Pick<RegistryClient, "get">;

/** Indexes of indexes are allowed this deep (one level is what registries serve in practice). */
const MAX_INDEX_DEPTH = 3;

/** sha256:<hex> of `bytes`. Pure. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

async function readManifestBytes(body: ResponseBody, subject: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > MANIFEST_SIZE_LIMIT) {
        body.destroy();
        throw new DeliveryError(R.Failed, `the manifest of ${subject} is larger than ${MANIFEST_SIZE_LIMIT} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    throw classifyError(error, `reading the manifest of ${subject}`);
  }
  return Buffer.concat(chunks);
}

/**
 * GETs manifests/<reference> and parses it. With `expected`, the bytes must hash to it
 * (DeliveryError DigestMismatch naming both); a missing manifest is NotFound.
 */
async function fetchManifest(client: ManifestSource, reference: string, expected: string | undefined, subject: string, signal: AbortSignal): Promise<{ parsed: ParsedManifest; digest: string }> {
  const response = await client.get(`manifests/${reference}`, { accept: MANIFEST_ACCEPT }, `the manifest of ${subject}`, signal);
  const bytes = await readManifestBytes(response.body, subject);
  const digest = sha256Digest(bytes);
  if (expected !== undefined && digest !== expected) {
    throw new DeliveryError(R.DigestMismatch, `the registry returned a manifest with digest ${digest} for ${subject}, which asks for ${expected}`);
  }
  return { parsed: parseManifest(bytes, headerValue(response.headers, "content-type"), subject), digest };
}

/**
 * Resolves `ref` to an image manifest, for `architecture` (OCI spelling) when it names an index.
 * Throws DeliveryError: NotFound (no such repository, tag or digest; an index without entries),
 * DigestMismatch, AccessDenied, Unreachable (retryable where transient) or Failed.
 */
export async function resolveManifest(client: ManifestSource, ref: OciReference, architecture: string, signal: AbortSignal): Promise<ResolvedManifest> {
  const name = formatOciReference(ref);
  let subject = name;
  let fetched = await fetchManifest(client, ref.reference, ref.digest, subject, signal);
  const path: string[] = [];
  for (let depth = 0; fetched.parsed.kind === "index"; depth++) {
    if (depth >= MAX_INDEX_DEPTH) throw new DeliveryError(R.Failed, `${name} nests indexes more than ${MAX_INDEX_DEPTH} deep`);
    const choice = choosePlatform(fetched.parsed.manifests, architecture);
    if (choice === undefined) throw new DeliveryError(R.NotFound, `${subject} is an index without manifests`);
    path.push(`${choice.why} of index ${fetched.digest}`);
    subject = `${ref.registry}/${ref.repository}@${choice.descriptor.digest}`;
    fetched = await fetchManifest(client, choice.descriptor.digest, choice.descriptor.digest, subject, signal);
  }
  const { parsed, digest } = fetched;
  const via = path.length === 0 ? "" : ` (${path.join(", then ")})`;
  return {
    digest,
    mediaType: parsed.mediaType,
    ...(parsed.artifactType === undefined ? {} : { artifactType: parsed.artifactType }),
    layers: parsed.layers,
    description: `${name} → ${digest}${via}`,
  };
}
