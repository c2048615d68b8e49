// Which inference API a request belongs to, from its method and path alone (never its body).
// The route is a metrics label and decides what may be cached and what drift observes.

/** Route label values; a closed set, so metric cardinality stays bounded. */
export const ROUTES = ["infer", "predict", "chat", "completions", "embeddings", "health", "metadata", "feedback", "other"] as const;
export type Route = (typeof ROUTES)[number];

export interface RouteMatch {
  readonly route: Route;
  /** Model named in the path (Open Inference Protocol v2 and v1 styles). */
  readonly model?: string;
  /** Version named in the path (`/versions/{v}`). */
  readonly version?: string;
}

const OTHER: RouteMatch = { route: "other" };

/** Routes whose answer is a pure function of the request: the only ones the cache may serve. */
export function isDeterministicRoute(route: Route): boolean {
  return route === "infer" || route === "predict";
}

/** Routes that carry model inputs, so drift may observe their bodies. */
export function isPredictionRoute(route: Route): boolean {
  return route === "infer" || route === "predict" || route === "chat" || route === "completions" || route === "embeddings";
}

/**
 * Routes that are load for the autoscaler (GET /load): everything but health checks and metadata
 * reads, so a prober or a dashboard never keeps a revision from scaling down, or to zero.
 */
export function isLoadRoute(route: Route): boolean {
  return route !== "health" && route !== "metadata";
}

/** Classifies a request; `path` is the URL path without the query string. */
export function classifyRoute(method: string, path: string): RouteMatch {
  const read = method === "GET" || method === "HEAD";
  // The agent's own: labels for ground truth (served by the agent, never forwarded).
  if (path === "/mdo/feedback" && method === "POST") return { route: "feedback" };
  if (path.startsWith("/v2")) return classifyV2(method, read, path);
  if (path.startsWith("/v1/models/")) return classifyV1Model(method, read, path.slice("/v1/models/".length));
  if (method === "POST") {
    if (path === "/v1/chat/completions") return { route: "chat" };
    if (path === "/v1/completions") return { route: "completions" };
    if (path === "/v1/embeddings") return { route: "embeddings" };
  }
  if (read && path === "/v1/models") return { route: "metadata" };
  return OTHER;
}

function classifyV2(method: string, read: boolean, path: string): RouteMatch {
  if (read && (path === "/v2" || path === "/v2/")) return { route: "metadata" };
  if (read && (path === "/v2/health/live" || path === "/v2/health/ready")) return { route: "health" };
  if (!path.startsWith("/v2/models/")) return OTHER;
  const model = modelPath(path.slice("/v2/models/".length).split("/"));
  if (model === undefined) return OTHER;
  const { name, version, action } = model;
  const named = version === undefined ? { model: name } : { model: name, version };
  if (action === undefined && read) return { route: "metadata", ...named };
  if (action === "ready" && read) return { route: "health", ...named };
  if (action === "infer" && method === "POST") return { route: "infer", ...named };
  return OTHER;
}

function classifyV1Model(method: string, read: boolean, rest: string): RouteMatch {
  const colon = rest.indexOf(":");
  const verb = colon < 0 ? undefined : rest.slice(colon + 1);
  const model = modelPath((colon < 0 ? rest : rest.slice(0, colon)).split("/"));
  if (model === undefined || model.action !== undefined) return OTHER;
  const named = model.version === undefined ? { model: model.name } : { model: model.name, version: model.version };
  if (verb === "predict" && method === "POST") return { route: "predict", ...named };
  if (verb === undefined && read) return { route: "metadata", ...named };
  return OTHER;
}

/** `{name}[/versions/{v}][/{action}]`, each segment non-empty; undefined for any other shape. */
function modelPath(segments: string[]): { name: string; version?: string; action?: string } | undefined {
  const [name, second, third, fourth, ...more] = segments;
  if (name === undefined || name === "" || more.length > 0) return undefined;
  if (second === "versions") {
    if (third === undefined || third === "" || fourth === "") return undefined;
    return fourth === undefined ? { name, version: third } : { name, version: third, action: fourth };
  }
  if (second === "" || third !== undefined) return undefined;
  return second === undefined ? { name } : { name, action: second };
}
