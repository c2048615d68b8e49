// The benchmark's scratch directory (/tmp/mdo-bench-fetch-XXXX: the model's files, the
// credentials, every download) with the storage servers' teardown pattern: the processes the
// benchmark starts run detached in their own process groups and are recorded in the directory's
// pid file, and the reaper of src/sandbox/processes.ts ends them and deletes the directory if
// the benchmark dies before `remove()` (SIGKILL, a crash). Same disk as the repository's /tmp.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removePidFile, startReaper, stopProcessGroups, writePidFile } from "../../src/sandbox/processes.ts";

export const WORK_DIR_PREFIX = "mdo-bench-fetch-";

export interface WorkDir {
  readonly dir: string;
  /** Records a running process group for the reaper. */
  track(pid: number): Promise<void>;
  /** Forgets a process group that has ended. */
  untrack(pid: number): Promise<void>;
  /** Ends the recorded process groups and deletes the directory. Idempotent. */
  remove(): Promise<void>;
}

export async function createWorkDir(): Promise<WorkDir> {
  const dir = await mkdtemp(join(tmpdir(), WORK_DIR_PREFIX));
  const pids = new Set<number>();
  const save = (): Promise<void> => writePidFile(dir, [...pids]);
  await save();
  startReaper(process.pid, dir);
  let removing: Promise<void> | undefined;
  return {
    dir,
    track: async (pid) => {
      pids.add(pid);
      await save();
    },
    untrack: async (pid) => {
      pids.delete(pid);
      if (removing === undefined) await save();
    },
    remove: () => (removing ??= (async () => {
      await removePidFile(dir);
      await stopProcessGroups([...pids], 10_000);
      await rm(dir, { recursive: true, force: true });
    })()),
  };
}
