// Every relative link and every repository path written in backticks in README.md and docs/*.md,
// or bare in a plain block (the architecture diagrams, the README's layout), points at something
// that exists; a link to a heading of a markdown file names a real heading.
import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, it } from "node:test";
import { ROOT, blocks, docFiles, prose } from "./doc-files.ts";

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

function anchors(file: string): Set<string> {
  const headings = prose(readFileSync(join(ROOT, file), "utf8")).match(/^#{1,6} .+$/gm) ?? [];
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const h of headings) {
    const base = slug(h.replace(/^#+ /, "").replace(/`/g, ""));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    found.add(n === 0 ? base : `${base}-${n}`);
  }
  return found;
}

/** Relative link targets of markdown links and images: `](target)`, external and bare anchors left out. */
export function links(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1] ?? "")
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith("#"));
}

const PATH_ROOTS = ["src", "docs", "charts", "deploy", "examples", "bench", "scripts", "test", "crds", "images", "tools"];
const PATH = new RegExp(`^(?:${PATH_ROOTS.join("|")})/[\\w./@+-]*$`);

/**
 * Repository paths written in backticks (`src/agent/`, `docs/cli.md`, `scripts/generate.ts:12`).
 * Patterns and placeholders (`*`, `<name>`, `{a,b}`, `…`) are not paths and are left out.
 */
export function backtickedPaths(text: string): string[] {
  return [...prose(text).matchAll(/`([^`\n]+)`/g)]
    .map((m) => (m[1] ?? "").trim().replace(/:\d+(?:-\d+)?$/, "").replace(/#.*$/, ""))
    .filter((p) => PATH.test(p));
}

/** Repository paths in plain blocks (no language: diagrams and layouts), bare, not in backticks. */
export function diagramPaths(body: string): string[] {
  const bare = new RegExp(`(?<![\\w/.-])((?:${PATH_ROOTS.join("|")})/[\\w./-]*)`, "g");
  return [...body.matchAll(bare)].map((m) => (m[1] ?? "").replace(/[.,:;]+$/, ""));
}

describe("links and paths in the docs", () => {
  for (const file of docFiles()) {
    it(`${file}: relative links and backticked repository paths exist`, () => {
      const text = readFileSync(join(ROOT, file), "utf8");
      const missing: string[] = [];
      for (const target of links(text)) {
        const [path = "", anchor] = target.split("#");
        const resolved = path === "" ? file : relative(ROOT, normalize(join(ROOT, dirname(file), decodeURIComponent(path))));
        if (!existsSync(join(ROOT, resolved))) missing.push(`link ${target}`);
        else if (anchor !== undefined && resolved.endsWith(".md") && !anchors(resolved).has(anchor)) missing.push(`anchor ${target}`);
      }
      for (const path of backtickedPaths(text)) if (!existsSync(join(ROOT, path))) missing.push(`path ${path}`);
      for (const block of blocks(file, text).filter((b) => b.lang === "")) {
        for (const path of diagramPaths(block.body)) if (!existsSync(join(ROOT, path))) missing.push(`${block.where}: path ${path}`);
      }
      assert.deepEqual(missing, []);
    });
  }

  it("a missing path, link or anchor is seen (the check can fail)", () => {
    const text = "See [x](docs/cli.md#no-such-heading), [y](no-such.md) and `src/no-such/`.\n```\nsrc/in-a-block/\n```\n";
    assert.deepEqual(links(text), ["docs/cli.md#no-such-heading", "no-such.md"]);
    assert.deepEqual(backtickedPaths(text), ["src/no-such/"]);
    assert.deepEqual(diagramPaths(" agent (src/agent/) ─▶ x\n mdo operator (src/cmd/mdo.ts → src/operator/run.ts)."), ["src/agent/", "src/cmd/mdo.ts", "src/operator/run.ts"]);
    assert.ok(!anchors("docs/cli.md").has("no-such-heading"));
    assert.ok(anchors("README.md").has("quick-start"));
  });
});
