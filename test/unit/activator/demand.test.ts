// OperatorDemand against a real node:http server on 127.0.0.1 playing the operator, time driven by
// a ManualClock: the activation is posted at once with the held count, again every second while
// requests are held, never twice at once for a target; 503s, refused connections and calls
// without an answer are logged and retried, never thrown; the signal ends it all.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { OperatorDemand } from "../../../src/activator/demand.ts";
import { ManualClock, settle } from "../../../src/runtime/clock.ts";
import { createLogger } from "../../../src/runtime/logging.ts";
import { until } from "./harness.ts";

const iris = { namespace: "ml", name: "iris" };

interface Call {
  readonly method: string;
  readonly url: string;
  readonly contentType: string;
  readonly body: unknown;
}

interface FakeOperator {
  readonly url: URL;
  readonly calls: Call[];
  /** Answers the next calls with these statuses (then 202); "hang" never answers. */
  readonly script: (number | "hang")[];
  close(): Promise<void>;
}

async function startOperator(): Promise<FakeOperator> {
  const calls: Call[] = [];
  const script: (number | "hang")[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = "";
    req.setEncoding("utf8").on("data", (d: string) => (text += d));
    req.on("end", () => {
      calls.push({ method: req.method ?? "", url: req.url ?? "", contentType: req.headers["content-type"] ?? "", body: JSON.parse(text) as unknown });
      const answer = script.shift() ?? 202;
      if (answer === "hang") return;
      res.writeHead(answer, { "content-type": "text/plain" });
      res.end(answer === 202 ? "accepted\n" : "not the leader; ask again\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return {
    url, calls, script,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Logged {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A demand over `operator` whose log lines are recorded; `held` is what Activator.held answers. */
function demandOn(url: URL, held: Map<string, number>) {
  const clock = new ManualClock();
  const stop = new AbortController();
  const logged: Logged[] = [];
  const logger = createLogger({ silent: true });
  for (const level of ["error", "warn", "info", "debug"] as const) {
    logger[level] = ((message: string, fields: Record<string, unknown> = {}) => {
      logged.push({ level, message, fields });
      return logger;
    }) as typeof logger.info;
  }
  const demand = new OperatorDemand({ operatorUrl: url, held: (t) => held.get(`${t.namespace}/${t.name}`) ?? 0, clock, logger, signal: stop.signal });
  after(async () => {
    stop.abort();
    await demand.idle();
  });
  return { demand, clock, stop, logged };
}

describe("OperatorDemand", () => {
  it("posts {held} at once, again every second while requests are held, and stops when none is", async () => {
    const operator = await startOperator();
    after(() => operator.close());
    const held = new Map([["ml/iris", 3]]);
    const { demand, clock, logged } = demandOn(operator.url, held);
    demand.onDemand(iris);
    // Each answer is logged (debug) before the pause begins: time moves only after that.
    await until(() => logged.length === 1, "the first answer");
    assert.deepEqual(operator.calls[0], { method: "POST", url: "/v1/activations/ml/iris", contentType: "application/json", body: { held: 3 } });
    await clock.runFor(999);
    assert.equal(operator.calls.length, 1, "nothing before the period");
    held.set("ml/iris", 5);
    await clock.runFor(1);
    await until(() => logged.length === 2, "the second answer");
    assert.deepEqual(operator.calls[1]?.body, { held: 5 });
    held.set("ml/iris", 0);
    await clock.runFor(1000);
    await demand.idle();
    await clock.runFor(5000);
    assert.equal(operator.calls.length, 2, "no call once nothing is held");
    assert.equal(clock.pendingTimers, 0);
  });

  it("keeps one repetition per target: a new cold start while it pauses posts at once without a second one", async () => {
    const operator = await startOperator();
    after(() => operator.close());
    const held = new Map([["ml/iris", 1], ["ml/resnet", 1]]);
    const { demand, clock, logged } = demandOn(operator.url, held);
    demand.onDemand(iris);
    demand.onDemand({ namespace: "ml", name: "resnet" });
    await until(() => logged.length === 2, "one answer per target");
    demand.onDemand(iris);
    await until(() => logged.length === 3, "the woken repetition's answer");
    await settle();
    assert.equal(operator.calls.filter((c) => c.url === "/v1/activations/ml/iris").length, 2);
    await clock.runFor(1000);
    await until(() => logged.length === 5, "one more answer per target after a second");
    assert.equal(operator.calls.length, 5);
  });

  it("logs a standby's 503 and an operator's 404, and asks again", async () => {
    const operator = await startOperator();
    after(() => operator.close());
    operator.script.push(503, 404);
    const { demand, clock, logged } = demandOn(operator.url, new Map([["ml/iris", 1]]));
    demand.onDemand(iris);
    await until(() => logged.length === 1, "the first answer");
    await clock.runFor(1000);
    await until(() => logged.length === 2, "the second answer");
    await clock.runFor(1000);
    await until(() => logged.length === 3, "the third answer");
    assert.deepEqual(logged.map((l) => [l.level, l.fields.status]), [["debug", 503], ["warn", 404], ["debug", 202]]);
    assert.equal(logged[1]?.fields.target, "ml/iris");
  });

  it("logs a refused connection and keeps asking every second", async () => {
    const operator = await startOperator();
    await operator.close();
    const { demand, clock, logged } = demandOn(operator.url, new Map([["ml/iris", 1]]));
    demand.onDemand(iris);
    await until(() => logged.length === 1, "the failure logged");
    await clock.runFor(1000);
    await until(() => logged.length === 2, "the second failure logged");
    assert.ok(logged.every((l) => l.level === "warn" && l.message === "Failed to ask the operator for a pod"));
    assert.match(String(logged[0]?.fields.error), /POST http:\/\/127\.0\.0\.1:\d+\/v1\/activations\/ml\/iris failed: .*ECONNREFUSED/);
  });

  it("aborts a call without an answer after 2 s, logs it and asks again", async () => {
    const operator = await startOperator();
    after(() => operator.close());
    operator.script.push("hang");
    const { demand, clock, logged } = demandOn(operator.url, new Map([["ml/iris", 1]]));
    demand.onDemand(iris);
    await until(() => operator.calls.length === 1, "the first call");
    await clock.runFor(1999);
    assert.equal(logged.length, 0);
    await clock.runFor(1);
    await until(() => logged.length === 1, "the timeout logged");
    assert.match(String(logged[0]?.fields.error), /no answer within 2000 ms/);
    await clock.runFor(1000);
    await until(() => operator.calls.length === 2, "asked again");
  });

  it("stops at once when the signal aborts, the call in flight included, without logging a failure", async () => {
    const operator = await startOperator();
    after(() => operator.close());
    operator.script.push("hang");
    const { demand, stop, logged } = demandOn(operator.url, new Map([["ml/iris", 1]]));
    demand.onDemand(iris);
    await until(() => operator.calls.length === 1, "the first call");
    stop.abort();
    await demand.idle();
    demand.onDemand(iris);
    await demand.idle();
    assert.equal(operator.calls.length, 1);
    assert.deepEqual(logged, []);
  });
});
