// The model server client of `mdo batch run`: POST {modelUrl}/v2/models/{name}/infer over a
// pool of `concurrency` keep-alive connections. Every failure is an InferenceError whose kind
// says whether to retry (see v2.ts); the run's abort signal cancels calls in flight.
import { Agent, request } from "undici";
import { InferenceError } from "./errors.ts";
import type { FeatureRow } from "./features.ts";
import { classifyNetworkError, classifyStatus, predictionsOf, v2BodyText, type Prediction } from "./v2.ts";

/** What the run needs of a model server: predictions for feature rows, one per row. */
export interface InferenceClient {
  infer(rows: readonly FeatureRow[], signal: AbortSignal): Promise<Prediction[]>;
  close(): Promise<void>;
}

export interface V2ClientOptions {
  readonly modelUrl: string;
  readonly modelName: string;
  readonly connections: number;
  /** No answer (headers, or body progress) within this long is a transient timeout. */
  readonly timeoutMs: number;
}

export class V2Client implements InferenceClient {
  readonly #url: string;
  readonly #agent: Agent;

  constructor(options: V2ClientOptions) {
    this.#url = `${options.modelUrl.replace(/\/+$/, "")}/v2/models/${encodeURIComponent(options.modelName)}/infer`;
    this.#agent = new Agent({ connections: options.connections, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
  }

  async infer(rows: readonly FeatureRow[], signal: AbortSignal): Promise<Prediction[]> {
    let status: number;
    let text: string;
    try {
      const response = await request(this.#url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: v2BodyText(rows),
        dispatcher: this.#agent,
        signal,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      if (signal.aborted) throw error;
      throw new InferenceError(classifyNetworkError(error), `Calling ${this.#url} failed: ${(error as Error).message}`, { cause: error });
    }
    if (status !== 200) {
      throw new InferenceError(classifyStatus(status), `HTTP ${status}: ${errorText(text)}`, { status });
    }
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch (error) {
      throw new InferenceError("fatal", `The model server answered invalid JSON: ${text.slice(0, 200)}`, { cause: error });
    }
    return predictionsOf(answer, rows.length);
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

/** The `error` of a V2 error body, else the body's start. */
function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === "object" && parsed !== null && "error" in parsed && typeof parsed.error === "string") return parsed.error.slice(0, 500);
  } catch {
    // Not JSON: the text itself.
  }
  return body.slice(0, 500);
}
