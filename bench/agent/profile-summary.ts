// Where a V8 CPU profile (node --cpu-prof, e.g. from `npm run bench:agent -- --cpu-prof <dir>`)
// spends its time: self time by function and by module (a package, a project file, Node.js
// internals, the garbage collector), and total time (callees included) of the project's own
// functions, as percentages of the profile's busy time.
//
//   node bench/agent/profile-summary.ts <file.cpuprofile> [top]
import { readFileSync } from "node:fs";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The module a script URL belongs to: an npm package, a project file, or node: internals. */
function moduleOf(url: string): string {
  if (url === "") return "(native / VM)";
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg !== null) return pkg[1]!;
  const project = /\/(src|bench|test)\/(.*)$/.exec(url);
  return project === null ? url : `${project[1]}/${project[2]}`;
}

function top(totals: Map<string, number>, all: number, count: number): string[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => `${((us / all) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
}

const file = process.argv[2];
if (file === undefined) throw new Error("Usage: node bench/agent/profile-summary.ts <file.cpuprofile> [top]");
const count = Number(process.argv[3] ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const isProject = (url: string): boolean => /\/(src|bench)\//.test(url) && !url.includes("node_modules");
const label = (node: ProfileNode, module: string): string =>
  `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url === "" ? "" : `${module}:${node.callFrame.lineNumber + 1}`}`.trim();
const inclusive = new Map<string, number>();
const byFunction = new Map<string, number>();
const byModule = new Map<string, number>();
let all = 0;
let idle = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  const { functionName, url } = byId.get(id)!.callFrame;
  if (functionName === "(idle)") {
    idle += us;
    return;
  }
  all += us;
  const module = moduleOf(url);
  const name = label(byId.get(id)!, module);
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const node = byId.get(at)!;
    if (!isProject(node.callFrame.url)) continue;
    const key = label(node, moduleOf(node.callFrame.url));
    if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    seen.add(key);
  }
  byModule.set(module === "(native / VM)" ? functionName : module, (byModule.get(module === "(native / VM)" ? functionName : module) ?? 0) + us);
});
console.log(`${file}: ${(all / 1e6).toFixed(2)} s busy, ${(idle / 1e6).toFixed(2)} s idle\n\nSelf time by module:`);
console.log(top(byModule, all, count).join("\n"));
console.log("\nSelf time by function:");
console.log(top(byFunction, all, count).join("\n"));
console.log("\nTotal time (callees included) of the project's functions:");
console.log(top(inclusive, all, count).join("\n"));
