// The manifests a reference can name: an image manifest (OCI, or Docker schema 2) whose layers
// are the model's files, or an index (OCI index, or Docker manifest list) of such manifests.
// Parsing is pure and strict about what MDO uses (descriptors' digests and sizes, since they
// become URLs and length checks) and lenient about everything else.
import { z } from "zod";
import { DeliveryError, DeliveryFailureReasons as R } from "../../errors.ts";
import { OCI_DIGEST } from "./reference.ts";

export const MediaTypes = {
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
} as const;

/** The Accept header of a manifest GET: every kind this module parses. */
export const MANIFEST_ACCEPT = Object.values(MediaTypes).join(", ");

/** The largest manifest read (the distribution spec lets registries refuse bigger ones too). */
export const MANIFEST_SIZE_LIMIT = 4 * 1024 * 1024;

const Platform = z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional() });
const Descriptor = z.object({
  mediaType: z.string(),
  digest: z.string().regex(OCI_DIGEST, "must be sha256:<64 hex digits>"),
  size: z.number().int().nonnegative(),
  annotations: z.record(z.string(), z.string()).optional(),
  platform: Platform.optional(),
});
const ImageManifestDocument = z.object({
  config: Descriptor.optional(),
  layers: z.array(Descriptor),
  artifactType: z.string().optional(),
});
const IndexDocument = z.object({ manifests: z.array(Descriptor) });

export type OciDescriptor = z.infer<typeof Descriptor>;
export type OciPlatform = z.infer<typeof Platform>;

export type ParsedManifest =
  | { readonly kind: "manifest"; readonly mediaType: string; readonly layers: readonly OciDescriptor[]; readonly artifactType?: string }
  | { readonly kind: "index"; readonly mediaType: string; readonly manifests: readonly OciDescriptor[] };

const INDEX_TYPES: ReadonlySet<string> = new Set([MediaTypes.ociIndex, MediaTypes.dockerManifestList]);
const MANIFEST_TYPES: ReadonlySet<string> = new Set([MediaTypes.ociManifest, MediaTypes.dockerManifest]);

/** The media type without parameters ("application/json; charset=utf-8" → "application/json"). */
function bareMediaType(value: string | undefined): string | undefined {
  const bare = value?.split(";")[0]?.trim().toLowerCase();
  return bare === "" ? undefined : bare;
}

/**
 * Parses the manifest `bytes` served with `contentType` for `subject` (used in messages). The
 * kind comes from the Content-Type, else the document's own mediaType, else its shape (an OCI
 * index may omit mediaType). Pure; throws DeliveryError(ModelFetchFailed) saying what is wrong:
 * not JSON, Docker schema 1, another kind of document, or a malformed descriptor.
 */
export function parseManifest(bytes: Uint8Array, contentType: string | undefined, subject: string): ParsedManifest {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (error) {
    throw new DeliveryError(R.Failed, `the manifest of ${subject} is not JSON`, { cause: error });
  }
  if (typeof document !== "object" || document === null) throw new DeliveryError(R.Failed, `the manifest of ${subject} is not a JSON object`);
  const fields = document as { mediaType?: unknown; manifests?: unknown; layers?: unknown; schemaVersion?: unknown };
  const header = bareMediaType(contentType);
  const declared = typeof fields.mediaType === "string" ? fields.mediaType : undefined;
  const mediaType = [header, declared].find((t) => t !== undefined && (INDEX_TYPES.has(t) || MANIFEST_TYPES.has(t)))
    ?? (Array.isArray(fields.manifests) ? MediaTypes.ociIndex : Array.isArray(fields.layers) ? MediaTypes.ociManifest : undefined);
  if (fields.schemaVersion === 1) {
    throw new DeliveryError(R.Failed, `${subject} is a Docker schema 1 image, which MDO does not read; push it again with a current client`);
  }
  if (mediaType === undefined) {
    throw new DeliveryError(R.Failed, `${subject} names a ${declared ?? header ?? "document"}, not an image manifest or an index`);
  }
  if (INDEX_TYPES.has(mediaType)) {
    const index = IndexDocument.safeParse(document);
    if (!index.success) throw malformed(subject, index.error);
    return { kind: "index", mediaType, manifests: index.data.manifests };
  }
  const manifest = ImageManifestDocument.safeParse(document);
  if (!manifest.success) throw malformed(subject, manifest.error);
  const { layers, artifactType } = manifest.data;
  return { kind: "manifest", mediaType, layers, ...(artifactType === undefined ? {} : { artifactType }) };
}

function malformed(subject: string, error: z.ZodError): DeliveryError {
  const issue = error.issues[0];
  const where = issue === undefined ? "" : ` at ${issue.path.join(".") || "the top"}: ${issue.message}`;
  return new DeliveryError(R.Failed, `the manifest of ${subject} is malformed${where}`, { cause: error });
}
