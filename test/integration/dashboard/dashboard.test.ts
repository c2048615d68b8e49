// The web dashboard in a real browser (the system Chromium driven by puppeteer-core) against the
// real control plane: ModelDeployments whose status is written through the status subresource, a
// real agent serving the live drift window, and the dashboard's watch pushing changes to the page.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { request } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { KubeClient } from "../../../src/runtime/client/kube-client.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { directFetcher } from "../../../src/dashboard/live-drift.ts";
import { startDashboard, type RunningDashboard } from "../../../src/dashboard/server.ts";
import { cliRolloutWriter } from "../../../src/dashboard/writes.ts";
import { buildBaseline } from "../../../src/drift/index.ts";
import { ensureChromium } from "../../support/chromium.ts";
import { createNamespace, kubectlOk, sharedCluster, waitFor, type TestCluster } from "../../support/cluster.ts";
import { IRIS_FEATURES, irisRows } from "../../support/iris-data.ts";
import { minimalMdep } from "../../support/mdep.ts";
import { irisInferenceBody } from "../../support/mlserver.ts";
import { FailingModelServer, sendRequests, startAgentProcess, type AgentProcess } from "../analysis/support/agents.ts";
import { canaryManifest, canaryStatus, degradedStatus, LATENCY_MAX_MS, readyStatus, revisionPod, saveScreenshot, screenshotDirs, SUCCESS_MIN, writeStatus } from "./fixtures.ts";

let cluster: TestCluster;
let ns: string;
let dir: string;
let shots: string[];
let browser: Browser;
let transport: KubeTransport;
let readOnly: RunningDashboard;
let upstream: FailingModelServer;
let agent: AgentProcess;
const T1 = "2026-12-04T10:01:00Z";

before(async () => {
  const executablePath = await ensureChromium();
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "dashboard");
  dir = await mkdtemp(join(tmpdir(), "mdo-dashboard-test-"));
  shots = await screenshotDirs(dir);
  await writeFile(join(dir, "baseline.json"), JSON.stringify(buildBaseline(irisRows(5000, 1), { columns: IRIS_FEATURES, bins: 10 })));
  await kubectlOk(cluster, ["create", "configmap", "alpha-baseline", "-n", ns, `--from-file=baseline.json=${join(dir, "baseline.json")}`]);
  await kubectlOk(cluster, ["apply", "-f", "-"], canaryManifest("alpha", ns, "alpha-baseline"));
  await kubectlOk(cluster, ["apply", "-f", "-"], minimalMdep("beta", ns));
  await kubectlOk(cluster, ["apply", "-f", "-"], minimalMdep("gamma", ns));
  await writeStatus(cluster, ns, "alpha", canaryStatus("alpha", 0, T1, 0.995, 120));
  await writeStatus(cluster, ns, "beta", readyStatus());
  await writeStatus(cluster, ns, "gamma", degradedStatus());
  // The stable revision's pod, and the real agent its address is mapped to, fed inputs whose
  // petal_length is shifted by 1.5 sd: 400 rows make two 200-row windows; /drift serves the last.
  await revisionPod(cluster, ns, "alpha", "7d4f9c");
  upstream = await new FailingModelServer(1_000_000, 0).start();
  agent = await startAgentProcess("alpha-7d4f9c", upstream.port, {
    revision: "7d4f9c", model: { name: "iris", version: "v1" }, drift: { baselineFile: join(dir, "baseline.json"), window: 200 },
  });
  for (let i = 0; i < 4; i++) await sendRequests(`${agent.url}/v2/models/iris/infer`, irisInferenceBody(irisRows(100, 50 + i, [0, 0, 1.5, 0])), 1, 1);

  transport = new KubeTransport(await loadClusterAccess({ kubeconfig: cluster.kubeconfigPath }));
  readOnly = await dashboard(false);
  browser = await puppeteer.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
});

