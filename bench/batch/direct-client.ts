// The baseline of the throughput part: the least a program must do to score a JSON Lines file
// with a V2 model server, run as its own process like `mdo batch run`. It streams the file, splits
// it into lines, parses each line (a feature array), sends `--batch-size` rows per call in the worker's
// request body (one FP64 input `input-0` of shape [rows, features]) with at most `--concurrency`
// calls in flight over an undici Pool of as many keep-alive connections, and writes one line per
// row, as the worker's part file does (`{"row":…,"id":…,"prediction":…}`), in the order the
// answers come. No validation, retries, failure budget or manifest. Prints one JSON line at the
// end: rows, batches, and the milliseconds from opening the input to closing the output.
//
//   node bench/batch/direct-client.ts --input F --output F --model-url U --model-name N --batch-size 64 --concurrency 4
import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { Pool } from "undici";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      input: { type: "string" }, output: { type: "string" }, "model-url": { type: "string" }, "model-name": { type: "string" },
      "batch-size": { type: "string", default: "64" }, concurrency: { type: "string", default: "4" },
    },
  });
  const { input, output } = values;
  const modelUrl = values["model-url"];
  const modelName = values["model-name"];
  if (input === undefined || output === undefined || modelUrl === undefined || modelName === undefined) {
    console.error("--input, --output, --model-url and --model-name are required");
    return 2;
  }
  const batchSize = Number(values["batch-size"]);
  const concurrency = Number(values.concurrency);
  const started = performance.now();
  const pool = new Pool(modelUrl, { connections: concurrency });
  const path = `/v2/models/${encodeURIComponent(modelName)}/infer`;
  const out = createWriteStream(output);
  let rows = 0;
  let batches = 0;

  const send = async (first: number, batch: number[][]): Promise<void> => {
    const body = JSON.stringify({ inputs: [{ name: "input-0", shape: [batch.length, batch[0]!.length], datatype: "FP64", data: batch.flat() }] });
    const response = await pool.request({ method: "POST", path, headers: { "content-type": "application/json" }, body });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
    const data = (JSON.parse(text) as { outputs: { data: unknown[] }[] }).outputs[0]!.data;
    if (data.length !== batch.length) throw new Error(`${data.length} predictions for ${batch.length} rows`);
    let lines = "";
    for (let i = 0; i < data.length; i++) lines += `${JSON.stringify({ row: first + i, id: first + i, prediction: data[i] })}\n`;
    rows += batch.length;
    if (!out.write(lines)) await once(out, "drain");
  };

  const inFlight = new Set<Promise<void>>();
  const dispatch = async (first: number, batch: number[][]): Promise<void> => {
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    batches++;
    const call = send(first, batch).finally(() => inFlight.delete(call));
    inFlight.add(call);
  };

  let batch: number[][] = [];
  let first = 0;
  let row = 0;
  // Lines split by hand: readline's async iterator throws ERR_USE_AFTER_CLOSE on Node.js 24.9
  // when the file ends while it has paused the stream (short lines, a consumer that awaits).
  let rest = "";
  for await (const chunk of createReadStream(input, { encoding: "utf8" }) as AsyncIterable<string>) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop()!;
    for (const line of lines) {
      if (line === "") continue;
      batch.push(JSON.parse(line) as number[]);
      row++;
      if (batch.length === batchSize) {
        await dispatch(first, batch);
        batch = [];
        first = row;
      }
    }
  }
  if (rest !== "") batch.push(JSON.parse(rest) as number[]);
  if (batch.length > 0) await dispatch(first, batch);
  await Promise.all(inFlight);
  out.end();
  await once(out, "finish");
  await pool.close();
  console.log(JSON.stringify({ rows, batches, ms: performance.now() - started }));
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
