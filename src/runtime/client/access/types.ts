// How the client reaches the API server: its URL, and the TLS options and headers of each request.
import type { RequestOptions } from "node:https";

/** What a request to the API server needs besides its method, path and body. */
export type AccessOptions = Pick<RequestOptions, "ca" | "cert" | "key" | "rejectUnauthorized" | "servername" | "auth"> & {
  /** Authorization and impersonation headers. */
  headers?: Record<string, string | string[]>;
  /** Only when the connection must go through a proxy; otherwise the transport's keep-alive agent is used. */
  agent?: RequestOptions["agent"];
};

/**
 * The API server and the credentials of one kubeconfig context or of the pod's service account.
 * `requestOptions` is called before every request: credentials kept in files (rotated tokens,
 * certificates) are re-read there, at most once a minute.
 */
export interface ClusterAccess {
  readonly server: URL;
  /** The context's namespace (or the pod's, in cluster), for commands that default to it. */
  readonly namespace?: string;
  /** Where the access came from (a file, "in-cluster"), for log lines; never a credential. */
  readonly source: string;
  requestOptions(): Promise<AccessOptions>;
}

/**
 * Cluster access could not be loaded or a credential could not be read. Messages name the file
 * and the field; they never contain a token, a key or a password.
 */
export class ClusterAccessError extends Error {
  override readonly name = "ClusterAccessError";
}
