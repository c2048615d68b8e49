// The two clients the benchmark compares, as the command lines it runs: `mdo batch run` (the
// worker, exactly as a user runs it) and the direct client, with the same batch size and
// concurrency.
import { join, resolve } from "node:path";

export const MDO = resolve(import.meta.dirname, "../../src/cmd/mdo.ts");
export const DIRECT = resolve(import.meta.dirname, "direct-client.ts");

export type ClientName = "direct" | "worker";

export interface ClientJob {
  readonly input: string;
  readonly modelUrl: string;
  readonly modelName: string;
  readonly batchSize: number;
  readonly concurrency: number;
}

/** The script, its arguments and where its predictions land (the worker writes part-0.jsonl in `outDir`). */
export function clientCommand(client: ClientName, job: ClientJob, outDir: string, workerScript: string = MDO): { script: string; args: string[]; predictions: string } {
  const common = ["--input", job.input, "--model-url", job.modelUrl, "--model-name", job.modelName, "--batch-size", String(job.batchSize), "--concurrency", String(job.concurrency)];
  if (client === "worker") return { script: workerScript, args: ["batch", "run", ...common, "--output", outDir], predictions: join(outDir, "part-0.jsonl") };
  const file = join(outDir, "direct.jsonl");
  return { script: DIRECT, args: [...common, "--output", file], predictions: file };
}

/** The command line a client ran with (its output directory as `<out>`), for the results file. */
export function describeCommand(client: ClientName, job: ClientJob): string {
  const { args } = clientCommand(client, job, "<out>");
  const script = client === "worker" ? "node src/cmd/mdo.ts" : "node bench/batch/direct-client.ts";
  return `${script} ${args.join(" ")}`;
}
