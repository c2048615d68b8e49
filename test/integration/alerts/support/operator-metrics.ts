// The operator's real metrics registry (src/runtime/metrics.ts) served on 127.0.0.1 the way the
// operator serves it, holding the rollout phases the test sets: Prometheus scrapes it like the
// operator's /metrics.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ROLLOUT_PHASES } from "../../../../src/api/rollout-status.ts";
import { OperatorMetrics } from "../../../../src/runtime/metrics.ts";

export interface ServedOperatorMetrics {
  /** host:port of /metrics. */
  readonly address: string;
  close(): Promise<void>;
}

/** Serves an OperatorMetrics whose rollout phase of each `namespace/name` is `phases[name]`. */
export async function serveOperatorMetrics(namespace: string, phases: Record<string, (typeof ROLLOUT_PHASES)[number]>): Promise<ServedOperatorMetrics> {
  const metrics = new OperatorMetrics({ processMetrics: false });
  for (const [name, current] of Object.entries(phases)) {
    metrics.canaryWeight.set({ namespace, name }, 0);
    for (const phase of ROLLOUT_PHASES) metrics.rolloutPhase.set({ namespace, name, phase }, phase === current ? 1 : 0);
  }
  const server = createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
