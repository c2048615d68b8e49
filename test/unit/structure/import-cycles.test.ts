// `npm run check` runs dependency-cruiser with .dependency-cruiser.cjs over src/. This proves the
// rule bites: the same configuration on a two-file cycle fails and names it.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const run = promisify(execFile);

test("the import rules refuse a cycle in src/ and accept the same files without it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "mdo-cycles-"));
  try {
    await copyFile(join(ROOT, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "nodenext", allowImportingTsExtensions: true, noEmit: true } }));
    await mkdir(join(dir, "src"));
    await writeFile(join(dir, "src", "a.ts"), 'import { b } from "./b.ts";\nexport const a = (): number => b() + 1;\n');
    await writeFile(join(dir, "src", "b.ts"), 'import { a } from "./a.ts";\nexport const b = (): number => (typeof a === "function" ? 1 : 0);\n');
    const depcruise = join(ROOT, "node_modules", ".bin", "depcruise");
    const args = ["src", "--config", ".dependency-cruiser.cjs", "--output-type", "err"];
    const cycle = await run(depcruise, args, { cwd: dir }).then(() => undefined, (error: { code?: number; stdout?: string }) => error);
    assert.ok(cycle !== undefined && cycle.code !== 0, "a cycle fails the check");
    assert.match(cycle.stdout ?? "", /no-circular: src\/a\.ts →\s*src\/b\.ts →\s*src\/a\.ts/);
    await writeFile(join(dir, "src", "b.ts"), "export const b = (): number => 1;\n");
    const { stdout } = await run(depcruise, args, { cwd: dir });
    assert.match(stdout, /no dependency violations found/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
