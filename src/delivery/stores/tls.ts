// Trust for stores reached over TLS: the system's roots plus the storage Secret's ca.crt, if any.
import { rootCertificates } from "node:tls";
import { CredentialKeys } from "../store.ts";
import type { StorageCredentials } from "../store.ts";

/** CA certificates to trust, or undefined (system roots only) when the Secret has no ca.crt. */
export function trustedCas(credentials: StorageCredentials): string[] | undefined {
  const extra = credentials.get(CredentialKeys.caCert);
  return extra === undefined ? undefined : [...rootCertificates, extra];
}
