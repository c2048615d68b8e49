// Shadow traffic through real in-process agents: the stable agent mirrors prediction requests to
// a candidate agent (in front of a model that answers differently) and counts agreement.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { AgentConfig } from "../../../src/agent/config.ts";
import { inferBody, sampleValue } from "../../integration/agent/support/agent-fixture.ts";
import { sleep } from "../../integration/agent/support/fake-model-server.ts";
import { send, startPair, type Pair } from "../../integration/agent/support/harness.ts";

const json = { "content-type": "application/json" };
const metrics = async (pair: Pair): Promise<string> => (await fetch(`${pair.agent.metricsUrl}/metrics`)).text();
const CANDIDATE = "cand1";
const shadowCount = async (pair: Pair, result: string, candidate = CANDIDATE): Promise<number> =>
  sampleValue(await metrics(pair), "mdo_agent_shadow_requests_total", { candidate, result }) ?? 0;
async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(20);
  }
}
const shadowTo = (candidate: Pair, over: Partial<NonNullable<AgentConfig["shadow"]>> = {}): Partial<AgentConfig> =>
  ({ shadow: { candidate: CANDIDATE, url: candidate.agent.url, sampleRate: 1, maxInFlight: 8, timeoutMs: 2000, comparison: { mode: "label" }, ...over } });

