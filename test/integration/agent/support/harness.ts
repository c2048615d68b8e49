// A fake model server with a real in-process agent in front of it, and a plain HTTP client
// (node:http, so tests can send any header, chunked bodies, and observe timing).
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import { startAgent, type AgentOptions, type RunningAgent } from "../../../../src/agent/agent.ts";
import type { AgentConfig } from "../../../../src/agent/config.ts";
import { createLogger } from "../../../../src/runtime/logging.ts";
import { agentConfig } from "./agent-fixture.ts";
import { FakeModelServer } from "./fake-model-server.ts";

export interface Pair {
  readonly fake: FakeModelServer;
  readonly agent: RunningAgent;
  readonly config: AgentConfig;
  close(): Promise<void>;
}

export async function startPair(overrides: Partial<AgentConfig> = {}, options: AgentOptions = {}): Promise<Pair> {
  const fake = await new FakeModelServer().start();
  const config = await agentConfig(fake.port, overrides);
  const agent = await startAgent(config, { logger: createLogger({ silent: true }), processMetrics: false, ...options });
  return {
    fake, agent, config,
    close: async () => {
      await agent.stop();
      await fake.kill();
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Milliseconds from sending to the end of the answer. */
  readonly ms: number;
}

export interface SendOptions {
  readonly method?: string;
  readonly headers?: OutgoingHttpHeaders;
  /** A string is sent with Content-Length; an array is sent chunked, one write per element. */
  readonly body?: string | readonly string[];
}

/** One request on a fresh connection; resolves with the complete answer. */
export function send(url: string, path: string, options: SendOptions = {}): Promise<Answer> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const body = options.body;
    const req = httpRequest(`${url}${path}`, {
      method: options.method ?? (body === undefined ? "GET" : "POST"),
      agent: false,
      headers: {
        ...(typeof body === "string" && { "content-length": Buffer.byteLength(body) }),
        ...options.headers,
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - start }));
      res.on("error", reject);
    });
    // A server that answers early (413) may close before the whole body is written.
    req.on("error", reject);
    if (typeof body === "string") req.end(body);
    else if (body !== undefined) {
      for (const part of body) req.write(part);
      req.end();
    } else req.end();
  });
}
