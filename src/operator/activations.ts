// POST /v1/activations/<namespace>/<name> on the operator's health port: the MDO activator holds
// requests for a ModelDeployment with no ready pod and says so here, so the autoscaler decides at
// once instead of at its next tick. Body {"held": <requests held>} (optional). Answers 202 (the
// leader took it), 404 (no ModelDeployment by that name that may scale to zero, or not tracked
// yet: the activator asks again every second), 503 (not the leader: ask again, on another
// connection). Anyone who can reach this port could as well send a request to the Service,
// which starts the same cold start: the route gives nothing more than the Service does.
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../agent/body.ts";
import type { DemandSink } from "../autoscaler/autoscaler.ts";
import type { ModelDeploymentObject } from "../controllers/modeldeployment/resource.ts";
import { describeError } from "../runtime/errors.ts";
import type { ExtraRoute } from "../runtime/health-server.ts";
import type { Logger } from "../runtime/logging.ts";

const PATH = /^\/v1\/activations\/([a-z0-9][-a-z0-9]*)\/([a-z0-9][-a-z0-9.]*)$/;
const MAX_BODY_BYTES = 4096;

export interface ActivationRouteOptions {
  /** Whether this process leads (only the leader's autoscaler acts). */
  readonly leading: () => boolean;
  /** The cached ModelDeployment of `namespace/name`. */
  readonly find: (key: string) => ModelDeploymentObject | undefined;
  /** The autoscaler; undefined until the controller built it. */
  readonly sink: () => DemandSink | undefined;
  readonly logger: Logger;
  /** Counts each answer (mdo_activations_total). */
  readonly counted?: (answer: ActivationAnswer) => void;
}

export type ActivationAnswer = "accepted" | "not_leader" | "unknown" | "bad_request";

const ANSWERS: Readonly<Record<number, ActivationAnswer>> = { 202: "accepted", 503: "not_leader", 404: "unknown", 400: "bad_request" };

export function activationRoute(options: ActivationRouteOptions): ExtraRoute {
  return (req, res) => {
    const match = PATH.exec((req.url ?? "/").split("?")[0] ?? "/");
    if (match === null) return false;
    if (req.method !== "POST") {
      reply(res, 405, "use POST", { allow: "POST" });
      return true;
    }
    const key = `${match[1]}/${match[2]}`;
    const answered = (status: number, message: string): void => {
      const counted = ANSWERS[status];
      if (counted !== undefined) options.counted?.(counted);
      reply(res, status, message);
    };
    heldOf(req).then(
      (held) => answered(...answer(options, key, held)),
      (error: unknown) => answered(400, `body must be {"held": <count>} of at most ${MAX_BODY_BYTES} bytes: ${describeError(error)}`),
    );
    return true;
  };
}

function answer(options: ActivationRouteOptions, key: string, held: number): [number, string] {
  if (!options.leading()) return [503, "not the leader; ask again"];
  const md = options.find(key);
  if (md === undefined || md.spec.autoscaling?.minReplicas !== 0) return [404, `no ModelDeployment ${key} with autoscaling.minReplicas 0`];
  const sink = options.sink();
  if (sink === undefined || !sink.demand(key, held)) return [404, `ModelDeployment ${key} is not sized by the autoscaler now (a rollout runs, or its first reconcile is pending)`];
  options.logger.debug("Activation", { key, held });
  return [202, "accepted"];
}

/** The body's `held`, a count ≥ 0; 1 when the body is empty. */
async function heldOf(req: IncomingMessage): Promise<number> {
  const text = (await readBody(req, MAX_BODY_BYTES)).toString("utf8").trim();
  if (text === "") return 1;
  const held = (JSON.parse(text) as { held?: unknown }).held ?? 1;
  if (typeof held !== "number" || !Number.isSafeInteger(held) || held < 0) throw new TypeError(`held must be a count, got ${JSON.stringify(held)}`);
  return held;
}

function reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  res.end(`${message}\n`);
}
