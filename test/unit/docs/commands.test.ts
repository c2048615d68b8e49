// Every `mdo <command>` written in README.md and docs/*.md (shell blocks and inline code, also as
// `kubectl mdo`) names a real command (and subcommand), and every flag written after it is one the
// command's own --help lists. The help comes from running the command, so a flag renamed in the
// code and not in the docs fails here.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { promisify } from "node:util";
import { ROOT, blocks, docFiles, prose } from "./doc-files.ts";

const run = promisify(execFile);
const SHELL = new Set(["", "bash", "sh", "shell", "console"]);

export interface Invocation {
  where: string;
  command: string;
  /** The word after the command when it is a bare word (a subcommand or an argument). */
  next?: string;
  flags: string[];
}

/** Words of one command line up to where it ends (a pipe, redirection, `;`, `&&` or a comment). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const raw of line.trim().split(/\s+/)) {
    if (/^(\||\|\||&&|;|#|>|>>|2>|2>&1|<)$/.test(raw) || raw.startsWith("#")) break;
    out.push(raw.replace(/^\[+|[\]]+$/g, ""));
  }
  return out;
}

/** `mdo …` invocations in one line of shell (or one inline code span). */
export function invocations(where: string, line: string): Invocation[] {
  const found: Invocation[] = [];
  for (const m of line.matchAll(/(?:^|[;&|(]\s*|\$ )(?:kubectl )?mdo ([^\n]*)/g)) {
    const [word = "", ...rest] = words(m[1] ?? "");
    if (!/^[a-z][a-z|-]*$/.test(word)) continue;
    const next = rest[0] !== undefined && /^[a-z][a-z-]*$/.test(rest[0]) ? rest[0] : undefined;
    const flags = rest.filter((w) => /^--?[a-zA-Z]/.test(w)).map((w) => w.replace(/=.*$/, ""));
    for (const command of word.split("|")) found.push({ where, command, ...(next === undefined ? {} : { next }), flags });
  }
  return found;
}

/** Every invocation in README.md and docs/*.md, except docs/benchmarks.md's tables of measurements. */
export function docInvocations(): Invocation[] {
  const found: Invocation[] = [];
  for (const file of docFiles()) {
    const text = readFileSync(join(ROOT, file), "utf8");
    for (const block of blocks(file, text)) {
      if (!SHELL.has(block.lang)) continue;
      const joined = block.body.replace(/\\\n/g, " ");
      for (const line of joined.split("\n")) found.push(...invocations(block.where, line));
    }
    for (const m of prose(text).matchAll(/`((?:kubectl )?mdo [^`\n]+)`/g)) found.push(...invocations(`${file} (\`${m[1]}\`)`, m[1] ?? ""));
  }
  return found;
}

const help = new Map<string, { code: number; text: string }>();

async function helpOf(command: string): Promise<{ code: number; text: string }> {
  const node = process.execPath;
  return run(node, [join(ROOT, "src/cmd/mdo.ts"), command, "--help"], { cwd: ROOT, timeout: 30_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, text: stdout + stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, text: (error.stdout ?? "") + (error.stderr ?? "") }),
  );
}

/** The problems with one invocation, judged from its command's --help. */
export function problems(inv: Invocation, helpText: { code: number; text: string } | undefined): string[] {
  if (helpText === undefined || helpText.code !== 0) return [`${inv.where}: mdo ${inv.command} is not a command`];
  const subs = new Set([...helpText.text.matchAll(new RegExp(`mdo ${inv.command} ([a-z][a-z-]*)\\b`, "g"))].map((m) => m[1]));
  const out: string[] = [];
  if (subs.size > 0 && (inv.next === undefined || !subs.has(inv.next))) out.push(`${inv.where}: mdo ${inv.command} ${inv.next ?? ""} is not one of ${[...subs].join(", ")}`);
  for (const flag of inv.flags) {
    const listed = new RegExp(`(^|[\\s\\[|,(])${flag.replace(/[-]/g, "\\-")}(?![\\w-])`, "m");
    if (flag !== "--help" && !listed.test(helpText.text)) out.push(`${inv.where}: mdo ${inv.command} does not take ${flag}`);
  }
  return out;
}

describe("mdo commands in the docs", () => {
  const found = docInvocations();

  before(async () => {
    const commands = [...new Set([...found.map((i) => i.command), "get"])];
    const answers = await Promise.all(commands.map(async (c) => [c, await helpOf(c)] as const));
    for (const [c, answer] of answers) help.set(c, answer);
  });

  it("are found (get, dashboard, baseline build and batch run at least)", () => {
    const names = new Set(found.map((i) => i.command));
    for (const c of ["get", "list", "dashboard", "baseline", "batch", "promote"]) assert.ok(names.has(c), `mdo ${c}`);
  });

  it("name real commands and only flags those commands take", () => {
    assert.deepEqual(found.flatMap((inv) => problems(inv, help.get(inv.command))), []);
  });

  it("an unknown command, subcommand or flag is caught (the check can fail)", async () => {
    const getHelp = help.get("get");
    assert.ok(getHelp);
    const [get] = invocations("x", "mdo get fraud -n ml --watch --no-such-flag | head");
    assert.ok(get);
    assert.deepEqual(problems(get, getHelp), ["x: mdo get does not take --no-such-flag"]);
    const [baseline] = invocations("x", "mdo baseline bild data.csv");
    assert.ok(baseline);
    assert.match(problems(baseline, await helpOf("baseline")).join(), /not one of build/);
    const [unknown] = invocations("x", "kubectl mdo frobnicate fraud");
    assert.ok(unknown);
    assert.match(problems(unknown, await helpOf("frobnicate")).join(), /not a command/);
  });
});
