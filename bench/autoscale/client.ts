// The benchmark's inference requests (the iris rows of the trained model) over undici, each
// answer checked: status 200 and the trained model's predictions in the body.
import { Pool } from "undici";
import type { IrisRepository } from "./iris-model.ts";
import { INFER_PATH } from "./iris-model.ts";

const COLD_START_HEADER = "x-mdo-cold-start";
/** Backstop for a request that never answers: above the activator's own cold-start timeout. */
const REQUEST_TIMEOUT_MS = 120_000;

export interface Answer {
  /** 0 when the request failed before any answer (connection error). */
  readonly status: number;
  /** The trained model's predictions were in the body. */
  readonly correct: boolean;
  /** The x-mdo-cold-start header, when the answer carried one. */
  readonly coldStartMs: number | undefined;
  /** performance.now() when the request was sent and when its answer's body had ended. */
  readonly sentAt: number;
  readonly endAt: number;
  readonly error: string | undefined;
}

export class InferClient {
  private readonly pool: Pool;
  private readonly host: string | undefined;
  private readonly repo: IrisRepository;

  /** `host`: the Host header to send (the activator's target); default the origin's. */
  constructor(origin: string, repo: IrisRepository, options: { connections: number; host?: string }) {
    this.pool = new Pool(origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
    this.host = options.host;
    this.repo = repo;
  }

  async infer(): Promise<Answer> {
    const sentAt = performance.now();
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.host !== undefined) headers.host = this.host;
    try {
      const answer = await this.pool.request({ path: INFER_PATH, method: "POST", headers, body: this.repo.body });
      const text = await answer.body.text();
      const endAt = performance.now();
      const header = answer.headers[COLD_START_HEADER];
      const correct = answer.statusCode === 200 && this.repo.correct(text);
      return {
        status: answer.statusCode,
        correct,
        coldStartMs: typeof header === "string" ? Number(header) : undefined,
        sentAt,
        endAt,
        error: correct ? undefined : `status ${answer.statusCode}: ${text.slice(0, 200)}`,
      };
    } catch (error) {
      return { status: 0, correct: false, coldStartMs: undefined, sentAt, endAt: performance.now(), error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
