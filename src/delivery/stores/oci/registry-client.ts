// GETs under https://<registry>/v2/<repository>/ with the repository's authorization: a 401
// is answered once (RegistryAuth), and every other failure becomes a DeliveryError naming what
// was asked for and quoting the registry's own error code and message.
import { DeliveryError, DeliveryFailureReasons as R } from "../../errors.ts";
import { CredentialKeys, type StorageCredentials } from "../../store.ts";
import { RegistryAuth } from "./auth.ts";
import { resolveRegistryCredential } from "./docker-config.ts";
import type { OciReference } from "./reference.ts";
import { HttpsTransport, type HttpResponse, type ResponseBody } from "./transport.ts";

/** How much of an error body is read for the registry's words. */
const ERROR_BODY_LIMIT = 8192;

/**
 * The DeliveryError for a failed response about `subject` ("the manifest of r/m:v1"). Pure.
 * 401/403 → AccessDenied (via `denied`, which names the Secret); 404 → NotFound; 408, 429 and
 * 5xx → Unreachable, retryable; anything else → Failed. `words` is the registry's explanation.
 */
export function statusError(status: number, subject: string, words: string | undefined, denied: (detail: string) => DeliveryError): DeliveryError {
  const said = words === undefined ? "" : ` (${words})`;
  if (status === 401 || status === 403) return denied(said);
  if (status === 404) return new DeliveryError(R.NotFound, `${subject} does not exist${said}`);
  if (status === 408 || status === 429 || status >= 500) {
    return new DeliveryError(R.Unreachable, `the registry answered ${status} for ${subject}${said}`, { retryable: true });
  }
  return new DeliveryError(R.Failed, `the registry answered ${status} for ${subject}${said}`);
}

/** "CODE: message" of the first error in a distribution error body ({"errors": [...]}), or undefined. Pure. */
export function registryWords(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: unknown; message?: unknown }[] };
    const first = parsed.errors?.[0];
    if (first === undefined) return undefined;
    const parts = [first.code, first.message].filter((p): p is string => typeof p === "string" && p !== "");
    return parts.length === 0 ? undefined : parts.join(": ").slice(0, 300);
  } catch {
    return undefined;
  }
}

async function readErrorBody(body: ResponseBody): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= ERROR_BODY_LIMIT) break;
    }
  } catch {
    // The status says enough; the body was only a detail.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A registry seen from one repository. `close()` releases its connections. */
export class RegistryClient {
  private readonly transport: HttpsTransport;
  private readonly auth: RegistryAuth;
  private readonly base: URL;

  constructor(ref: OciReference, credentials: StorageCredentials, userAgent: string) {
    const ca = credentials.get(CredentialKeys.caCert);
    this.transport = new HttpsTransport({ userAgent, ...(ca === undefined ? {} : { ca }) });
    this.auth = new RegistryAuth(this.transport, ref.repository, resolveRegistryCredential(credentials, ref.registry));
    this.base = new URL(`https://${ref.registry}/v2/${ref.repository}/`);
  }

  /**
   * GETs `path` (relative to /v2/<repository>/) and returns a 2xx response, its body unread.
   * Throws DeliveryError as {@link statusError} says, or as the transport classifies a
   * connection failure; a second 401 after answering the challenge is AccessDenied.
   */
  async get(path: string, headers: Readonly<Record<string, string>>, subject: string, signal: AbortSignal): Promise<HttpResponse> {
    const url = new URL(path, this.base);
    let authorization = this.auth.current();
    for (let attempt = 0; ; attempt++) {
      const response = await this.transport.send(url, { headers, signal, what: `fetching ${subject}`, ...(authorization === undefined ? {} : { authorization }) });
      if (response.status >= 200 && response.status < 300) return response;
      // A 401 from the registry asks for credentials; from where it redirected to, it does not.
      if (response.status === 401 && attempt === 0 && response.url.origin === this.base.origin) {
        await response.body.dump().catch(() => undefined);
        authorization = await this.auth.renew(response.headers["www-authenticate"], authorization, subject, signal);
        continue;
      }
      const said = registryWords(await readErrorBody(response.body));
      const redirected = response.url.origin !== this.base.origin;
      const words = redirected ? `from ${response.url.host}, where the registry redirected${said === undefined ? "" : `: ${said}`}` : said;
      throw statusError(response.status, subject, words, (detail) => this.auth.denied(subject, detail));
    }
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
