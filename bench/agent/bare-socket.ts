// A bare Node.js reverse proxy without undici, for comparison with the agent (not a product):
// node:http server, and a minimal HTTP/1.1 client on net.Socket written for the stand-in alone
// (answers framed by Content-Length, headers in one read, no errors, timeouts or limits). What
// a hand-written upstream client could save at most. Prints {"port": N}; stops on SIGTERM.
//
//   node bench/agent/bare-socket.ts <upstream port>
import { createServer, type ServerResponse } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";

const upstreamPort = Number(process.argv[2]);

interface Connection {
  readonly socket: Socket;
  res: ServerResponse | undefined;
  pending: Buffer | undefined;
  /** Body bytes still due, or -1 while the head is awaited. */
  due: number;
}

const idle: Connection[] = [];

function onData(connection: Connection, chunk: Buffer): void {
  let data = connection.pending === undefined ? chunk : Buffer.concat([connection.pending, chunk]);
  const res = connection.res;
  if (res === undefined) return;
  if (connection.due < 0) {
    const end = data.indexOf("\r\n\r\n");
    if (end < 0) {
      connection.pending = data;
      return;
    }
    const lines = data.toString("latin1", 0, end).split("\r\n");
    const headers: Record<string, string> = {};
    let length = 0;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === "content-length") length = Number(value);
      if (name !== "connection" && name !== "keep-alive") headers[name] = value;
    }
    res.writeHead(Number(lines[0]!.slice(9, 12)), headers);
    connection.due = length;
    data = data.subarray(end + 4);
  }
  if (data.length < connection.due) {
    connection.pending = data;
    return;
  }
  connection.res = undefined;
  connection.pending = undefined;
  connection.due = -1;
  idle.push(connection);
  res.end(data);
}

function takeConnection(): Connection {
  const reused = idle.pop();
  if (reused !== undefined) return reused;
  const connection: Connection = { socket: connect(upstreamPort, "127.0.0.1"), res: undefined, pending: undefined, due: -1 };
  connection.socket.setNoDelay(true);
  connection.socket.on("data", (chunk: Buffer) => onData(connection, chunk));
  return connection;
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    let head = `${req.method} ${req.url} HTTP/1.1\r\nhost: 127.0.0.1:${upstreamPort}\r\ncontent-length: ${body.length}\r\n`;
    for (const name in req.headers) {
      if (name !== "connection" && name !== "host" && name !== "content-length") head += `${name}: ${String(req.headers[name])}\r\n`;
    }
    const connection = takeConnection();
    connection.res = res;
    connection.socket.write(Buffer.concat([Buffer.from(`${head}\r\n`, "latin1"), body]));
  });
});
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  for (const connection of idle) connection.socket.destroy();
});
