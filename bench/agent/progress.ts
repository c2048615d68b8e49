// Progress lines on stderr, each stamped with the seconds since the benchmark started.

export type Progress = (message: string) => void;

export function createProgress(): Progress {
  const start = performance.now();
  return (message) => {
    const seconds = Math.round((performance.now() - start) / 1000);
    process.stderr.write(`[${String(seconds).padStart(4)} s] ${message}\n`);
  };
}
