// Composition of the operator process: client → metrics → health endpoints → (leader election)
// → controllers. The one clock (realClock), the analyzer and the webhook caller are made here and
// passed down. Returns why it stopped; the caller (src/cmd) decides the exit code.
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { load as loadYaml } from "js-yaml";
import { RuntimeCatalog } from "../catalog/catalog.ts";
import { modelDeploymentController } from "../controllers/modeldeployment/setup.ts";
import { batchPredictionController } from "../controllers/batchprediction/setup.ts";
import { loadClusterAccess } from "../runtime/client/access/load.ts";
import type { ClusterAccess } from "../runtime/client/access/types.ts";
import { KubeClient } from "../runtime/client/kube-client.ts";
import { KubeTransport } from "../runtime/client/transport.ts";
import { realClock } from "../runtime/clock.ts";
import { describeError } from "../runtime/errors.ts";
import { EventRecorder } from "../runtime/events.ts";
import { startHealthServer } from "../runtime/health-server.ts";
import { LeaderElector } from "../runtime/leader-election.ts";
import { createLogger, type Logger } from "../runtime/logging.ts";
import { OperatorMetrics } from "../runtime/metrics.ts";
import { TokenBucket } from "../runtime/rate-limiters.ts";
import { DEFAULT_SETTINGS } from "../controllers/modeldeployment/settings.ts";
import type { ReconcileServices } from "../controllers/modeldeployment/setup.ts";
import type { Caches } from "../controllers/modeldeployment/deps.ts";
import { createAnalyzer, EndpointSliceLocator, type PodEndpoint } from "../analysis/index.ts";
import { HttpWebhookCaller } from "../webhooks/http-caller.ts";
import { Autoscaler } from "../autoscaler/autoscaler.ts";
import { AutoscalerMetrics } from "../autoscaler/metrics.ts";
import { podAgentLocator } from "../controllers/modeldeployment/pod-agent-locator.ts";
import type { ListWatcher } from "../runtime/informer.ts";
import type { OperatorConfig } from "./config.ts";
import { activationRoute } from "./activations.ts";

export type StopReason = "signal" | "leadership-lost";

export interface RunningOperator {
  /** Resolves when the operator has stopped and drained. */
  done: Promise<StopReason>;
  /** host:port the health server listens on. */
  healthAddress: string;
  logger: Logger;
}

/** What only an embedding program (tests, the sandbox) can change; flags cannot. */
export interface OperatorExtensions {
  /**
   * Where the operator reaches a pod's agent (default: the pod IP and the metrics port). Tests
   * point revisions at agent processes on 127.0.0.1, since kwok's pod IPs are not routable.
   */
  agentAddress?: (endpoint: PodEndpoint, revision: string) => string;
  /** What the caches list and watch through, given the operator's client (default: the client itself). */
  listWatcher?: (client: KubeClient) => ListWatcher;
}

