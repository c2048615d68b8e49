// An agent's metrics port for analysis unit tests: a real AgentMetrics registry served as
// Prometheus text on GET /metrics, and a drift report on GET /drift when set.
import { AgentMetrics } from "../../../src/agent/metrics.ts";
import { startStub, type Stub } from "./stub-server.ts";

export class StubAgent {
  readonly metrics: AgentMetrics;
  drift: unknown;
  stub!: Stub;
  /** Renders the registry into what /metrics serves (the stub answers synchronously): call before every analysis. */
  refresh: () => Promise<void> = () => Promise.resolve();

  constructor(revision = "r2") {
    this.metrics = new AgentMetrics({ model: "fraud", version: "v2", revision, processMetrics: false });
  }

  async start(): Promise<this> {
    const text = { current: "" };
    this.stub = await startStub((req) => {
      if (req.path === "/metrics") return { body: text.current };
      if (req.path === "/drift") return this.drift === undefined ? { status: 404, body: "{}" } : { body: JSON.stringify(this.drift) };
      return { status: 404, body: "{}" };
    });
    this.refresh = async () => { text.current = await this.metrics.registry.metrics(); };
    await this.refresh();
    return this;
  }

  serve(route: string, code: number, count: number, seconds = 0.02): void {
    for (let i = 0; i < count; i++) {
      this.metrics.requests.inc({ route, code: String(code) });
      this.metrics.duration.observe({ route }, seconds);
    }
  }
}
