// The load generator, run as its own process so its CPU is apart from the target's:
//
//   node bench/agent/load-generator.ts '<LoadSpec as JSON>'
//
// Prints {"event":"measuring"} when the measured window opens and {"event":"done","result":…}
// at the end (see load-spec.ts), one JSON line each.
import { runClosedLoop } from "./closed-loop.ts";
import { LoadSpec, type LoadEvent } from "./load-spec.ts";
import { runOpenLoop } from "./open-loop.ts";
import { InferSender } from "./sender.ts";
import { inferBodies } from "./synthetic.ts";

/** Distinct bodies cycled through (drawn like the drift baseline's rows, from another seed). */
const BODIES = 512;

const emit = (event: LoadEvent): void => void process.stdout.write(`${JSON.stringify(event)}\n`);

const spec = LoadSpec.parse(JSON.parse(process.argv[2] ?? "{}"));
const sender = new InferSender(spec.origin, spec.path, spec.connections, inferBodies(BODIES, 2));
const onMeasuring = (): void => emit({ event: "measuring" });
const result = spec.mode === "open"
  ? await runOpenLoop(sender, { rate: spec.rate, warmupS: spec.warmupS, durationS: spec.durationS, onMeasuring })
  : await runClosedLoop(sender, { connections: spec.connections, warmupS: spec.warmupS, durationS: spec.durationS, onMeasuring });
await sender.close();
emit({ event: "done", result });