export async function startOperator(config: OperatorConfig, signal: AbortSignal, logger = createLogger({ level: config.logLevel }), extensions: OperatorExtensions = {}): Promise<RunningOperator> {
  const access = await loadClusterAccess(config.kubeconfig === undefined ? {} : { kubeconfig: config.kubeconfig });
  logger.info("Loaded cluster access", { server: access.server.origin, source: access.source });

  const metrics = new OperatorMetrics();
  const client = rateLimitedClient(access, metrics, config);
  const catalog = config.runtimeCatalog === undefined
    ? RuntimeCatalog.builtin()
    : RuntimeCatalog.withOverrides(loadYaml(await readFile(config.runtimeCatalog, "utf8")));
  const identity = config.identity ?? process.env.POD_NAME ?? `${hostname()}-${process.pid}`;

  // Events go out behind a rate limit of their own, as client-go's event broadcaster's client
  // does: a burst of Events never delays a reconcile's requests (record() only queues).
  const eventClient = rateLimitedClient(access, metrics, config);
  const recorder = new EventRecorder(eventClient, {
    reportingController: "mdo.dev/operator", reportingInstance: identity, logger, clock: realClock,
    onDropped: () => metrics.eventsDropped.inc(),
  });
  // Built with the controller's caches (reconcileServices); run beside the controller while leading.
  let autoscaler: Autoscaler | undefined;
  let modelDeployments: Caches["modelDeployments"] | undefined;
  const controller = modelDeploymentController({
    client, catalog, logger, metrics, clock: realClock, namespace: config.namespace, workers: config.workers,
    ...(extensions.listWatcher === undefined ? {} : { listWatcher: extensions.listWatcher(client) }),
    modelLoadTimeoutMs: config.modelLoadTimeout * 1000,
    settings: { ...DEFAULT_SETTINGS, agentImage: config.agentImage, fetcherImage: config.fetcherImage },
    driftCheckIntervalMs: config.driftCheckInterval * 1000,
    ...(config.activatorService === undefined ? {} : { activatorService: splitName(config.activatorService) }),
    services: (caches, enqueue) => {
      const services = reconcileServices(client, caches, config, extensions, { logger, metrics, enqueue });
      autoscaler = services.autoscaler;
      modelDeployments = caches.modelDeployments;
      return services;
    },
    recorder,
  });

  const batchController = batchPredictionController({
    client, catalog, logger, metrics, clock: realClock, namespace: config.namespace, workers: config.workers, recorder,
    ...(extensions.listWatcher === undefined ? {} : { listWatcher: extensions.listWatcher(client) }),
    settings: { ...DEFAULT_SETTINGS, agentImage: config.agentImage, fetcherImage: config.fetcherImage },
  });
  const synced = (): boolean => controller.hasSynced() && batchController.hasSynced();

  let leading = !config.leaderElect;
  const [host, port] = splitAddress(config.healthAddress);
  const server = await startHealthServer(host, port, {
    alive: () => true,
    // A standby is ready (it is healthy and waiting); a leader once its caches synced.
    ready: () => !leading || synced(),
  }, metrics.registry, activationRoute({
    leading: () => leading && controller.hasSynced(),
    find: (key) => modelDeployments?.get(key),
    sink: () => autoscaler,
    logger,
    counted: (answer) => metrics.activations.inc({ answer }),
  }));
  const address = server.address();
  const healthAddress = typeof address === "object" && address !== null ? `${address.address}:${address.port}` : config.healthAddress;
  logger.info("Started operator", { identity, namespace: config.namespace ?? "(all)", leaderElect: config.leaderElect, healthAddress });

  const done = (async (): Promise<StopReason> => {
    const work = new AbortController();
    signal.addEventListener("abort", () => work.abort(), { once: true });
    let reason: StopReason = "signal";
    let elector: LeaderElector | undefined;
    try {
      if (config.leaderElect) {
        elector = new LeaderElector(client, {
          namespace: config.leaseNamespace, name: config.leaseName, identity, clock: realClock,
          onEvent: (message) => logger.info(message, { identity }),
        });
        if (!(await elector.acquire(signal))) return reason;
        leading = true;
        metrics.leader.set(1);
        // Holding ends with "lost" or a rejection; either way this process may no longer act as leader.
        elector.hold(signal).then((result) => {
          if (result === "lost") {
            reason = "leadership-lost";
            work.abort();
          }
        }, (error: unknown) => {
          logger.error("Holding the leader Lease failed; stopping work", { error: describeError(error) });
          reason = "leadership-lost";
          work.abort();
        });
      }
      await Promise.all([controller.run(work.signal), batchController.run(work.signal), autoscaler?.run(work.signal)]);
      return reason;
    } catch (error) {
      logger.error("Operator failed", { error: describeError(error) });
      throw error;
    } finally {
      metrics.leader.set(0);
      if (reason === "signal") await elector?.release().catch((e: unknown) => logger.warn("Failed to release Lease", { error: describeError(e) }));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await recorder.close();
      eventClient.transport.close();
      client.transport.close();
      logger.info("Stopped operator", { reason });
    }
  })();
  return { done, healthAddress, logger };
}

/**
 * The analyzer (agents located over the pod cache, Prometheus when configured), the webhook caller
 * and the autoscaler of concurrency / rps revisions (reading the same agents), on the real clock.
 */
function reconcileServices(
  client: KubeClient, caches: Caches, config: OperatorConfig, extensions: OperatorExtensions,
  wiring: { logger: Logger; metrics: OperatorMetrics; enqueue: (key: string) => void },
): ReconcileServices & { autoscaler: Autoscaler } {
  const locator = new EndpointSliceLocator({
    client,
    // Only pods MDO labelled are cached, and only those can be a revision's agents.
    podLabels: (namespace, pod) => Promise.resolve(caches.pods.get(`${namespace}/${pod}`)?.metadata?.labels),
    ...(extensions.agentAddress === undefined ? {} : { address: extensions.agentAddress }),
  });
  const analyzer = createAnalyzer({
    locator, clock: realClock,
    ...(config.prometheusUrl === undefined ? {} : { prometheusUrl: config.prometheusUrl }),
  });
  const agents = podAgentLocator({
    pods: () => caches.pods.list(),
    port: DEFAULT_SETTINGS.agentMetricsPort,
    ...(extensions.agentAddress === undefined ? {} : { address: extensions.agentAddress }),
  });
  const autoscaler = new Autoscaler({
    locator: agents, clock: realClock, logger: wiring.logger, onChange: wiring.enqueue, metrics: new AutoscalerMetrics(wiring.metrics.registry),
  });
  return { analyzer, webhooks: new HttpWebhookCaller({ clock: realClock }), autoscaler };
}

/** A client with a token bucket of its own (config.qps, config.burst), counted in the operator's metrics. */
function rateLimitedClient(access: ClusterAccess, metrics: OperatorMetrics, config: Pick<OperatorConfig, "qps" | "burst">): KubeClient {
  const bucket = new TokenBucket(realClock, { qps: config.qps, burst: config.burst });
  return new KubeClient(new KubeTransport(access, {
    ...metrics.transportHooks(),
    throttle: async (signal) => {
      const wait = bucket.when("");
      if (wait > 0) await realClock.sleep(wait, signal).catch(() => undefined);
    },
  }));
}

/** `namespace/name` (validated by the config) as its parts. */
function splitName(namespacedName: string): { namespace: string; name: string } {
  const [namespace = "", name = ""] = namespacedName.split("/");
  return { namespace, name };
}

function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(":");
  return [address.slice(0, i), Number(address.slice(i + 1))];
}