describe("shadow traffic", () => {
  let candidate: Pair;
  before(async () => {
    candidate = await startPair();
    // The candidate's model is off by one on odd sums.
    candidate.fake.predict = (sum) => (sum % 2 === 1 ? sum + 1 : sum);
  });
  after(() => candidate.close());

  it("mirrors every sampled request and counts agreement exactly as compared offline", async () => {
    const stable = await startPair(shadowTo(candidate));
    try {
      const before = candidate.fake.inferences;
      let agreeing = 0;
      for (let sum = 0; sum < 10; sum++) {
        const answer = await send(stable.agent.url, "/v2/models/iris/infer", { body: inferBody([sum]), headers: json });
        assert.equal(answer.status, 200);
        assert.deepEqual((JSON.parse(answer.body) as { outputs: { data: number[] }[] }).outputs[0]?.data, [sum], "the user gets the stable model's answer");
        if (candidate.fake.predict(sum) === sum) agreeing++;
      }
      await until(async () => (await shadowCount(stable, "compared")) === 10);
      const text = await metrics(stable);
      assert.equal(sampleValue(text, "mdo_agent_shadow_rows_total", { candidate: CANDIDATE }), 10);
      assert.equal(sampleValue(text, "mdo_agent_shadow_agreeing_rows_total", { candidate: CANDIDATE }), agreeing);
      assert.equal(sampleValue(text, "mdo_agent_shadow_duration_seconds_count", { candidate: CANDIDATE }), 10);
      assert.equal(agreeing, 5);
      assert.equal(candidate.fake.inferences - before, 10);
      assert.ok(candidate.fake.received.slice(-10).every((r) => r.headers["x-mdo-shadow"] === "1"), "mirrors are marked");
    } finally {
      await stable.close();
    }
  });

  it("never makes the user wait for the candidate, and drops mirrors over maxInFlight", async () => {
    const stable = await startPair(shadowTo(candidate, { maxInFlight: 1 }));
    candidate.fake.delayMs = 400;
    try {
      const answers = await Promise.all([1, 2, 3].map((x) => send(stable.agent.url, "/v2/models/iris/infer", { body: inferBody([x]), headers: json })));
      assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
      // The users have their answers while the candidate still works on the one mirror admitted.
      assert.equal(await shadowCount(stable, "compared"), 0);
      assert.equal(await shadowCount(stable, "dropped"), 2);
      await until(async () => (await shadowCount(stable, "compared")) === 1);
    } finally {
      candidate.fake.delayMs = 0;
      await stable.close();
    }
  });

  it("counts a candidate that is down, and mirrors nothing at sample rate 0", async () => {
    const gone = await startPair();
    const url = gone.agent.url;
    await gone.close();
    const stable = await startPair({ shadow: { candidate: CANDIDATE, url, sampleRate: 1, maxInFlight: 4, timeoutMs: 500, comparison: { mode: "exact" } } });
    try {
      assert.equal((await send(stable.agent.url, "/v2/models/iris/infer", { body: inferBody([1]), headers: json })).status, 200);
      await until(async () => (await shadowCount(stable, "candidate_error")) === 1);
    } finally {
      await stable.close();
    }
    const quiet = await startPair(shadowTo(candidate, { sampleRate: 0 }));
    try {
      const before = candidate.fake.inferences;
      for (let i = 0; i < 5; i++) await send(quiet.agent.url, "/v2/models/iris/infer", { body: inferBody([i]), headers: json });
      assert.equal(candidate.fake.inferences, before);
      assert.equal(await shadowCount(quiet, "compared"), 0);
    } finally {
      await quiet.close();
    }
  });

  it("follows the shadow settings file: off while missing, on when written, off again at {} or invalid settings", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mdo-shadow-file-"));
    const file = join(dir, "shadow.json");
    const stable = await startPair({ shadowFile: file }, { shadowPollIntervalMs: 20 });
    const infer = async (x: number): Promise<void> => {
      assert.equal((await send(stable.agent.url, "/v2/models/iris/infer", { body: inferBody([x]), headers: json })).status, 200);
    };
    try {
      const start = candidate.fake.inferences;
      await infer(1);
      assert.equal(candidate.fake.inferences, start, "no file: no mirror");
      await writeFile(file, JSON.stringify(shadowTo(candidate).shadow));
      await until(async () => {
        await infer(2);
        return (await shadowCount(stable, "compared")) > 0;
      });
      await writeFile(file, "{}");
      await sleep(100);
      const compared = await shadowCount(stable, "compared");
      await until(async () => {
        const before = candidate.fake.inferences;
        await infer(3);
        await sleep(30);
        return candidate.fake.inferences === before;
      });
      // On again, then invalid settings: off (never half-applied), not the last valid ones.
      await writeFile(file, JSON.stringify(shadowTo(candidate).shadow));
      await until(async () => {
        await infer(4);
        return (await shadowCount(stable, "compared")) > compared;
      });
      await writeFile(file, JSON.stringify({ url: "ftp://nowhere", sampleRate: 1 }));
      await until(async () => {
        const before = candidate.fake.inferences;
        await infer(5);
        await sleep(30);
        return candidate.fake.inferences === before;
      });
    } finally {
      await stable.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("counts each candidate under its own label; settings without a candidate, or for another source revision, leave it off", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mdo-shadow-candidates-"));
    const file = join(dir, "shadow.json");
    // The fixture's agents are revision abc123: settings naming it as the source apply.
    const settings = (over: Record<string, unknown> = {}): string => JSON.stringify({ ...shadowTo(candidate).shadow, source: "abc123", ...over });
    const stable = await startPair({ shadowFile: file }, { shadowPollIntervalMs: 20 });
    const infer = async (x: number): Promise<void> => {
      assert.equal((await send(stable.agent.url, "/v2/models/iris/infer", { body: inferBody([x]), headers: json })).status, 200);
    };
    const mirroring = async (to: string): Promise<void> => {
      const before = await shadowCount(stable, "compared", to);
      await until(async () => {
        await infer(2);
        return (await shadowCount(stable, "compared", to)) > before;
      });
    };
    const off = (): Promise<void> => until(async () => {
      const before = candidate.fake.inferences;
      await infer(5);
      await sleep(30);
      return candidate.fake.inferences === before;
    });
    try {
      await writeFile(file, settings());
      await mirroring(CANDIDATE);
      await writeFile(file, settings({ candidate: "cand2" }));
      await mirroring("cand2");
      await sleep(100); // mirrors still in flight finish
      const [first, second] = [await shadowCount(stable, "compared"), await shadowCount(stable, "compared", "cand2")];
      assert.ok(first > 0);
      for (let x = 0; x < 3; x++) await infer(x);
      await until(async () => (await shadowCount(stable, "compared", "cand2")) === second + 3);
      assert.equal(await shadowCount(stable, "compared"), first, "the first candidate's counts stay its own");
      const text = await metrics(stable);
      assert.equal(sampleValue(text, "mdo_agent_shadow_rows_total", { candidate: "cand2" }), second + 3);
      assert.equal(sampleValue(text, "mdo_agent_shadow_rows_total", { candidate: CANDIDATE }), first);
      const { candidate: _, ...unnamed } = JSON.parse(settings()) as Record<string, unknown>;
      const offs: [string, string][] = [
        ["no candidate", JSON.stringify(unnamed)],
        ["a candidate that is not a revision name", settings({ candidate: "Not-A-Revision" })],
        ["the candidate's agents read the stable revision's settings", settings({ source: "stable1" })],
      ];
      for (const [why, text] of offs) {
        await writeFile(file, settings({ candidate: "cand2" }));
        await mirroring("cand2");
        await writeFile(file, text);
        await off().catch((error: unknown) => assert.fail(`${why}: still mirroring (${String(error)})`));
      }
    } finally {
      await stable.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
