// Sends the benchmark's inference requests over one keep-alive undici pool and checks each answer
// (status 200 and the stand-in's full body), so a proxy that fails fast cannot look fast.
import { Pool } from "undici";
import { BODY_BYTES } from "./synthetic.ts";

const HEADERS = { "content-type": "application/json" };
/** Backstop for a request that never answers; far above any latency the benchmark expects. */
const REQUEST_TIMEOUT_MS = 10_000;

export class InferSender {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly bodies: readonly Buffer[];
  firstError: string | undefined;

  constructor(origin: string, path: string, connections: number, bodies: readonly Buffer[]) {
    this.pool = new Pool(origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
    this.path = path;
    this.bodies = bodies;
  }

  /** Sends request number `i` (its body is bodies[i mod n]); resolves true if it was answered correctly. */
  async send(i: number): Promise<boolean> {
    try {
      const answer = await this.pool.request({ path: this.path, method: "POST", headers: HEADERS, body: this.bodies[i % this.bodies.length]! });
      const body = await answer.body.arrayBuffer();
      if (answer.statusCode === 200 && body.byteLength === BODY_BYTES) return true;
      this.firstError ??= `status ${answer.statusCode}, ${body.byteLength} bytes: ${Buffer.from(body).toString("utf8", 0, 200)}`;
    } catch (error) {
      this.firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    return false;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
