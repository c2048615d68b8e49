// `mdo get --watch`: informers on the ModelDeployment and its Deployments; every change that
// alters the view prints it again (on a terminal: redrawn in place, ages refreshed each second).
import type { V1Deployment } from "@kubernetes/client-node";
import { isDeepStrictEqual } from "node:util";
import { LABEL_MODEL_DEPLOYMENT } from "../controllers/modeldeployment/labels.ts";
import { ownedBy } from "../controllers/modeldeployment/ownership.ts";
import { MODEL_DEPLOYMENTS, type ModelDeploymentObject } from "../controllers/modeldeployment/resource.ts";
import type { KubeClient, KubeObject } from "../runtime/client/kube-client.ts";
import { Resources } from "../runtime/client/resource.ts";
import { Informer } from "../runtime/informer.ts";
import type { CliOutput, OutputFormat } from "./get-output.ts";
import { buildView } from "./view/build.ts";
import type { IntervalView, ModelDeploymentView } from "./view/schema.ts";
import { renderText } from "./view/text.ts";

/** Clears a terminal and puts the cursor home, before each redraw. */
const CLEAR = "\x1b[H\x1b[2J";
/** Coalesces the events of one change (status and Deployments move together) into one print. */
const SETTLE_MS = 50;

export interface WatchInput {
  client: KubeClient;
  namespace: string;
  name: string;
  format: OutputFormat;
  colour: boolean;
  output: CliOutput;
  now: () => Date;
  signal: AbortSignal;
}

/**
 * Prints the view now and after every change to it (observedAt aside) until `signal` aborts
 * (exit code 0) or the ModelDeployment is deleted (exit code 1). Off a terminal each print is
 * a whole tree after a blank line, or with JSON one object per line. Watch failures are retried
 * by the informers, each reported on standard error.
 */
export async function watchView(input: WatchInput): Promise<number> {
  const { client, namespace, name, output } = input;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  input.signal.addEventListener("abort", onAbort, { once: true });
  const onRestart = (kind: string) => (reason: string, error: unknown): void => {
    output.error(`Watch of ${kind} restarted (${reason}): ${error instanceof Error ? error.message : String(error)}`);
  };
  const mds = new Informer<ModelDeploymentObject>(client, { ref: MODEL_DEPLOYMENTS, namespace, resyncPeriodMs: 0, onRestart: onRestart("ModelDeployments") });
  const deployments = new Informer<V1Deployment & KubeObject>(client, {
    ref: Resources.deployments, namespace, labelSelector: `${LABEL_MODEL_DEPLOYMENT}=${name}`, resyncPeriodMs: 0, onRestart: onRestart("Deployments"),
  });
  let intervals: IntervalView[] = [];
  let last: ModelDeploymentView | undefined;
  let printed = 0;
  let exitCode = 0;
  let timer: NodeJS.Timeout | undefined;

  const print = (view: ModelDeploymentView): void => {
    if (input.format === "json") output.write(`${JSON.stringify(view)}\n`);
    else if (output.isTTY) output.write(`${CLEAR}${renderText(view, { colour: input.colour }).join("\n")}\n`);
    else output.write(`${printed > 0 ? "\n" : ""}${renderText(view, { colour: input.colour }).join("\n")}\n`);
    printed++;
  };
  const render = (force: boolean): void => {
    timer = undefined;
    if (!mds.hasSynced() || !deployments.hasSynced()) return;
    const md = mds.get(`${namespace}/${name}`);
    if (md === undefined) {
      output.error(`ModelDeployment ${namespace}/${name} was deleted`);
      exitCode = 1;
      stop.abort();
      return;
    }
    const view = buildView({ md, deployments: deployments.list().filter((d) => ownedBy(d, md)), now: input.now(), seenIntervals: intervals });
    intervals = view.analysis.intervals;
    const changed = last === undefined || !isDeepStrictEqual({ ...last, observedAt: "" }, { ...view, observedAt: "" });
    last = view;
    if (changed || force) print(view);
  };
  const schedule = (): void => {
    timer ??= setTimeout(() => render(false), SETTLE_MS);
  };
  mds.onChange((_type, object) => { if (object.metadata?.name === name) schedule(); });
  deployments.onChange(schedule);
  // A terminal's ages tick; off a terminal only changes print.
  const ticker = output.isTTY && input.format === "text" ? setInterval(() => { if (last !== undefined) render(true); }, 1000) : undefined;
  try {
    const running = [mds.run(stop.signal), deployments.run(stop.signal)];
    await Promise.race([Promise.all([mds.waitForSync(), deployments.waitForSync()]), new Promise((resolve) => stop.signal.addEventListener("abort", resolve, { once: true }))]);
    render(false);
    await Promise.all(running);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (ticker !== undefined) clearInterval(ticker);
    input.signal.removeEventListener("abort", onAbort);
  }
  return exitCode;
}
