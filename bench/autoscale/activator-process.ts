// The activator as its own process, for the steady-state part (in a cluster it is its own pod,
// so its CPU is apart from the clients'): the in-process host of activator-host.ts with the
// given backend already ready. Prints {"port": N} once listening on 127.0.0.1; stops on SIGTERM.
//
//   node bench/autoscale/activator-process.ts <backend base URL>
import { startActivatorHost, TARGET } from "./activator-host.ts";

const backend = process.argv[2];
if (backend === undefined || !/^http:\/\/127\.0\.0\.1:\d+$/.test(backend)) throw new Error(`Usage: activator-process.ts http://127.0.0.1:<port>, got ${String(backend)}`);
const host = await startActivatorHost(() => {
  throw new Error("The steady-state activator's backend is always ready: no cold start may begin");
});
host.directory.set(TARGET, [backend]);
console.log(JSON.stringify({ port: Number(new URL(host.origin).port) }));
process.once("SIGTERM", () => void host.close());
