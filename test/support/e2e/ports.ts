// Ports reserved for a process that starts later (an agent Prometheus is told about in advance).
// A port the OS picked with bind(0) lies in the ephemeral range, which outgoing connections also
// draw their source ports from: under the tests' own traffic one of them can take the port before
// the process binds it (seen as EADDRINUSE). Ports below that range are never given to outgoing
// connections, so a port found free there stays free unless another listener picks it by number.
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";

/** Lowest port handed out for outgoing connections (Linux: net.ipv4.ip_local_port_range). */
async function ephemeralLow(): Promise<number> {
  const text = await readFile("/proc/sys/net/ipv4/ip_local_port_range", "utf8").catch(() => "32768 60999");
  const low = Number(text.trim().split(/\s+/)[0]);
  return Number.isInteger(low) && low > 11_000 ? low : 32768;
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** `count` distinct ports, free on 127.0.0.1 now, from 10000 up to the ephemeral range (random order). */
export async function reservedPorts(count: number): Promise<number[]> {
  const low = await ephemeralLow();
  const ports = new Set<number>();
  for (let attempts = 0; ports.size < count; attempts++) {
    if (attempts > 1000) throw new Error(`No ${count} free ports found between 10000 and ${low}`);
    const port = 10_000 + Math.floor(Math.random() * (low - 10_000));
    if (!ports.has(port) && await bindable(port)) ports.add(port);
  }
  return [...ports];
}
