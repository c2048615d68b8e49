import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from "node:https";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import type { ClusterAccess } from "./access/types.ts";
import { ApiError, type StatusBody } from "./api-error.ts";

export type Verb = "GET" | "LIST" | "WATCH" | "APPLY" | "PATCH" | "POST" | "PUT" | "DELETE";

export interface TransportHooks {
  /** Waits for a client-side rate-limit token; called before every request except watches. */
  throttle?: (signal?: AbortSignal) => Promise<void>;
  /** Called once per finished request; code 0 means no HTTP answer. */
  onResponse?: (verb: Verb, code: number, durationMs: number) => void;
}

export interface RequestSpec {
  verb: Verb;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

const MAX_429_RETRIES = 5;

/**
 * HTTP to the API server with the credentials of a ClusterAccess, over one keep-alive agent.
 * Client-side rate limiting is delegated to `hooks.throttle`; a 429 is retried after its
 * Retry-After (at most 5 times). Errors are `ApiError`s (status 0 when there was no answer).
 */
export class KubeTransport {
  private readonly access: ClusterAccess;
  private readonly hooks: TransportHooks;
  private readonly server: URL;
  /** The server URL's path without its last slash ("" mostly; "/k8s/clusters/c-1" behind Rancher). */
  private readonly basePath: string;
  private readonly agent: HttpsAgent | HttpAgent;

  constructor(access: ClusterAccess, hooks: TransportHooks = {}) {
    this.access = access;
    this.hooks = hooks;
    this.server = access.server;
    this.basePath = access.server.pathname.replace(/\/+$/, "");
    this.agent = this.server.protocol === "https:"
      ? new HttpsAgent({ keepAlive: true, maxSockets: 64 })
      : new HttpAgent({ keepAlive: true, maxSockets: 64 });
  }

  /** Sends one request and parses the JSON answer. */
  async request<T>(spec: RequestSpec): Promise<T> {
    const text = await this.text(spec);
    return (text === "" ? {} : JSON.parse(text)) as T;
  }

  /** Sends one request and returns the answer's body as text (pod logs are not JSON). */
  async text(spec: RequestSpec): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      await this.hooks.throttle?.(spec.signal);
      const started = performance.now();
      const res = await this.send(spec).catch((error: unknown) => {
        this.hooks.onResponse?.(spec.verb, 0, performance.now() - started);
        throw new ApiError(0, `${spec.verb} ${spec.path}: ${(error as Error).message}`, { cause: error });
      });
      const text = await readBody(res);
      const code = res.statusCode ?? 0;
      this.hooks.onResponse?.(spec.verb, code, performance.now() - started);
      if (code === 429 && attempt < MAX_429_RETRIES) {
        await delay(retryAfterMs(res), spec.signal);
        continue;
      }
      if (code < 200 || code >= 300) throw errorFrom(spec, code, text);
      return text;
    }
  }

  /**
   * Opens a watch and feeds each decoded event to `onEvent` until the server closes the
   * stream (resolves), the signal aborts (resolves), no byte arrives for `idleTimeoutMs`
   * (rejects: silent connection), or the request fails (rejects with ApiError).
   */
  async stream(spec: RequestSpec, onEvent: (event: unknown) => void, idleTimeoutMs: number): Promise<void> {
    const started = performance.now();
    const res = await this.send(spec).catch((error: unknown) => {
      this.hooks.onResponse?.("WATCH", 0, performance.now() - started);
      throw new ApiError(0, `WATCH ${spec.path}: ${(error as Error).message}`, { cause: error });
    });
    const code = res.statusCode ?? 0;
    this.hooks.onResponse?.("WATCH", code, performance.now() - started);
    if (code !== 200) throw errorFrom(spec, code, await readBody(res));
    await new Promise<void>((resolve, reject) => {
      let idle: NodeJS.Timeout | undefined;
      let pending = "";
      const arm = (): void => {
        clearTimeout(idle);
        idle = setTimeout(() => res.destroy(new ApiError(0, `WATCH ${spec.path}: no data for ${idleTimeoutMs} ms`)), idleTimeoutMs);
      };
      const settle = (error?: Error): void => {
        clearTimeout(idle);
        if (error === undefined || spec.signal?.aborted) resolve();
        else reject(error instanceof ApiError ? error : new ApiError(0, `WATCH ${spec.path}: ${error.message}`, { cause: error }));
      };
      arm();
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        arm();
        pending += chunk;
        let newline: number;
        while ((newline = pending.indexOf("\n")) >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line !== "") onEvent(JSON.parse(line));
        }
      });
      res.once("end", () => settle());
      res.once("error", (error) => settle(error));
      res.once("close", () => {
        if (!res.complete) settle(new Error("stream closed before it ended"));
      });
    });
  }

  private async send(spec: RequestSpec): Promise<IncomingMessage> {
    const url = new URL(this.basePath + spec.path, this.server);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const { headers, agent, ...tls } = await this.access.requestOptions();
    const options: RequestOptions = { ...tls, method: methodOf(spec.verb), headers: { Accept: "application/json", ...headers }, agent: agent ?? this.agent };
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    if (body !== undefined) {
      // Content-Length always: Node frames DELETE bodies neither chunked nor by length otherwise,
      // and the server would read the body as the next request on the kept-alive connection.
      options.headers = { ...options.headers, "Content-Type": spec.contentType ?? "application/json", "Content-Length": Buffer.byteLength(body) };
    }
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(url, { ...options, signal: spec.signal }, resolve);
      req.once("error", reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function methodOf(verb: Verb): string {
  switch (verb) {
    case "LIST":
    case "WATCH":
      return "GET";
    case "APPLY":
      return "PATCH";
    default:
      return verb;
  }
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => (text += chunk));
    res.once("end", () => resolve(text));
    res.once("error", reject);
  });
}

function errorFrom(spec: RequestSpec, code: number, text: string): ApiError {
  let body: StatusBody | undefined;
  try {
    body = JSON.parse(text) as StatusBody;
  } catch {
    body = undefined;
  }
  const message = body?.message ?? (text.slice(0, 300) || `HTTP ${code}`);
  return new ApiError(code, `${spec.verb} ${spec.path}: ${message}`, { body });
}

function retryAfterMs(res: IncomingMessage): number {
  const seconds = Number(res.headers["retry-after"]);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : 1000;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
