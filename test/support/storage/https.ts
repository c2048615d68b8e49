// A static HTTPS file server for tests, in this process (node:https): serves the files under
// `root` at https://<host>:<port>/<relative path> with a certificate from a test CA made for it
// (src/sandbox/pki.ts; subjectAltName <host>, 127.0.0.1, localhost).
//
// Contract: GET and HEAD only (else 405). A path outside `root`, a directory or a missing file
// gets 404. Answers carry Content-Length, Accept-Ranges: bytes, ETag and Last-Modified. One
// range (`Range: bytes=a-b`, `bytes=a-`, `bytes=-n`) gets 206 with Content-Range; a range starting
// at or past the end gets 416 (Content-Range: bytes */<size>); several ranges, a malformed one or
// an If-Range that no longer matches get the whole file (200), as RFC 9110 allows. With
// `authorization`, paths under /private/ answer 401 unless the request's Authorization header is
// exactly that value (a bearer-token store).
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve, sep } from "node:path";
import { createPki, signCertificate } from "../../../src/sandbox/pki.ts";
import { createServerHome, sanFor, startedOrCleanedUp, type StorageServerOptions } from "./server-home.ts";

export interface ServedRequest {
  readonly method: string;
  readonly path: string;
  /** The Range header, when there was one. */
  readonly range: string | undefined;
  readonly status: number;
  /** Whether the request carried an Authorization header (its value is not kept). */
  readonly authorized: boolean;
}

export interface RunningHttpsServer {
  /** https://<host>:<port>, no trailing slash. */
  readonly url: string;
  /** PEM of the CA that signed the server's certificate. */
  readonly caCert: string;
  /** The same, as a file. */
  readonly caFile: string;
  /** Holds the certificates only; the files come from `root`. */
  readonly dir: string;
  /** Every request answered so far, in order (e.g. to check that a client resumed with a Range). */
  readonly requests: readonly ServedRequest[];
  /** Closes the server and every open connection, deletes the certificates. Idempotent. */
  stop(): Promise<void>;
}

export async function startHttpsServer(options: StorageServerOptions & { root: string; authorization?: string }): Promise<RunningHttpsServer> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((m: string) => console.log(`[https] ${m}`));
  const root = resolve(options.root);
  const home = await createServerHome("mdo-https-");
  return startedOrCleanedUp(home, async () => {
    const pki = await createPki(home.dir);
    const serving = await signCertificate(pki.dir, {
      name: "https", subject: "/CN=mdo-test-https", usage: "serverAuth", keyType: "ec",
      sans: [...new Set([sanFor(host), "IP:127.0.0.1", "DNS:localhost"])],
    });
    const requests: ServedRequest[] = [];
    const server = createServer({ cert: await readFile(serving.cert), key: await readFile(serving.key) }, (req, res) => {
      const denied = options.authorization !== undefined && (req.url ?? "").startsWith("/private/") && req.headers.authorization !== options.authorization;
      const answered = denied ? Promise.resolve(res.writeHead(401, { "content-length": 0, "www-authenticate": "Bearer" }).end()).then(() => 401) : serve(root, req, res);
      void answered.then((status) => requests.push({ method: req.method ?? "", path: req.url ?? "", range: req.headers.range, status, authorized: req.headers.authorization !== undefined }));
    });
    await new Promise<void>((done, fail) => server.once("error", fail).listen(0, host, done));
    const url = `https://${host}:${(server.address() as AddressInfo).port}`;
    log(`serving ${root} at ${url}`);
    let stopping: Promise<void> | undefined;
    return {
      url, caCert: await readFile(pki.caCert, "utf8"), caFile: pki.caCert, dir: home.dir, requests,
      stop: () => (stopping ??= close(server).then(() => home.stop())),
    };
  });
}

function close(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}

/** Answers one request; resolves with the status sent. */
async function serve(root: string, req: IncomingMessage, res: ServerResponse): Promise<number> {
  const send = (status: number, headers: Record<string, string | number> = {}): number => {
    res.writeHead(status, { "content-length": 0, ...headers }).end();
    return status;
  };
  if (req.method !== "GET" && req.method !== "HEAD") return send(405, { allow: "GET, HEAD" });
  let path: string;
  try {
    path = resolve(root, "." + decodeURIComponent(new URL(req.url ?? "/", "https://x").pathname));
  } catch {
    return send(400);
  }
  if (!path.startsWith(root + sep) || path.includes("\0")) return send(404);
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) return send(404);
  const size = info.size;
  const etag = `"${size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const lastModified = info.mtime.toUTCString();
  const ifRange = req.headers["if-range"];
  const range = ifRange === undefined || ifRange === etag || ifRange === lastModified ? parseRange(req.headers.range, size) : undefined;
  const common = { "accept-ranges": "bytes", etag, "last-modified": lastModified };
  if (range === "unsatisfiable") return send(416, { ...common, "content-range": `bytes */${size}` });
  const [start, end] = range ?? [0, size - 1];
  const status = range === undefined ? 200 : 206;
  res.writeHead(status, {
    ...common, "content-type": "application/octet-stream", "content-length": end - start + 1,
    ...(range === undefined ? {} : { "content-range": `bytes ${start}-${end}/${size}` }),
  });
  if (req.method === "HEAD" || end < start) {
    res.end();
    return status;
  }
  const stream = createReadStream(path, { start, end });
  stream.once("error", (error) => res.destroy(error));
  stream.pipe(res);
  return status;
}

/** [start, end] (inclusive) of a single satisfiable byte range; undefined to ignore the header. */
function parseRange(header: string | undefined, size: number): [number, number] | "unsatisfiable" | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return undefined;
  const [, first = "", last = ""] = match;
  if (first === "") {
    if (last === "") return undefined;
    const suffix = Number(last);
    return suffix === 0 || size === 0 ? "unsatisfiable" : [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(first);
  if (start >= size) return "unsatisfiable";
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  return end < start ? undefined : [start, end];
}
