// Composition of `mdo activator`: cluster client → pod informer → PodBackends, ModelDeployment
// informer → ScaleToZeroTargets → Activator (its
// onDemand told to the operator by OperatorDemand) → the data server and the health server.
// Returns at once with the addresses; `done` resolves once it stopped after `signal` aborted.
import { createServer, type Server } from "node:http";
import { collectDefaultMetrics, Registry } from "prom-client";
import { loadClusterAccess } from "../runtime/client/access/load.ts";
import { KubeClient, type KubeObject } from "../runtime/client/kube-client.ts";
import { Resources } from "../runtime/client/resource.ts";
import { KubeTransport } from "../runtime/client/transport.ts";
import { realClock, type Clock } from "../runtime/clock.ts";
import { describeError } from "../runtime/errors.ts";
import { startHealthServer } from "../runtime/health-server.ts";
import { Informer, type ListWatcher } from "../runtime/informer.ts";
import { createLogger, type Logger } from "../runtime/logging.ts";
import { Activator } from "./activator.ts";
import { splitHostPort, type ActivatorConfig } from "./config.ts";
import { OperatorDemand } from "./demand.ts";
import { drainServer, listen } from "./drain.ts";
import { PodBackends } from "./pod-backends.ts";
import { MODEL_SERVER_PODS, podForActivator } from "./pods.ts";
import { MODEL_DEPLOYMENTS, modelDeploymentForActivator, ScaleToZeroTargets } from "./scale-to-zero-targets.ts";

/** The namespace of a bare `<name>` Host when the activator watches every namespace. */
const DEFAULT_TARGET_NAMESPACE = "default";
/** How long forwarded requests may still finish after a stop (the pod's grace period is 30 s). */
const DEFAULT_DRAIN_TIMEOUT_MS = 20_000;

/** What only an embedding program (tests) can change; flags cannot. */
export interface ActivatorExtensions {
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** What the pod informer lists and watches through, given the client (default: the client). */
  readonly listWatcher?: (client: KubeClient) => ListWatcher;
  readonly drainTimeoutMs?: number;
}

export interface RunningActivator {
  /** host:port of the data path. */
  readonly address: string;
  /** host:port of /healthz, /readyz and /metrics. */
  readonly healthAddress: string;
  /** Resolves once the activator stopped (after `signal` aborted): held requests answered 503, servers and watch closed. */
  readonly done: Promise<void>;
}

/** Starts the activator; rejects (having released what it started) when the cluster access or a listen fails. */
export async function startActivator(config: ActivatorConfig, signal: AbortSignal, extensions: ActivatorExtensions = {}): Promise<RunningActivator> {
  const logger = extensions.logger ?? createLogger({ level: config.logLevel });
  const clock = extensions.clock ?? realClock;
  const access = await loadClusterAccess(config.kubeconfig === undefined ? {} : { kubeconfig: config.kubeconfig });
  logger.info("Loaded cluster access", { server: access.server.origin, source: access.source });
  const client = new KubeClient(new KubeTransport(access));

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "mdo_activator_process_" });
  const backends = new PodBackends({ backendPort: config.backendPort });
  const informer = new Informer<KubeObject>(extensions.listWatcher?.(client) ?? client, {
    ref: Resources.pods, namespace: config.namespace, labelSelector: MODEL_SERVER_PODS, transform: podForActivator,
    onRestart: (reason, error) => logger.warn("Restarted the pod watch", { reason, error: describeError(error) }),
  });
  informer.onChange(backends.onPodEvent);
  // Only ModelDeployments that may scale to zero are served.
  const targets = new ScaleToZeroTargets();
  const models = new Informer<KubeObject>(extensions.listWatcher?.(client) ?? client, {
    ref: MODEL_DEPLOYMENTS, namespace: config.namespace, transform: modelDeploymentForActivator,
    onRestart: (reason, error) => logger.warn("Restarted the ModelDeployment watch", { reason, error: describeError(error) }),
  });
  models.onChange(targets.onModelDeploymentEvent);

  const work = new AbortController();
  const demand = new OperatorDemand({ operatorUrl: new URL(config.operatorUrl), held: (target) => activator.held(target), clock, logger, signal: work.signal });
  const activator: Activator = new Activator({
    directory: backends, accepts: (target) => targets.accepts(target), onDemand: demand.onDemand, registry, logger, clock,
    targets: { defaultNamespace: config.namespace ?? DEFAULT_TARGET_NAMESPACE, clusterDomain: config.clusterDomain },
    maxQueuedPerTarget: config.maxQueuedPerTarget, coldStartTimeoutMs: config.coldStartTimeout * 1000, maxBodyBytes: config.maxBodyBytes,
  });

  let stopping = false;
  const server = createServer({ keepAliveTimeout: 65_000 }, activator.handle);
  let health: Server | undefined;
  let address: string;
  try {
    const healthAt = splitHostPort(config.healthAddress);
    health = await startHealthServer(healthAt.host, healthAt.port, { alive: () => true, ready: () => !stopping && informer.hasSynced() && models.hasSynced() }, registry);
    const listenAt = splitHostPort(config.listen);
    address = await listen(server, listenAt.host, listenAt.port);
  } catch (error) {
    health?.close();
    await activator.close();
    client.transport.close();
    throw new Error("Failed to start the activator's servers", { cause: error });
  }
  const healthAddress = listenedAt(health, config.healthAddress);
  const watching = Promise.all([informer.run(work.signal), models.run(work.signal)]);
  logger.info("Started activator", { address, healthAddress, namespace: config.namespace ?? "(all)", operatorUrl: config.operatorUrl });

  const done = (async (): Promise<void> => {
    await aborted(signal);
    stopping = true;
    logger.info("Stopping activator");
    // Held requests are answered 503 at once; forwarded ones may finish within the drain timeout.
    const [drained] = await Promise.all([drainServer(server, extensions.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS, clock), activator.close(), Promise.resolve().then(() => work.abort())]);
    if (!drained) logger.warn("Cut connections still open after the drain timeout");
    await Promise.all([watching, demand.idle()]);
    await new Promise<void>((resolve) => health.close(() => resolve()));
    health.closeAllConnections();
    client.transport.close();
    logger.info("Stopped activator", { drained });
  })();
  return { address, healthAddress, done };
}

function listenedAt(server: Server, configured: string): string {
  const address = server.address();
  return typeof address === "object" && address !== null ? `${address.address}:${address.port}` : configured;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
