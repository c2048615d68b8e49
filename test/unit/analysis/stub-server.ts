// A node:http server on 127.0.0.1 answering from a function, for HTTP-level unit tests.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StubAnswer {
  status?: number;
  body: string;
  delayMs?: number;
}

export interface Stub {
  readonly url: string;
  readonly requests: { method: string; path: string; body: string }[];
  close(): Promise<void>;
}

export async function startStub(answer: (req: { method: string; path: string; body: string }) => StubAnswer): Promise<Stub> {
  const requests: { method: string; path: string; body: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen = { method: req.method ?? "", path: req.url ?? "/", body: Buffer.concat(chunks).toString("utf8") };
      requests.push(seen);
      const a = answer(seen);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(a.status ?? 200, { "content-type": "application/json" });
        res.end(a.body);
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
