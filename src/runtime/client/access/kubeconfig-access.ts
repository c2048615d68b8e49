// Cluster access from the current context of kubeconfig files, for the credentials most
// kubeconfigs hold: bearer token (inline or file), client certificate, basic auth, impersonation.
import { ClusterAccessError, type AccessOptions, type ClusterAccess } from "./types.ts";
import { missing, text, type Entry, type KubeconfigSelection } from "./kubeconfig-file.ts";
import { RefreshingFile } from "./refreshing-file.ts";

/**
 * Why @kubernetes/client-node must serve this context (an exec plugin, an auth-provider, a proxy),
 * or undefined when {@link kubeconfigAccess} can.
 */
export function needsClientNode(selection: KubeconfigSelection): string | undefined {
  const { cluster, user } = selection;
  if (user?.fields.exec !== undefined && user.fields.exec !== null) return `the exec plugin of user "${user.name}"`;
  if (user?.fields["auth-provider"] !== undefined && user.fields["auth-provider"] !== null) return `the auth-provider of user "${user.name}"`;
  if (text(cluster, "proxy-url") !== undefined) return `the proxy-url of cluster "${cluster.name}"`;
  return undefined;
}

/**
 * Access for a context {@link needsClientNode} accepts. Like kubectl, inline data wins over a
 * file and a token over a token file; files are re-read once a minute. Throws ClusterAccessError.
 */
export function kubeconfigAccess(selection: KubeconfigSelection, now: () => number = Date.now): ClusterAccess {
  const { cluster, user, context } = selection;
  const server = serverUrl(cluster);
  const ca = material(cluster, "certificate-authority", "CA file", now);
  const insecure = cluster.fields["insecure-skip-tls-verify"] === true;
  const servername = text(cluster, "tls-server-name");
  const credentials = user === undefined ? () => Promise.resolve({}) : userCredentials(user, now);
  const namespace = text(context, "namespace");
  return {
    server,
    ...(namespace === undefined ? {} : { namespace }),
    source: `the context "${context.name}" of ${selection.files.join(", ")}`,
    async requestOptions(): Promise<AccessOptions> {
      const options: AccessOptions = await credentials();
      if (ca !== undefined) options.ca = await ca();
      if (insecure) options.rejectUnauthorized = false;
      if (servername !== undefined) options.servername = servername;
      return options;
    },
  };
}

function serverUrl(cluster: Entry): URL {
  const server = text(cluster, "server") ?? "";
  let url: URL;
  try {
    url = new URL(server);
  } catch (error) {
    throw new ClusterAccessError(`The server of cluster "${cluster.name}" in ${cluster.file} is not a URL`, { cause: error });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ClusterAccessError(`The server of cluster "${cluster.name}" in ${cluster.file} is not an http(s) URL`);
  }
  return url;
}

function userCredentials(user: Entry, now: () => number): () => Promise<AccessOptions> {
  const token = bearerToken(user, now);
  const cert = material(user, "client-certificate", "client certificate file", now);
  const key = material(user, "client-key", "client key file", now);
  if ((cert === undefined) !== (key === undefined)) {
    throw missing(user, "user", cert === undefined ? "client-certificate or client-certificate-data" : "client-key or client-key-data");
  }
  const username = text(user, "username");
  const auth = username === undefined ? undefined : `${username}:${text(user, "password") ?? ""}`;
  const impersonation: Record<string, string | string[]> = {};
  const as = text(user, "as");
  if (as !== undefined) impersonation["Impersonate-User"] = as;
  const groups = user.fields["as-groups"];
  if (Array.isArray(groups) && groups.length > 0) impersonation["Impersonate-Group"] = groups.map(String);
  const uid = text(user, "as-uid");
  if (uid !== undefined) impersonation["Impersonate-Uid"] = uid;
  return async () => {
    const headers = { ...impersonation };
    if (token !== undefined) headers.Authorization = `Bearer ${await token()}`;
    return {
      headers,
      ...(auth === undefined ? {} : { auth }),
      ...(cert === undefined || key === undefined ? {} : { cert: await cert(), key: await key() }),
    };
  };
}

function bearerToken(user: Entry, now: () => number): (() => Promise<string>) | undefined {
  const inline = text(user, "token");
  if (inline !== undefined) return () => Promise.resolve(inline);
  // kubectl writes tokenFile; @kubernetes/client-node reads token-file.
  const path = text(user, "tokenFile") ?? text(user, "token-file");
  if (path === undefined) return undefined;
  const file = new RefreshingFile(path, `token file of user "${user.name}"`, now);
  return async () => {
    const token = await file.text();
    if (token === "") throw new ClusterAccessError(`The token file ${path} of user "${user.name}" is empty`);
    return token;
  };
}

/** `<field>-data` (base64, wins) or the file `<field>`, or undefined when neither is set. */
function material(entry: Entry, field: string, what: string, now: () => number): (() => Promise<Buffer>) | undefined {
  const data = text(entry, `${field}-data`);
  if (data !== undefined) {
    const decoded = Buffer.from(data, "base64");
    return () => Promise.resolve(decoded);
  }
  const path = text(entry, field);
  if (path === undefined) return undefined;
  const file = new RefreshingFile(path, `${what} of "${entry.name}"`, now);
  return () => file.read();
}
