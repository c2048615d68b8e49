// Every `npm run <script>` (and `npm test` / `npm start`) written in README.md and docs/*.md is a
// script of package.json.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT, docFiles } from "./doc-files.ts";

/**
 * Script names run by `npm run x`, `npm run-script x`, `npm test` and `npm start` in a text; a
 * pattern (`npm run bench:*`) names no one script and is left out.
 */
export function npmScripts(text: string): string[] {
  const named = [...text.matchAll(/\bnpm run(?:-script)? ([\w:.-]+)(\*?)/g)].filter((m) => m[2] === "").map((m) => m[1] ?? "");
  const short = [...text.matchAll(/\bnpm (test|start)\b/g)].map((m) => m[1] ?? "");
  return [...named, ...short];
}

describe("npm scripts in the docs", () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

  for (const file of docFiles()) {
    it(`${file} runs only scripts package.json has`, () => {
      const missing = npmScripts(readFileSync(join(ROOT, file), "utf8")).filter((s) => !(s in scripts));
      assert.deepEqual([...new Set(missing)], []);
    });
  }

  it("a script package.json lacks is caught (the check can fail)", () => {
    const named = npmScripts("run `npm run bench:nothing`, then `npm run test:unit`, `npm run bench:*` and `npm test`");
    assert.deepEqual(named, ["bench:nothing", "test:unit", "test"]);
    assert.deepEqual(named.filter((s) => !(s in scripts)), ["bench:nothing"]);
  });
});
