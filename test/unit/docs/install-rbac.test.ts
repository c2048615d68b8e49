// docs/install.md's permissions table lists exactly the rules of the chart's RBAC templates: the
// operator's (rbac.yaml, and the activator-endpoints Role in activator-rbac.yaml), the
// activator's and the dashboard's.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { load } from "js-yaml";
import { ROOT } from "./doc-files.ts";

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** The `rules:` lists of an RBAC template, in order; a template value (a resource name) becomes a string. */
export function templateRules(text: string): Rule[][] {
  return [...text.matchAll(/^rules:\n((?:[ ]{2,}.*\n|\s*\n)+)/gm)].map((m) => load((m[1] ?? "").replace(/\{\{[^}]*\}\}/g, '"value"')) as Rule[]);
}

const key = (who: string, group: string, resource: string, verbs: string[]): string =>
  `${who} ${group === "" ? "core" : group} ${resource}: ${[...verbs].sort().join(", ")}`;

const flatten = (who: string, rules: Rule[]): string[] =>
  rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => key(who, g, res, r.verbs))));

/** The rows of the table under "### Permissions", one key per resource. */
export function tableRows(markdown: string): string[] {
  const section = markdown.slice(markdown.indexOf("### Permissions"));
  const rows: string[] = [];
  for (const line of section.split("\n")) {
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    if (cells.length !== 4 || cells[0] === "who" || /^-+$/.test(cells[0] ?? "")) continue;
    const [who = "", group = "", resources = "", verbs = ""] = cells;
    for (const res of resources.matchAll(/`([^`]+)`/g)) {
      rows.push(key(who.split(" ")[0] ?? "", group.replace(/`/g, "") === "core" ? "" : group.replace(/`/g, ""), res[1] ?? "", verbs.split(",").map((v) => v.trim())));
    }
  }
  return rows.sort();
}

function chartRows(): string[] {
  const read = (f: string): string => readFileSync(join(ROOT, "charts/mdo/templates", f), "utf8");
  const operator = templateRules(read("rbac.yaml"));
  const [activator = [], endpoints = []] = templateRules(read("activator-rbac.yaml"));
  const dashboard = templateRules(read("dashboard-rbac.yaml"));
  return [
    ...operator.flatMap((rules) => flatten("operator", rules)),
    ...flatten("operator", endpoints),
    ...flatten("activator", activator),
    ...dashboard.flatMap((rules) => flatten("dashboard", rules)),
  ].sort();
}

describe("docs/install.md permissions", () => {
  it("match the chart's RBAC templates exactly", () => {
    const chart = chartRows();
    assert.ok(chart.length > 20, `rules found in the templates: ${chart.length}`);
    assert.deepEqual(tableRows(readFileSync(join(ROOT, "docs/install.md"), "utf8")), chart);
  });

  it("a verb the chart does not grant is caught (the check can fail)", () => {
    const doc = readFileSync(join(ROOT, "docs/install.md"), "utf8").replace("| core | `secrets` | get |", "| core | `secrets` | get, list |");
    assert.notDeepEqual(tableRows(doc), chartRows());
  });
});
