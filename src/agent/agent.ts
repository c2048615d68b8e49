// The agent's composition: serving and metrics servers, the upstream pool, auth, cache, limits.
// startAgent returns once both ports listen; stop() drains and releases everything. The process
// itself (signals, exit) belongs to the command.
import { realClock, type Clock } from "../runtime/clock.ts";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Writable } from "node:stream";
import { createLogger, type Logger } from "../runtime/logging.ts";
import { ApiKeys } from "./api-keys.ts";
import { DEFAULT_CACHE_MAX_BYTES, PredictionCache } from "./cache.ts";
import { ConcurrencyLimit } from "./concurrency.ts";
import { mirrorsFrom, type AgentConfig } from "./config.ts";
import { noDrift, type DriftHook } from "./drift-hook.ts";
import { UpstreamCaller } from "./forward.ts";
import { KeyFile } from "./key-file.ts";
import { AgentMetrics } from "./metrics.ts";
import { metricsHandler } from "./metrics-server.ts";
import { CloudEventsSink } from "./cloudevents-sink.ts";
import { GroundTruth } from "./ground-truth.ts";
import { PayloadLogger } from "./payload-log.ts";
import { ShadowMirror } from "./shadow.ts";
import { ShadowFile } from "./shadow-file.ts";
import { AgentProxy } from "./proxy.ts";
import { UpstreamReadiness } from "./readiness.ts";
import { createProbeClient, createUpstreamPool } from "./upstream.ts";

export interface AgentOptions {
  readonly logger?: Logger;
  /** Drift statistics; drift off when absent. */
  readonly drift?: DriftHook;
  /** Where payload records go when logPayloads is on; stdout by default. */
  readonly payloadOut?: Writable;
  /** Node.js process metrics; default true. */
  readonly processMetrics?: boolean;
  /** How often the API key file's stat is polled; default 5 s. */
  readonly keyPollIntervalMs?: number;
  /** Longest wait for in-flight requests at stop(); default limits.timeoutMs + 5 s. */
  readonly drainTimeoutMs?: number;
  /** How often the shadow settings file is polled; default 2 s. */
  readonly shadowPollIntervalMs?: number;
  /** The clock of ground truth's TTLs; the real one by default. */
  readonly clock?: Pick<Clock, "now">;
}

export interface RunningAgent {
  /** http://host:port of the serving port. */
  readonly url: string;
  /** http://host:port of the metrics port. */
  readonly metricsUrl: string;
  readonly metrics: AgentMetrics;
  /**
   * Graceful stop: readiness turns false, the servers stop accepting connections, in-flight
   * requests finish (up to drainTimeoutMs, then their connections are cut), then the upstream
   * pool and watchers close. Idempotent.
   */
  stop(): Promise<void>;
}

export async function startAgent(config: AgentConfig, options: AgentOptions = {}): Promise<RunningAgent> {
  const logger = options.logger ?? createLogger();
  const clock = options.clock ?? realClock;
  const drift = options.drift ?? noDrift;
  const metrics = new AgentMetrics({ model: config.model.name, version: config.model.version, revision: config.revision, processMetrics: options.processMetrics ?? true });
  metrics.observeDrift(drift);
  const pool = createUpstreamPool(config);
  const probeClient = createProbeClient(config);
  const readiness = new UpstreamReadiness({ dispatcher: probeClient, path: config.upstream.readinessPath });
  const keys = config.auth === undefined ? undefined : new ApiKeys();
  const keyFile = config.auth === undefined || keys === undefined
    ? undefined
    : new KeyFile({ path: config.auth.apiKeyFile, keys, logger, ...(options.keyPollIntervalMs !== undefined && { pollIntervalMs: options.keyPollIntervalMs }) });
  await keyFile?.start();
  const cache = config.cache === undefined ? undefined : new PredictionCache({
    maxEntries: config.cache.maxEntries,
    ttlMs: config.cache.ttlMs,
    maxBytes: config.cache.maxBytes ?? DEFAULT_CACHE_MAX_BYTES,
    onEvict: () => metrics.cacheEvictions.inc(),
  });
  if (cache !== undefined) metrics.observeCache(() => ({ entries: cache.entries, bytes: cache.bytes }));
  const sink = config.logPayloads && config.payloadSink !== undefined ? new CloudEventsSink({ ...config.payloadSink, logger }) : undefined;
  const payloads = config.logPayloads
    ? new PayloadLogger({ sampleRate: config.payloadSampleRate ?? 1, out: options.payloadOut ?? process.stdout, sink })
    : undefined;
  const limit = new ConcurrencyLimit(config.limits.maxConcurrency);
  const upstream = new UpstreamCaller({
    pool, readiness, metrics, logger, timeoutMs: config.limits.timeoutMs, maxRequestBytes: config.limits.maxRequestBytes,
  });
  const groundTruth = config.feedback === undefined ? undefined : new GroundTruth({ ...config.feedback, metrics, now: () => clock.now() });
  const shadowFile = config.shadowFile === undefined ? undefined : new ShadowFile({ path: config.shadowFile, revision: config.revision, metrics, logger, protocol: config.protocol, ...(options.shadowPollIntervalMs !== undefined && { pollIntervalMs: options.shadowPollIntervalMs }) });
  await shadowFile?.start();
  const fixedShadow = shadowFile !== undefined || config.shadow === undefined || !mirrorsFrom(config.shadow, config.revision)
    ? undefined
    : new ShadowMirror({ settings: config.shadow, metrics, logger, protocol: config.protocol });
  const shadow = (): ShadowMirror | undefined => shadowFile?.current() ?? fixedShadow;
  const proxy = new AgentProxy({ config, upstream, readiness, metrics, logger, limit, keys, cache, drift, payloads, groundTruth, shadow });

  const server = createServer({ keepAliveTimeout: 65_000 }, proxy.handle);
  const metricsServer = createServer(metricsHandler(metrics, drift));
  const release = async (): Promise<void> => {
    keyFile?.close();
    await Promise.allSettled([pool.close(), probeClient.close(), fixedShadow?.close(), shadowFile?.close()]);
  };
  let url: string;
  let metricsUrl: string;
  try {
    url = await listen(server, config.listen.host, config.listen.port);
    metricsUrl = await listen(metricsServer, config.listen.host, config.listen.metricsPort);
  } catch (error) {
    server.close();
    metricsServer.close();
    await release();
    throw error;
  }
  logger.info("Started agent", { url, metricsUrl, upstream: `${config.upstream.host}:${config.upstream.port}`, revision: config.revision });

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    proxy.startDraining();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Connections whose last answer began before draining go idle later: close them as they do.
    const sweeper = setInterval(() => server.closeIdleConnections(), 100);
    const drainMs = options.drainTimeoutMs ?? config.limits.timeoutMs + 5000;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), drainMs))),
    ]);
    clearTimeout(timer);
    clearInterval(sweeper);
    if (!drained) {
      logger.warn("Cut connections still open after the drain timeout", { drainMs });
      server.closeAllConnections();
      await closed;
    }
    await release();
    await sink?.flush();
    await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
    metricsServer.closeAllConnections();
    logger.info("Stopped agent", { drained });
  };
  return {
    url,
    metricsUrl,
    metrics,
    stop: () => (stopping ??= stop()),
  };
}

function listen(server: Server, host: string | undefined, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve(`http://${shown}:${address.port}`);
    });
  });
}
