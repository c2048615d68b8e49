// Answers a registry's 401 challenge for one repository (distribution token auth):
//   Basic  → the Secret's user and password;
//   Bearer → a token from the challenge's realm for scope repository:<repo>:pull, requested with
//            GET (basic credentials when the Secret has them, anonymous otherwise) or, for an
//            identity token, with POST grant_type=refresh_token (the OAuth2 flow of the token spec).
// The Authorization found is kept and sent with every later request of the repository until a
// 401 asks again (an expired token). Credentials and tokens never appear in messages.
import { DeliveryError, DeliveryFailureReasons as R } from "../../errors.ts";
import { chooseChallenge, parseChallenges, type Challenge } from "./challenge.ts";
import type { RegistryCredential, ResolvedCredential } from "./docker-config.ts";
import type { HttpsTransport } from "./transport.ts";

/** Sent as client_id to OAuth2 token endpoints. */
const CLIENT_ID = "mdo";

/** The token request for a Bearer challenge, without its secret parts when it is a GET. Pure. */
export function tokenRequest(challenge: Challenge, repository: string, credential: RegistryCredential | undefined): { url: URL; form?: URLSearchParams } {
  const url = new URL(challenge.params.realm ?? "");
  const scopes = [`repository:${repository}:pull`];
  const asked = challenge.params.scope;
  if (asked !== undefined && asked !== "" && !scopes.includes(asked)) scopes.push(asked);
  const service = challenge.params.service;
  if (credential?.identityToken !== undefined) {
    const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: credential.identityToken, client_id: CLIENT_ID, scope: scopes.join(" ") });
    if (service !== undefined) form.set("service", service);
    return { url, form };
  }
  if (service !== undefined) url.searchParams.set("service", service);
  for (const scope of scopes) url.searchParams.append("scope", scope);
  return { url };
}

function basic(credential: RegistryCredential | undefined): string | undefined {
  if (credential?.username === undefined || credential.password === undefined) return undefined;
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
}

/** Authorization for one repository of one registry; shared by every request of a store. */
export class RegistryAuth {
  private readonly transport: HttpsTransport;
  private readonly repository: string;
  private readonly resolved: ResolvedCredential;
  private authorization: string | undefined;
  private renewal: Promise<string> | undefined;

  constructor(transport: HttpsTransport, repository: string, resolved: ResolvedCredential) {
    this.transport = transport;
    this.repository = repository;
    this.resolved = resolved;
  }

  /** The Authorization to send (undefined until a registry asks: anonymous first). */
  current(): string | undefined {
    return this.authorization;
  }

  /** "… was denied with Secret x" (or why anonymously): the AccessDenied error for `subject`. */
  denied(subject: string, detail = ""): DeliveryError {
    return new DeliveryError(R.AccessDenied, `access to ${subject} was denied ${this.resolved.described}${detail}`);
  }

  /**
   * The Authorization to retry with after `rejected` (what the failed request sent) met a 401
   * carrying `wwwAuthenticate`. Concurrent callers share one renewal. Throws DeliveryError:
   * AccessDenied when the challenge cannot be answered or the token realm refuses the
   * credentials; Unreachable (retryable) when the realm fails with 5xx or 429.
   */
  async renew(wwwAuthenticate: string | readonly string[] | undefined, rejected: string | undefined, subject: string, signal: AbortSignal): Promise<string> {
    if (this.authorization !== undefined && this.authorization !== rejected) return this.authorization;
    this.renewal ??= this.answer(wwwAuthenticate, subject, signal).finally(() => {
      this.renewal = undefined;
    });
    this.authorization = await this.renewal;
    return this.authorization;
  }

  private async answer(wwwAuthenticate: string | readonly string[] | undefined, subject: string, signal: AbortSignal): Promise<string> {
    const challenge = chooseChallenge(parseChallenges(wwwAuthenticate));
    if (challenge === undefined) throw this.denied(subject, " (the registry asked for no Basic or Bearer authentication)");
    const credential = this.resolved.credential;
    if (challenge.scheme === "basic") {
      const header = basic(credential);
      if (header === undefined) throw this.denied(subject, " (the registry asks for a user name and password)");
      return header;
    }
    let request: ReturnType<typeof tokenRequest>;
    try {
      request = tokenRequest(challenge, this.repository, credential);
    } catch (error) {
      throw new DeliveryError(R.Failed, `the registry's token realm for ${subject} is not a URL`, { cause: error });
    }
    return `Bearer ${await this.fetchToken(request, credential, subject, signal)}`;
  }

  private async fetchToken(request: { url: URL; form?: URLSearchParams }, credential: RegistryCredential | undefined, subject: string, signal: AbortSignal): Promise<string> {
    const realm = request.url.origin + request.url.pathname;
    if (request.url.protocol !== "https:") throw new DeliveryError(R.Failed, `the registry's token service for ${subject} is ${realm}; only https:// token services are used`);
    const authorization = request.form === undefined ? basic(credential) : undefined;
    const response = await this.transport.send(request.url, {
      what: `getting a token from ${realm} for ${subject}`,
      signal,
      ...(request.form === undefined
        ? { method: "GET" as const, ...(authorization === undefined ? {} : { authorization }) }
        : { method: "POST" as const, headers: { "content-type": "application/x-www-form-urlencoded" }, body: request.form.toString() }),
    });
    if (response.status !== 200) {
      await response.body.dump().catch(() => undefined);
      const transient = response.status === 429 || response.status === 408 || response.status >= 500;
      if (transient) throw new DeliveryError(R.Unreachable, `the token service ${realm} answered ${response.status} for ${subject}`, { retryable: true });
      throw this.denied(subject, ` (the token service ${realm} answered ${response.status})`);
    }
    let body: { token?: unknown; access_token?: unknown };
    try {
      body = (await response.body.json()) as { token?: unknown; access_token?: unknown };
    } catch (error) {
      throw new DeliveryError(R.Failed, `the token service ${realm} answered ${subject}'s token request with something other than JSON`, { cause: error });
    }
    const token = typeof body.token === "string" && body.token !== "" ? body.token : body.access_token;
    if (typeof token !== "string" || token === "") throw new DeliveryError(R.Failed, `the token service ${realm} returned no token for ${subject}`);
    return token;
  }
}
