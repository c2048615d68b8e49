// Golden text of `mdo get` and `mdo list`, with colour off and on (escape codes shown as \e).
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { stripVTControlCharacters } from "node:util";
import { buildListRow, buildView } from "../../../src/cli/view/build.ts";
import { humanDuration } from "../../../src/cli/view/format.ts";
import { renderListText } from "../../../src/cli/view/list-text.ts";
import { VIEW_API_VERSION, type ModelDeploymentListView } from "../../../src/cli/view/schema.ts";
import { renderText } from "../../../src/cli/view/text.ts";
import { canaryDeployments, canaryMd, NOW } from "./fixtures.ts";

const GOLDEN_DIR = join(import.meta.dirname, "golden");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

function golden(file: string, actual: string): void {
  const path = join(GOLDEN_DIR, file);
  if (UPDATE) writeFileSync(path, actual);
  assert.ok(existsSync(path), `${path} is missing; run with UPDATE_GOLDEN=1 to create it`);
  assert.equal(actual, readFileSync(path, "utf8"), `${file} changed; run with UPDATE_GOLDEN=1 if intended and review the diff`);
}

const visible = (lines: string[]): string => `${lines.join("\n").replaceAll("\x1b", "\\e")}\n`;

describe("mdo get text", () => {
  const view = buildView({ md: canaryMd(), deployments: canaryDeployments(), now: NOW });

  it("plain: no escape codes", () => {
    const lines = renderText(view, { colour: false });
    assert.ok(lines.every((l) => !l.includes("\x1b")));
    golden("get-plain.txt", visible(lines));
  });

  it("colour: the same text once escape codes are removed", () => {
    const lines = renderText(view, { colour: true });
    assert.ok(lines.some((l) => l.includes("\x1b[32m")), "green somewhere");
    assert.deepEqual(lines.map((l) => stripVTControlCharacters(l)), renderText(view, { colour: false }));
    golden("get-colour.txt", visible(lines));
  });
});

describe("mdo get text of a status behind its spec", () => {
  it("flags the phase as of an older generation", () => {
    const md = canaryMd();
    md.metadata!.generation = 4;
    const [, phase] = renderText(buildView({ md, deployments: [], now: NOW }), { colour: false });
    assert.equal(phase, "Phase:     Progressing  (status is of an older generation)");
  });
});

describe("mdo list text", () => {
  it("one row per ModelDeployment, with a namespace column for -A", () => {
    const md = canaryMd();
    Object.assign(md.metadata!, { creationTimestamp: "2026-02-28T11:00:00Z" });
    const view: ModelDeploymentListView = { apiVersion: VIEW_API_VERSION, kind: "ModelDeploymentListView", observedAt: NOW.toISOString(), items: [buildListRow(md)] };
    golden("list-plain.txt", visible(renderListText(view, { colour: false, allNamespaces: true })));
    assert.deepEqual(renderListText({ ...view, items: [] }, { colour: false, allNamespaces: false, namespace: "ml" }), ["No ModelDeployments found in namespace ml."]);
  });
});

describe("humanDuration", () => {
  it("prints ages as kubectl does", () => {
    assert.deepEqual([0, 45_000, 192_000, 600_000, 2_580_000, 18_600_000, 273_600_000].map(humanDuration), ["0s", "45s", "3m12s", "10m", "43m", "5h10m", "3d4h"]);
  });
});
