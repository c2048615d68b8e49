// A stand-in for a model server (MLServer's Open Inference Protocol v2 surface, a v1 :predict,
// an OpenAI-style streaming chat) on 127.0.0.1, recording what reached it.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export class FakeModelServer {
  /** Whether /v2/health/ready answers 200. */
  ready = true;
  /** Delay before answering inference requests. */
  delayMs = 0;
  /** The prediction for the sum of a request's inputs (a different model answers differently). */
  predict: (sum: number) => number = (sum) => sum;
  readonly received: ReceivedRequest[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** Connections that answered `/status?close=1` and are about to close. */
  private readonly closing = new Set<Socket>();
  /** Requests that arrived on a closing connection and were reset unanswered. */
  resetOnClosing = 0;
  port = 0;

  /** Inference calls that reached the server (health and metadata excluded). */
  get inferences(): number {
    return this.received.filter((r) => r.method === "POST").length;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens on `port` (0: any free one; a restart passes the previous port). */
  async start(port = this.port): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Stops at once, cutting open connections (a crash, as far as clients can tell). */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.closing.has(req.socket)) {
      // What uvicorn does to a request that reaches a connection it is closing: reset, unanswered.
      this.resetOnClosing++;
      req.socket.resetAndDestroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = req.url ?? "/";
    this.received.push({ method: req.method ?? "", url, headers: req.headers, body });
    const path = url.split("?")[0] ?? "/";
    if (path === "/v2/health/live") return json(res, 200, {});
    if (path === "/v2/health/ready") return json(res, this.ready ? 200 : 503, {});
    if (this.delayMs > 0 && req.method === "POST") await sleep(this.delayMs);
    if (res.destroyed) return;
    const infer = /^\/v2\/models\/([^/]+)(?:\/versions\/[^/]+)?\/infer$/.exec(path);
    if (infer !== null && req.method === "POST") return this.infer(res, infer[1] ?? "", body);
    if (path === "/v1/chat/completions" && req.method === "POST") return this.chat(res);
    if (path === "/reset") {
      // Half an answer, then the connection breaks.
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"partial":');
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    if (path === "/drop") {
      // The connection breaks before any answer.
      req.socket.resetAndDestroy();
      return;
    }
    if (path === "/echo") return json(res, 200, { method: req.method, headers: req.headers, body: body.toString("utf8") });
    if (path === "/status") {
      const query = new URLSearchParams(url.split("?")[1]);
      if (query.get("close") === "1") {
        // uvicorn after an unhandled error: a complete keep-alive answer, then (after logging the
        // traceback) the connection closes, without `Connection: close` to warn the client.
        const socket = req.socket;
        this.closing.add(socket);
        socket.once("close", () => this.closing.delete(socket));
        setTimeout(() => socket.destroy(), 200);
      }
      return json(res, Number(query.get("code") ?? 200), { answered: true });
    }
    json(res, 404, { error: `no route ${path}` });
  }

  private infer(res: ServerResponse, model: string, body: Buffer): void {
    let sum = 0;
    try {
      const request = JSON.parse(body.toString("utf8")) as { inputs?: { data?: number[] }[] };
      for (const input of request.inputs ?? []) for (const x of input.data ?? []) sum += x;
    } catch {
      return json(res, 400, { error: "invalid JSON" });
    }
    // `served` differs on every call, so a replayed answer is recognisable.
    json(res, 200, { model_name: model, outputs: [{ name: "sum", shape: [1], datatype: "FP64", data: [this.predict(sum)] }], served: this.received.length });
  }

  /** Three Server-Sent Events 100 ms apart, then [DONE]. */
  private async chat(res: ServerResponse): Promise<void> {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for (let i = 0; i < 3; i++) {
      res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: `token${i}` } }] })}\n\n`);
      await sleep(100);
    }
    res.end("data: [DONE]\n\n");
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
