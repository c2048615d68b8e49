// What a benchmark does on SIGINT or SIGTERM: says so, stops the processes it started (`stop`),
// then raises the signal again so it ends as signalled — which the reapers watching it (of
// MLServer's, the pods' process groups) take as their cue.
export function stopOnSignals(stop: () => void): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping every process the benchmark started\n`);
      stop();
      process.kill(process.pid, signal);
    });
  }
}