after(async () => {
  await browser?.close();
  await readOnly?.close();
  transport?.close();
  await agent?.stop();
  await upstream?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function dashboard(allowWrites: boolean): Promise<RunningDashboard> {
  const d = await startDashboard({
    client: new KubeClient(transport), namespace: ns, allowWrites, writer: cliRolloutWriter(cluster.kubeconfigPath),
    driftFetcher: directFetcher(() => agent.metricsUrl), agentPort: 9090, port: 0, address: "127.0.0.1",
  });
  await d.synced;
  return d;
}

/** Evaluates `js` (browser code) in the page and returns its JSON-able result. */
function inPage<T = unknown>(page: Page, js: string): Promise<T> {
  return page.evaluate(js) as Promise<T>;
}

function text(page: Page, selector: string): Promise<string | null> {
  return inPage(page, `document.querySelector(${JSON.stringify(selector)})?.textContent ?? null`);
}

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await page.waitForSelector("#live.on", { timeout: 10_000 }).catch((e: unknown) => {
    throw new Error(`the event stream did not open; page errors: ${errors.join("; ")}`, { cause: e });
  });
  return page;
}

test("the list shows every ModelDeployment with its phase and health", async () => {
  const page = await openPage(`${readOnly.url}/`);
  await page.waitForSelector(`tr[data-key="${ns}/gamma"]`, { timeout: 10_000 });
  const rows = await inPage<{ key: string; phase: string; health: string; dot: string }[]>(page, `[...document.querySelectorAll("table.list tbody tr")].map((tr) => ({
    key: tr.getAttribute("data-key"), phase: tr.querySelector(".phase").textContent, health: tr.getAttribute("data-health"),
    dot: getComputedStyle(tr.querySelector(".dot")).backgroundColor,
  }))`);
  assert.deepEqual(rows.map(({ key, phase, health }) => ({ key, phase, health })), [
    { key: `${ns}/alpha`, phase: "Progressing", health: "progressing" },
    { key: `${ns}/beta`, phase: "Ready", health: "healthy" },
    { key: `${ns}/gamma`, phase: "Degraded", health: "unhealthy" },
  ]);
  assert.equal(new Set(rows.map((r) => r.dot)).size, 3, `each health has its own colour: ${rows.map((r) => r.dot).join(", ")}`);
  await saveScreenshot(shots, "list.png", await page.screenshot());
  await page.close();
});

test("the detail page follows a rollout step change live, and charts each interval's analysis against its threshold", async () => {
  const page = await openPage(`${readOnly.url}/#/${ns}/alpha`);
  await page.waitForSelector('#rollout-step[data-step="0"]', { timeout: 10_000 });
  assert.deepEqual(await inPage(page, `[...document.querySelectorAll("#revisions li.rev")].map((li) => [li.getAttribute("data-role"), li.getAttribute("data-revision")])`),
    [["stable", "7d4f9c"], ["canary", "5b8e21"]]);
  assert.equal(await text(page, ".steps li.current"), "20%");
  await page.evaluate("window.notReloaded = true");

  await writeStatus(cluster, ns, "alpha", canaryStatus("alpha", 1, "2026-12-04T10:01:30Z", 0.97, 180));
  await page.waitForSelector('#rollout-step[data-step="1"][data-weight="50"]', { timeout: 10_000 });
  assert.equal(await page.evaluate("window.notReloaded"), true, "the page changed without a reload");
  assert.equal(await text(page, ".steps li.current"), "50%");
  await page.waitForSelector('#analysis-charts[data-intervals="2"]', { timeout: 10_000 });
  const chart = (check: string) => inPage<{ points: [number, string, number][]; threshold: [number, number][] }>(page, `(() => {
    const svg = document.querySelector('svg.analysis[data-check="${check}"]');
    return {
      points: [...svg.querySelectorAll("circle.point")].map((c) => [Number(c.getAttribute("data-value")), c.getAttribute("data-status"), Number(c.getAttribute("cy"))]),
      threshold: [...svg.querySelectorAll("line.threshold")].map((l) => [Number(l.getAttribute("data-value")), Number(l.getAttribute("y1"))]),
    };
  })()`);
  const success = await chart("successRate");
  assert.deepEqual(success.points.map(([v, s]) => [v, s]), [[0.995, "pass"], [0.97, "fail"]]);
  assert.equal(success.threshold.length, 1);
  const [[min, minY]] = success.threshold as [[number, number]];
  assert.equal(min, SUCCESS_MIN);
  const [[, , passY], [, , failY]] = success.points as [[number, string, number], [number, string, number]];
  assert.ok(passY < minY && failY > minY, `the passing point is above the min line and the failing one below (y ${passY}, ${minY}, ${failY})`);
  const latency = await chart("latencyP99");
  assert.deepEqual(latency.points.map(([v, s]) => [v, s]), [[120, "pass"], [180, "pass"]]);
  assert.equal(latency.threshold[0]?.[0], LATENCY_MAX_MS);
  await saveScreenshot(shots, "detail.png", await page.screenshot({ fullPage: true }));
  await page.close();
});

test("the drift histograms draw the baseline's shares and the agent's live counts, bar for bar", async () => {
  const report = await (await fetch(`${agent.metricsUrl}/drift`)).json() as { features: { name: string; counts: number[] }[] };
  const baseline = JSON.parse(await kubectlOk(cluster, ["get", "configmap", "alpha-baseline", "-n", ns, "-o", "jsonpath={.data.baseline\\.json}"])) as { features: { name: string; proportions: number[] }[] };
  const page = await openPage(`${readOnly.url}/#/${ns}/alpha`);
  await page.waitForSelector('.feature[data-feature="petal_length"] svg.live', { timeout: 15_000 });
  type Bar = { share: number; count: number; height: number };
  const drawn = await inPage<{ name: string; baseline: Bar[]; live: Bar[] }[]>(page, `[...document.querySelectorAll(".feature")].map((f) => {
    const bars = (kind) => [...f.querySelectorAll("rect.bar." + kind)].map((r) => ({ share: Number(r.getAttribute("data-share")), count: Number(r.getAttribute("data-count")), height: Number(r.getAttribute("height")) }));
    return { name: f.getAttribute("data-feature"), baseline: bars("baseline"), live: bars("live") };
  })`);
  assert.deepEqual(drawn.map((f) => f.name).slice(0, 2), ["petal_length", "sepal_length"], "most drifted first, by status.drift's PSI");
  assert.equal(drawn.length, 4);
  for (const f of drawn) {
    const expected = baseline.features.find((b) => b.name === f.name)!;
    const counts = report.features.find((r) => r.name === f.name)!.counts;
    assert.equal(f.baseline.length, expected.proportions.length, `${f.name}: one baseline bar per bin`);
    assert.equal(f.live.length, counts.length, `${f.name}: one live bar per bin`);
    assert.deepEqual(f.live.map((b) => b.count), counts, `${f.name}: the live bars are the agent's counts`);
    f.baseline.forEach((b, i) => assert.ok(Math.abs(b.share - (expected.proportions[i] ?? NaN)) < 1e-9, `${f.name} bin ${i}: baseline share`));
    const total = counts.reduce((a, b) => a + b, 0);
    const all = [...f.baseline, ...f.live];
    const top = Math.max(...all.map((b) => b.share));
    for (const b of all) assert.ok(Math.abs(b.height - (b.share / top) * 116) < 1e-6, `${f.name}: heights on one scale`);
    f.live.forEach((b) => assert.ok(Math.abs(b.share - b.count / total) < 1e-9));
  }
  // The shift moved petal_length's mass up: its live histogram is not its baseline's.
  const petal = drawn[0]!;
  const mean = (shares: number[]) => shares.reduce((a, s, i) => a + s * i, 0);
  assert.ok(mean(petal.live.map((b) => b.share)) > mean(petal.baseline.map((b) => b.share)) + 1, "petal_length's live bins sit higher than the baseline's");
  const feature = await page.$('.feature[data-feature="petal_length"]');
  await saveScreenshot(shots, "drift.png", await feature!.screenshot());
  await page.close();
});

test("read-only: no write buttons, and the write endpoints answer 403", async () => {
  const page = await openPage(`${readOnly.url}/#/${ns}/alpha`);
  await page.waitForSelector("#rollout-step", { timeout: 10_000 });
  assert.equal(await page.$("#promote"), null);
  assert.equal(await page.$("#abort"), null);
  assert.equal(await text(page, "#mode"), "read-only");
  await page.close();
  const config = await (await fetch(`${readOnly.url}/api/config`)).json() as Record<string, unknown>;
  assert.equal(config.writes, false);
  assert.equal(config.confirmToken, undefined);
  for (const kind of ["promote", "abort"]) {
    const res = await fetch(`${readOnly.url}/api/modeldeployments/${ns}/alpha/${kind}`, { method: "POST", headers: { "X-MDO-Confirm": "anything" } });
    assert.equal(res.status, 403, kind);
  }
  const rebound = await new Promise<number>((resolve, reject) => {
    const req = request(`${readOnly.url}/api/modeldeployments`, { headers: { Host: "rebound.example:8080" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once("error", reject);
    req.end();
  });
  assert.equal(rebound, 403, "on loopback, a request naming another host (DNS rebinding) is refused");
  const annotations = await kubectlOk(cluster, ["get", "mdep", "alpha", "-n", ns, "-o", "jsonpath={.metadata.annotations}"]);
  assert.doesNotMatch(annotations, /mdo\.dev\/(promote|abort)/);
});

test("with --allow-writes, promote asks for confirmation and sets the annotation mdo promote sets", async () => {
  const writable = await dashboard(true);
  try {
    const noToken = await fetch(`${writable.url}/api/modeldeployments/${ns}/alpha/promote`, { method: "POST" });
    assert.equal(noToken.status, 403, "a POST without the confirmation token is refused");
    const { confirmToken } = await (await fetch(`${writable.url}/api/config`)).json() as { confirmToken: string };
    const foreign = await fetch(`${writable.url}/api/modeldeployments/${ns}/alpha/abort`, { method: "POST", headers: { "X-MDO-Confirm": confirmToken, Origin: "http://elsewhere.example" } });
    assert.equal(foreign.status, 403, "a POST from another origin is refused, even with the token");
    assert.equal((await fetch(`${writable.url}/api/modeldeployments/${ns}/alpha/abort`)).status, 405, "a GET never writes");
    const page = await openPage(`${writable.url}/#/${ns}/alpha`);
    await page.waitForSelector("#promote", { timeout: 10_000 });
    const dialogs: string[] = [];
    let accept = false;
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void (accept ? d.accept() : d.dismiss());
    });
    await page.click("#promote");
    await waitFor("the first confirmation", 5000, () => dialogs.length === 1);
    assert.equal(await text(page, "#write-result"), "", "dismissed: nothing sent");
    accept = true;
    await page.click("#promote");
    await page.waitForFunction('document.getElementById("write-result")?.textContent?.startsWith("Sent promote")', { timeout: 10_000 });
    assert.match(dialogs[1] ?? "", /Promote the rollout of .*\/alpha\?/);
    await page.close();

    const cli = spawn(process.execPath, ["src/cmd/mdo.ts", "promote", "beta", "-n", ns, "--kubeconfig", cluster.kubeconfigPath], { stdio: "ignore" });
    const [code] = await once(cli, "exit") as [number];
    assert.equal(code, 0);
    const written = async (name: string) => JSON.parse(await kubectlOk(cluster, ["get", "mdep", name, "-n", ns, "-o", "json", "--show-managed-fields"])) as {
      metadata: { annotations?: Record<string, string>; managedFields: { manager: string; fieldsV1?: { "f:metadata"?: { "f:annotations"?: Record<string, unknown> } } }[] };
    };
    const fromPage = await written("alpha");
    const fromCli = await written("beta");
    for (const md of [fromPage, fromCli]) {
      assert.match(md.metadata.annotations?.["mdo.dev/promote"] ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const manager = md.metadata.managedFields.find((f) => f.fieldsV1?.["f:metadata"]?.["f:annotations"]?.["f:mdo.dev/promote"] !== undefined)?.manager;
      assert.equal(manager, "mdo-cli", "written by the CLI's own request");
    }
    assert.equal(fromPage.metadata.annotations?.["mdo.dev/abort"], undefined);
  } finally {
    await writable.close();
  }
});

test("mdo dashboard serves the same API from the command line", async () => {
  const child = spawn(process.execPath, ["src/cmd/mdo.ts", "dashboard", "--port", "0", "-n", ns, "--kubeconfig", cluster.kubeconfigPath], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    await waitFor("the dashboard's URL", 20_000, () => /http:\/\/127\.0\.0\.1:\d+/.test(out));
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(out)![0];
    assert.match(out, /read-only/);
    let names: string[] = [];
    await waitFor("the listed ModelDeployments", 10_000, async () => {
      const body = await (await fetch(`${url}/api/modeldeployments`)).json() as { items: { name: string }[] };
      names = body.items.map((i) => i.name);
      return names.length === 3;
    });
    assert.deepEqual(names, ["alpha", "beta", "gamma"]);
    assert.equal((await fetch(`${url}/api/modeldeployments/${ns}/alpha/abort`, { method: "POST" })).status, 403);
  } finally {
    child.kill("SIGTERM");
    await once(child, "exit");
  }
});
