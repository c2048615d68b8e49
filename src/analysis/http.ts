// One HTTP exchange with a metrics source (an agent's metrics port, Prometheus), bounded in time
// and size. undici, so the operator can share one connection pool (dispatcher) for all of them.
import { request, type Dispatcher } from "undici";
import { MetricsSourceError } from "./errors.ts";

export interface HttpOptions {
  readonly method?: "GET" | "POST";
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** The whole exchange, connect to last byte. */
  readonly timeoutMs: number;
  /** Larger answers are cut off and fail. */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
}

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/**
 * Sends the request and reads the whole answer (any status). Throws MetricsSourceError when
 * there is no answer within `timeoutMs`, the connection fails, the body exceeds `maxBytes`, or
 * `signal` aborts.
 */
export async function exchange(url: string, options: HttpOptions): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  try {
    const res = await request(url, {
      method: options.method ?? "GET",
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
      signal,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > options.maxBytes) {
        res.body.destroy();
        throw new MetricsSourceError(`answer larger than ${options.maxBytes} bytes`);
      }
      chunks.push(buffer);
    }
    const type = res.headers["content-type"];
    return { status: res.statusCode, contentType: (Array.isArray(type) ? type[0] : type) ?? "", text: Buffer.concat(chunks).toString("utf8") };
  } catch (error) {
    if (error instanceof MetricsSourceError) throw error;
    const why = timeout.aborted ? `no answer within ${options.timeoutMs} ms` : options.signal?.aborted === true ? "aborted" : "request failed";
    throw new MetricsSourceError(`${options.method ?? "GET"} ${url}: ${why}`, { cause: error });
  }
}
