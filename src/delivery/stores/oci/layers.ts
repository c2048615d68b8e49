// Which file each layer of a manifest becomes — the model directory looks the way `oras pull`
// would leave it, and a container image's layers are unpacked at the root:
//
//   - a layer with an org.opencontainers.image.title annotation (oras sets it to the pushed path):
//       - with io.deis.oras.content.unpack: "true", a directory oras pushed: a tar+gzip whose
//         entries already start with "<title>/" (oras tars the directory under its name), so
//         unpacking it at the model root puts the files under <title>/, as `oras pull` does.
//         oras gzips a directory whatever media type the pusher named, so the layer is always
//         "tar+gzip";
//       - otherwise a file saved as <title>, never unpacked, whatever its media type: oras gives
//         plain files the media type application/vnd.oci.image.layer.v1.tar by default, so the
//         media type cannot tell an archive from a model.joblib;
//   - an untitled layer (an image's): "layer-<n>" (n its index in the manifest), unpacked per
//     media type — tar+gzip for …tar+gzip and Docker's …tar.gzip, tar for …tar, a file otherwise;
//     zstd layers are refused (nothing unpacks them).
//
// A title must be a relative POSIX path without "", "." or ".." segments; one that is not (or
// two layers with one title) is ModelArchiveCorrupt: the artifact would write outside the model
// directory or over itself, which is the reason's meaning for archives too.
import { DeliveryError, DeliveryFailureReasons as R } from "../../errors.ts";
import type { Unpack } from "../../store.ts";
import type { OciDescriptor } from "./manifest.ts";

export const LayerAnnotations = {
  title: "org.opencontainers.image.title",
  orasUnpack: "io.deis.oras.content.unpack",
} as const;

/** A layer as the downloader will see it (the store adds `open`). */
export interface LayerFile {
  readonly path: string;
  readonly size: number;
  readonly digest: string;
  readonly unpack: Unpack;
  readonly mediaType: string;
}

/** Why `title` cannot be a path in the model directory, or undefined when it can. Pure. */
export function titleProblem(title: string): string | undefined {
  if (title.startsWith("/")) return "is an absolute path";
  if ([...title].some((c) => c.charCodeAt(0) < 0x20)) return "contains control characters";
  const segments = title.split("/");
  if (segments.includes("..")) return 'has a ".." segment';
  if (segments.some((s) => s === "" || s === ".")) return 'has an empty or "." segment';
  return undefined;
}

/** How an untitled layer of `mediaType` is unpacked. Pure; throws for compressions nothing can unpack. */
export function unpackForMediaType(mediaType: string, subject: string): Unpack {
  const type = mediaType.toLowerCase();
  if (type.endsWith("+gzip") || type.endsWith(".tar.gzip")) return "tar+gzip";
  if (type.endsWith(".tar")) return "tar";
  if (type.endsWith("+zstd") || type.endsWith(".tar.zstd")) {
    throw new DeliveryError(R.Failed, `${subject} has a zstd-compressed layer (${mediaType}), which MDO cannot unpack; push it with gzip`);
  }
  return "none";
}

/**
 * The files of `layers` (a manifest's, in order) by the rules above; `subject` names the
 * manifest in messages. Pure. Throws DeliveryError ArchiveCorrupt for unsafe or duplicate
 * titles, Failed for zstd layers.
 */
export function layerFiles(layers: readonly OciDescriptor[], subject: string): LayerFile[] {
  const seen = new Set<string>();
  return layers.map((layer, index) => {
    const title = layer.annotations?.[LayerAnnotations.title];
    const { digest, size, mediaType } = layer;
    if (title === undefined || title === "") {
      return { path: `layer-${index}`, size, digest, mediaType, unpack: unpackForMediaType(mediaType, subject) };
    }
    const problem = titleProblem(title);
    if (problem !== undefined) {
      throw new DeliveryError(R.ArchiveCorrupt, `layer ${index} of ${subject} has the title ${JSON.stringify(title)}, which ${problem}: it cannot be a path in the model directory`);
    }
    if (seen.has(title)) throw new DeliveryError(R.ArchiveCorrupt, `${subject} has two layers titled ${JSON.stringify(title)}`);
    seen.add(title);
    const directory = layer.annotations?.[LayerAnnotations.orasUnpack] === "true";
    return { path: title, size, digest, mediaType, unpack: directory ? "tar+gzip" : "none" };
  });
}
