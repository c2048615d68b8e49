// The activator under test, in this process: an Activator with an in-memory StaticBackends
// directory, served by node:http on 127.0.0.1 (real HTTP, a free port). Requests name the target
// by Host (TARGET_HOST); onDemand is the benchmark's "start a pod".
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Registry } from "prom-client";
import { Agent, type Dispatcher } from "undici";
import { UPSTREAM_KEEP_ALIVE_MS } from "../../src/agent/upstream.ts";
import { Activator, StaticBackends, type ActivationTarget } from "../../src/activator/index.ts";
import { createLogger } from "../../src/runtime/logging.ts";

export const TARGET: ActivationTarget = { namespace: "bench", name: "iris" };
/** The Host clients send: `<name>.<namespace>`, as a client in the cluster names the Service. */
export const TARGET_HOST = `${TARGET.name}.${TARGET.namespace}`;

/**
 * The activator's connections to backends, as it makes them by default (src/activator/activator.ts),
 * noting when each request is handed to undici: the instant a held request left the activator.
 */
class TimedAgent extends Agent {
  readonly dispatchedAt: number[] = [];

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.dispatchedAt.push(performance.now());
    return super.dispatch(options, handler);
  }
}

export interface ActivatorHost {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly directory: StaticBackends;
  readonly activator: Activator;
  /** performance.now() of every request the activator forwarded, in order. */
  readonly dispatchedAt: readonly number[];
  /** Answers whatever is held 503, closes every connection; idempotent. */
  close(): Promise<void>;
}

export async function startActivatorHost(onDemand: (target: ActivationTarget) => void): Promise<ActivatorHost> {
  const directory = new StaticBackends();
  const dispatcher = new TimedAgent({ keepAliveTimeout: UPSTREAM_KEEP_ALIVE_MS, keepAliveMaxTimeout: UPSTREAM_KEEP_ALIVE_MS, connect: { timeout: 5000 } });
  const activator = new Activator({
    dispatcher,
    directory,
    onDemand,
    registry: new Registry(),
    logger: createLogger({ level: "warn" }),
    targets: { defaultNamespace: TARGET.namespace },
  });
  const server: Server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, activator.handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  let closed: Promise<void> | undefined;
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    directory,
    activator,
    dispatchedAt: dispatcher.dispatchedAt,
    close: () => (closed ??= (async () => {
      // Held requests are answered 503 first, then every connection goes.
      await activator.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher.close();
    })()),
  };
}
