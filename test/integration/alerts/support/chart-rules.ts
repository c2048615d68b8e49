// The chart's alert rules as Prometheus loads them: `helm template` of charts/mdo with the
// PrometheusRule on, the PrometheusRule's spec.groups written as a plain Prometheus rule file,
// and promtool (shipped next to the prometheus binary by scripts/prometheus-env) to check it.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { loadAll } from "js-yaml";
import { CHART_DIR, helmOk } from "../../../support/helm.ts";
import { prometheusBinary } from "../../../support/prometheus.ts";

export interface RuleGroup {
  name: string;
  rules: { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[];
}

/**
 * Renders the chart with `values` (written to `dir` as a values file, JSON being YAML) and returns
 * the groups of its one PrometheusRule. Throws when helm fails or there is no PrometheusRule.
 */
export async function chartRuleGroups(dir: string, values: Record<string, unknown>): Promise<RuleGroup[]> {
  const valuesFile = join(dir, "values.json");
  await writeFile(valuesFile, JSON.stringify(values));
  const out = await helmOk(["template", "alerts", CHART_DIR, "--namespace", "mdo-system", "-f", valuesFile]);
  const rules = loadAll(out).filter((o): o is { kind: string; spec: { groups: RuleGroup[] } } =>
    typeof o === "object" && o !== null && (o as { kind?: unknown }).kind === "PrometheusRule");
  if (rules.length !== 1) throw new Error(`helm template rendered ${rules.length} PrometheusRules, expected 1`);
  return rules[0]!.spec.groups;
}

/** Writes `groups` as a Prometheus rule file in `dir`; returns its path. */
export async function writeRuleFile(dir: string, groups: RuleGroup[]): Promise<string> {
  const path = join(dir, "mdo-rules.yml");
  await writeFile(path, JSON.stringify({ groups }, null, 2));
  return path;
}

/** `promtool check rules <file>`: resolves with its output, rejects with it when the check fails. */
export async function promtoolCheckRules(file: string): Promise<string> {
  const promtool = join(dirname(await prometheusBinary()), "promtool");
  try {
    const { stdout, stderr } = await promisify(execFile)(promtool, ["check", "rules", file], { timeout: 30_000 });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`promtool check rules failed: ${e.stdout ?? ""}${e.stderr ?? String(error)}`, { cause: error });
  }
}
