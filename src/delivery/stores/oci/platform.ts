// Which manifest of an index is the model. A model is usually the same on every platform, so an
// index is rare; when there is one: an entry without a platform (an artifact index), else the
// one for linux and this machine's architecture, else the first — and the listing says which.
import type { OciDescriptor } from "./manifest.ts";

/** The chosen entry and a phrase saying why, e.g. "linux/arm64 of 3 platforms". */
export interface PlatformChoice {
  readonly descriptor: OciDescriptor;
  readonly why: string;
}

/** Node's process.arch in OCI's GOARCH spelling. Pure. */
export function ociArchitecture(nodeArch: string): string {
  const names: Record<string, string> = { x64: "amd64", ia32: "386", ppc64: "ppc64le", arm: "arm", arm64: "arm64" };
  return names[nodeArch] ?? nodeArch;
}

function platformOf(d: OciDescriptor): string {
  const p = d.platform;
  return p === undefined ? "no platform" : `${p.os}/${p.architecture}${p.variant === undefined ? "" : `/${p.variant}`}`;
}

/**
 * Build attestations (buildx writes them as entries for platform unknown/unknown with a
 * vnd.docker.reference.type annotation) describe another entry; they are never the model.
 */
function isAttestation(d: OciDescriptor): boolean {
  return d.annotations?.["vnd.docker.reference.type"] !== undefined || (d.platform?.os === "unknown" && d.platform.architecture === "unknown");
}

/** Chooses among `manifests` for `architecture` (OCI spelling); undefined when there is none. Pure. */
export function choosePlatform(manifests: readonly OciDescriptor[], architecture: string): PlatformChoice | undefined {
  const candidates = manifests.filter((d) => !isAttestation(d));
  const count = `${candidates.length} ${candidates.length === 1 ? "entry" : "entries"}`;
  const platformless = candidates.find((d) => d.platform === undefined);
  if (platformless !== undefined) return { descriptor: platformless, why: `the entry without a platform of ${count}` };
  const native = candidates.find((d) => d.platform?.os === "linux" && d.platform.architecture === architecture);
  if (native !== undefined) return { descriptor: native, why: `${platformOf(native)} of ${count}` };
  const first = candidates[0];
  if (first === undefined) return undefined;
  return { descriptor: first, why: `${platformOf(first)}, the first of ${count} (none is linux/${architecture})` };
}
