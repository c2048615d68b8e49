// Registry credentials from the storage Secret's .dockerconfigjson, the format of
// `kubectl create secret docker-registry` and of imagePullSecrets:
//   {"auths": {"registry.example.com": {"auth": base64("user:password")}}}
// An entry may instead carry "username" and "password", or an "identitytoken" (an OAuth2
// refresh token, as `docker login` stores for some registries). Keys are matched by host[:port];
// "https://host/v1/"-style keys and the Docker Hub aliases match too. Credential helpers
// (credsStore, credHelpers) cannot run in the fetcher pod and are ignored.
import { z } from "zod";
import { describeCredentials } from "../../credentials.ts";
import { DeliveryError, DeliveryFailureReasons as R } from "../../errors.ts";
import { CredentialKeys, type StorageCredentials } from "../../store.ts";
import { DOCKER_HUB_REGISTRY } from "./reference.ts";

/** What the Secret holds for one registry. Never logged, never put in a message. */
export interface RegistryCredential {
  readonly username?: string;
  readonly password?: string;
  /** An OAuth2 refresh token, exchanged at the token realm (grant_type=refresh_token). */
  readonly identityToken?: string;
}

/** The credential for a registry (undefined: anonymous) and how to name it in messages. */
export interface ResolvedCredential {
  readonly credential?: RegistryCredential;
  /** "with Secret x", or why the pull is anonymous: completes "access was denied …". */
  readonly described: string;
}

const Entry = z.object({
  auth: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  identitytoken: z.string().optional(),
});
const DockerConfig = z.object({ auths: z.record(z.string(), Entry).optional() });

const DOCKER_HUB_KEYS = new Set(["docker.io", "index.docker.io", DOCKER_HUB_REGISTRY]);

/** host[:port] of a dockerconfig key or a registry, lower case, :443 dropped, Docker Hub unified. Pure. */
export function registryHostOf(key: string): string {
  const withoutScheme = key.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
  const host = (withoutScheme.split("/")[0] ?? "").replace(/:443$/, "");
  return DOCKER_HUB_KEYS.has(host) ? DOCKER_HUB_REGISTRY : host;
}

/**
 * The credential in `dockerConfigJson` for `registry`, or undefined when it has no entry (or an
 * entry without usable fields). A key equal to the registry wins over an alias ("https://host").
 * Pure; throws DeliveryError(ModelFetchFailed) naming the Secret when the JSON is malformed.
 */
export function findRegistryCredential(dockerConfigJson: string, registry: string, secretName: string): RegistryCredential | undefined {
  let parsed: z.infer<typeof DockerConfig>;
  try {
    parsed = DockerConfig.parse(JSON.parse(dockerConfigJson));
  } catch {
    // No cause: JSON.parse's message quotes the text, which holds the passwords.
    throw new DeliveryError(R.Failed, `the ${CredentialKeys.dockerConfigJson} key of Secret ${secretName} is not a docker config ({"auths": {"<registry>": {"auth": "<base64 user:password>"}}})`);
  }
  const auths = Object.entries(parsed.auths ?? {});
  const wanted = registryHostOf(registry);
  const match = auths.find(([key]) => key === registry) ?? auths.find(([key]) => registryHostOf(key) === wanted);
  if (match === undefined) return undefined;
  const [, entry] = match;
  let { username, password } = entry;
  if (entry.auth !== undefined && entry.auth !== "") {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon === -1) throw new DeliveryError(R.Failed, `the ${CredentialKeys.dockerConfigJson} entry for ${match[0]} in Secret ${secretName} has an "auth" that is not base64("user:password")`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  const credential: RegistryCredential = {
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(entry.identitytoken ? { identityToken: entry.identitytoken } : {}),
  };
  return Object.keys(credential).length === 0 ? undefined : credential;
}

/** The Secret's credential for `registry` and its description for messages. */
export function resolveRegistryCredential(credentials: StorageCredentials, registry: string): ResolvedCredential {
  const secret = credentials.secretName;
  if (secret === undefined) return { described: describeCredentials(credentials) };
  const json = credentials.get(CredentialKeys.dockerConfigJson);
  if (json === undefined) return { described: `anonymously (Secret ${secret} has no ${CredentialKeys.dockerConfigJson} key)` };
  const credential = findRegistryCredential(json, registry, secret);
  if (credential === undefined) return { described: `anonymously (the ${CredentialKeys.dockerConfigJson} of Secret ${secret} has no entry for ${registry})` };
  return { credential, described: describeCredentials(credentials) };
}
