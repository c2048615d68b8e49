// OCI references as oci:// model URIs write them (uri.ts strips the scheme):
//
//   registry[:port]/repository:tag
//   registry[:port]/repository@sha256:<64 hex>
//   registry[:port]/repository:tag@sha256:<64 hex>     (the digest is what is pulled; the tag is a label)
//
// The first segment is always the registry: unlike `docker pull`, there is no implicit Docker Hub
// and no implicit :latest, because a model pinned to whatever :latest is today would change under
// a running deployment. Docker Hub is written docker.io/<name>; it resolves to registry-1.docker.io
// and a one-segment name gets the library/ prefix, as Docker does.
import { DeliveryError, DeliveryFailureReasons as R } from "../../errors.ts";

/** A parsed reference: where to connect, which repository, and which manifest. */
export interface OciReference {
  /** host[:port] to connect to over HTTPS (Docker Hub aliases already resolved). */
  readonly registry: string;
  /** Repository name, e.g. "models/fraud" (lower case, per the distribution grammar). */
  readonly repository: string;
  readonly tag?: string;
  /** "sha256:<hex>" when the reference pins a digest. */
  readonly digest?: string;
  /** What goes into /v2/<repository>/manifests/<reference>: the digest when there is one, else the tag. */
  readonly reference: string;
}

/** A content digest MDO can verify: sha256 only (the digest every registry and `oras` writes). */
export const OCI_DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Any digest the image spec allows, to tell "unsupported algorithm" from "malformed". */
const ANY_DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HOST_LABEL = "(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])";
const REGISTRY = new RegExp(`^(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?$`);
const DOCKER_HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);
export const DOCKER_HUB_REGISTRY = "registry-1.docker.io";
/** The distribution spec's limit on registry + "/" + repository. */
const MAX_NAME_LENGTH = 255;

function invalid(reference: string, why: string): DeliveryError {
  return new DeliveryError(R.InvalidUri, `oci://${reference} is not a valid OCI reference: ${why}`);
}

/** Parses `reference` (oci:// URI without the scheme). Pure; throws DeliveryError(InvalidModelURI) saying what is wrong. */
export function parseOciReference(reference: string): OciReference {
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!ANY_DIGEST.test(digest)) throw invalid(reference, `"${digest}" is not a digest; write @sha256:<64 hex digits>`);
    if (!OCI_DIGEST.test(digest)) throw invalid(reference, `"${digest}" is not a sha256 digest (sha256:<64 lower-case hex digits>), the only algorithm MDO verifies`);
  }
  const slash = rest.indexOf("/");
  if (slash <= 0) throw invalid(reference, "it must start with the registry host, as in registry.example.com/models/fraud:v7 (Docker Hub is docker.io/<name>)");
  const host = rest.slice(0, slash);
  let name = rest.slice(slash + 1);
  if (!REGISTRY.test(host)) throw invalid(reference, `"${host}" is not a registry host[:port]`);

  let tag: string | undefined;
  const colon = name.lastIndexOf(":");
  if (colon > name.lastIndexOf("/")) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(reference, `"${tag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
  }
  if (tag === undefined && digest === undefined) {
    throw invalid(reference, "it names no tag or digest; add :<tag> or @sha256:<digest> (MDO does not assume :latest)");
  }
  if (name === "") throw invalid(reference, "the repository name is empty");
  for (const component of name.split("/")) {
    if (!COMPONENT.test(component)) {
      throw invalid(reference, `"${name}" is not a valid repository name: each /-separated part must be lower-case letters and digits, joined by ".", "_", "__" or "-"`);
    }
  }

  const lowerHost = host.toLowerCase();
  const dockerHub = DOCKER_HUB_ALIASES.has(lowerHost);
  const registry = dockerHub ? DOCKER_HUB_REGISTRY : lowerHost;
  const repository = dockerHub && !name.includes("/") ? `library/${name}` : name;
  if (host.length + 1 + repository.length > MAX_NAME_LENGTH) throw invalid(reference, `the name is longer than ${MAX_NAME_LENGTH} characters`);
  return { registry, repository, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }), reference: digest ?? tag ?? "" };
}

/** "registry/repository:tag@digest" as the user would recognise it, for messages. Pure. */
export function formatOciReference(ref: OciReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag === undefined ? "" : `:${ref.tag}`}${ref.digest === undefined ? "" : `@${ref.digest}`}`;
}
