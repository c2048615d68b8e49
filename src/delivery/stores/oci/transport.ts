// HTTPS to a registry and to wherever it redirects blob downloads (object storage, a CDN).
// Only https:// is spoken, as for every model store: nothing else would protect the model and
// the credentials in transit. The Secret's ca.crt is trusted in addition to the default roots.
import type { IncomingHttpHeaders } from "node:http";
import { getCACertificates } from "node:tls";
import { Agent, request, type Dispatcher } from "undici";
import { classifyError } from "../../classify.ts";
import { DeliveryError, DeliveryFailureReasons as R } from "../../errors.ts";

export type ResponseBody = Dispatcher.ResponseData["body"];

/** A response whose body the caller must consume, `dump()` or destroy. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: ResponseBody;
  /** The URL that answered, after redirects. */
  readonly url: URL;
}

export interface HttpRequest {
  readonly method?: "GET" | "POST";
  readonly headers?: Readonly<Record<string, string>>;
  /** The Authorization value; sent only to the origin of the requested URL, never to a redirect's other host. */
  readonly authorization?: string;
  readonly body?: string;
  readonly signal: AbortSignal;
  /** What the request is for, completing "TLS failed while …" ("fetching the manifest of r/m:v1"). */
  readonly what: string;
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The first value of a response header. Pure. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** One connection pool per store; `close()` it when the store is done (idle sockets do not hold the process). */
export class HttpsTransport {
  private readonly agent: Agent;
  private readonly userAgent: string;

  /** `ca`: a PEM bundle trusted besides Node's default roots (the Secret's ca.crt). */
  constructor(options: { readonly ca?: string; readonly userAgent: string }) {
    this.userAgent = options.userAgent;
    this.agent = new Agent(options.ca === undefined ? {} : { connect: { ca: [...getCACertificates("default"), options.ca] } });
  }

  /**
   * Sends the request; a GET follows up to 5 redirects (other methods return the 3xx).
   * Throws DeliveryError: connection and TLS failures as classified by classifyError
   * (aborts pass through unchanged), a redirect to plain http:// or a broken Location as Failed.
   */
  async send(url: URL, init: HttpRequest): Promise<HttpResponse> {
    const method = init.method ?? "GET";
    let current = url;
    for (let hop = 0; ; hop++) {
      if (current.protocol !== "https:") {
        throw new DeliveryError(R.Failed, `${init.what}: the registry sent the download to ${current.origin}; only https:// is followed`);
      }
      const headers: Record<string, string> = { "user-agent": this.userAgent, ...init.headers };
      if (init.authorization !== undefined && current.origin === url.origin) headers.authorization = init.authorization;
      let response: Dispatcher.ResponseData;
      try {
        response = await request(current, { dispatcher: this.agent, method, headers, body: init.body ?? null, signal: init.signal });
      } catch (error) {
        throw certificateError(error, init.what) ?? classifyError(error, init.what);
      }
      const location = headerValue(response.headers, "location");
      if (method !== "GET" || !REDIRECT_STATUSES.has(response.statusCode) || location === undefined) {
        return { status: response.statusCode, headers: response.headers, body: response.body, url: current };
      }
      await response.body.dump().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) throw new DeliveryError(R.Failed, `${init.what}: more than ${MAX_REDIRECTS} redirects`);
      current = resolveLocation(location, current, init.what);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/**
 * OpenSSL verification failures whose codes do not say CERT (which classifyError recognises):
 * the usual one for a registry signed by a private CA is UNABLE_TO_VERIFY_LEAF_SIGNATURE.
 */
const CERTIFICATE_CODES = new Set(["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "HOSTNAME_MISMATCH", "INVALID_CA", "INVALID_PURPOSE", "PATH_LENGTH_EXCEEDED"]);

/** Unreachable (not retryable: a CA is missing, waiting will not help) for those, else undefined. */
function certificateError(error: unknown, what: string): DeliveryError | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string" || !CERTIFICATE_CODES.has(code)) return undefined;
  return new DeliveryError(R.Unreachable, `TLS failed while ${what}: the server's certificate is not trusted (${code}); put the registry's CA certificate in the storage Secret under ca.crt`, { cause: error });
}

function resolveLocation(location: string, base: URL, what: string): URL {
  try {
    return new URL(location, base);
  } catch (error) {
    throw new DeliveryError(R.Failed, `${what}: the registry redirected to an invalid URL`, { cause: error });
  }
}
