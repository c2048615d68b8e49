// The chaos run's HTTP server on 127.0.0.1, the operator's only way to learn what the seeded plan
// wants: it answers the rollout webhooks (POST /hooks/<type>) as each ModelDeployment's plan says,
// recording every call, and serves the analysis metric Prometheus scrapes (GET /metrics).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { WebhookType } from "../../src/api/webhooks.ts";
import type { RolloutPlan } from "./chaos-plan.ts";

/** One webhook call as the receiver saw it: when, the body the operator sent, what it answered. */
export interface HookCall {
  /** Date.now() when the request arrived. */
  readonly at: number;
  readonly name: string;
  readonly type: WebhookType;
  readonly phase: string;
  readonly step: number;
  readonly weight: number;
  readonly stableRevision: string;
  readonly canaryRevision?: string;
  readonly modelVersion?: string;
  /** The status code answered. */
  readonly status: number;
}

/** Gauge per ModelDeployment; the analysis check needs at least 1. */
export const QUALITY_METRIC = "mdo_chaos_canary_quality";

export class ChaosReceiver {
  readonly calls: HookCall[] = [];
  private readonly plans: ReadonlyMap<string, RolloutPlan>;
  private readonly server: Server;

  private port = 0;

  private constructor(plans: readonly RolloutPlan[]) {
    this.plans = new Map(plans.map((p) => [p.name, p]));
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const { status, body } = this.handle(req.method ?? "GET", req.url ?? "/", Buffer.concat(chunks).toString("utf8"));
        res.writeHead(status, { "content-type": "text/plain" }).end(body);
      });
    });
  }

  static async start(plans: readonly RolloutPlan[]): Promise<ChaosReceiver> {
    const receiver = new ChaosReceiver(plans);
    await new Promise<void>((resolve) => receiver.server.listen(0, "127.0.0.1", resolve));
    receiver.port = (receiver.server.address() as AddressInfo).port;
    return receiver;
  }

  /** http://127.0.0.1:<port> */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** host:port, as a Prometheus scrape target. */
  get address(): string {
    return this.url.slice("http://".length);
  }

  /** spec.rollout.webhooks pointing at this receiver: one hook of each type. */
  webhooks(): Record<string, unknown>[] {
    const hook = (name: string, type: WebhookType) => ({ name, type, url: `${this.url}/hooks/${type}`, timeout: "5s" });
    return [hook("load-test", "PreRollout"), hook("change-board", "ConfirmPromotion"), hook("stop-button", "Rollback"), hook("notify", "PostRollout")];
  }

  callsOf(name: string, type?: WebhookType): HookCall[] {
    return this.calls.filter((c) => c.name === name && (type === undefined || c.type === type));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(method: string, url: string, text: string): { status: number; body: string } {
    if (method === "GET" && url === "/metrics") return { status: 200, body: this.metrics() };
    const type = /^\/hooks\/([A-Za-z]+)$/.exec(url)?.[1] as WebhookType | undefined;
    if (method !== "POST" || type === undefined) return { status: 404, body: "not found" };
    const body = JSON.parse(text) as Omit<HookCall, "at" | "status">;
    const plan = this.plans.get(body.name);
    const status = plan === undefined ? 404 : this.answer(plan, type, body.step);
    this.calls.push({
      at: Date.now(), name: body.name, type, phase: body.phase, step: body.step, weight: body.weight, stableRevision: body.stableRevision,
      ...(body.canaryRevision === undefined ? {} : { canaryRevision: body.canaryRevision }),
      ...(body.modelVersion === undefined ? {} : { modelVersion: body.modelVersion }),
      status,
    });
    return { status, body: status < 300 ? "ok" : `no (${status})` };
  }

  /** What the plan answers: 2xx yes; 403 a refusal (final: 4xx is never retried); 409 "carry on" to a Rollback hook. */
  private answer(plan: RolloutPlan, type: WebhookType, step: number): number {
    switch (type) {
      case "PreRollout":
        return plan.verdict === "PreRolloutWebhookFailed" ? 403 : 200;
      case "ConfirmPromotion":
        return this.callsOf(plan.name, "ConfirmPromotion").length < plan.confirmRefusals ? 403 : 200;
      case "Rollback":
        return plan.verdict === "RollbackWebhook" && step >= plan.rollbackAtStep ? 200 : 409;
      case "PostRollout":
        return plan.postRolloutStatus;
    }
  }

  private metrics(): string {
    const lines = [`# HELP ${QUALITY_METRIC} 1 when the chaos plan wants the canary's analysis to pass, else 0.`, `# TYPE ${QUALITY_METRIC} gauge`];
    for (const plan of this.plans.values()) lines.push(`${QUALITY_METRIC}{model="${plan.name}"} ${plan.verdict === "AnalysisFailed" ? 0 : 1}`);
    return `${lines.join("\n")}\n`;
  }
}
