// What every storage server of the tests shares: a temporary directory with a recognisable
// prefix (`/tmp/mdo-<kind>-XXXX`: config, data, certificates and `<name>.log`), processes
// started detached in their own process group, and a teardown that always completes: `stop()`
// ends the process groups and deletes the directory; the reaper of src/sandbox/processes.ts
// does the same if the test process dies first.
import { mkdtemp, rm } from "node:fs/promises";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { logTail, processesNaming } from "../proc-scan.ts";
import {
  removePidFile, startProcess, startReaper, stopProcessGroups, writePidFile, type ManagedProcess,
} from "../../../src/sandbox/processes.ts";

/** Directory prefixes of the storage servers; their processes name the directory in their arguments. */
export const STORAGE_DIR_PREFIXES = ["mdo-s3-", "mdo-gcs-", "mdo-registry-", "mdo-https-"] as const;
export type StorageDirPrefix = (typeof STORAGE_DIR_PREFIXES)[number];

export interface StorageServerOptions {
  /** Address to listen on; default 127.0.0.1. Tests whose pods must reach the server pass the bridge's 198.18.0.1. */
  readonly host?: string;
  readonly log?: (message: string) => void;
}

export interface ServerHome {
  readonly dir: string;
  /** Starts `command` detached in its own process group (output in `<dir>/<name>.log`) and records it for the reaper. */
  spawn(name: string, command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<ManagedProcess>;
  /** Ends every recorded process group, then deletes the directory. Idempotent. */
  stop(): Promise<void>;
}

export async function createServerHome(prefix: StorageDirPrefix): Promise<ServerHome> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const pids: number[] = [];
  await writePidFile(dir, pids);
  startReaper(process.pid, dir);
  let stopping: Promise<void> | undefined;
  return {
    dir,
    spawn: async (name, command, args, env) => {
      const started = startProcess(name, command, args, dir, env === undefined ? {} : { env });
      pids.push(started.pid);
      await writePidFile(dir, pids);
      return started;
    },
    stop: () => (stopping ??= (async () => {
      await removePidFile(dir);
      await stopProcessGroups(pids, 10_000);
      await rm(dir, { recursive: true, force: true });
    })()),
  };
}

/**
 * Polls `probe` every 200 ms until it resolves true. Fails with the server's log tail when the
 * process exits first or `timeoutMs` passes; a probe that throws counts as "not yet".
 */
export async function waitUntilServing(what: string, started: ManagedProcess, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  let exited: number | string | undefined;
  void started.exited.then((why) => (exited = why));
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (exited !== undefined) break;
    try {
      if (await probe()) return;
      last = "not ready";
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  const why = exited === undefined ? `not serving within ${timeoutMs} ms (last: ${last})` : `exited (${String(exited)})`;
  throw new Error(`${what} ${why}; ${started.logFile}:\n${await logTail(started.logFile)}`);
}

/** Runs `start` with the home; on failure stops the home (processes and directory) and rethrows. */
export async function startedOrCleanedUp<T>(home: ServerHome, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    await home.stop();
    throw error;
  }
}

/**
 * Pids of processes (not reapers) whose arguments name one of `dirs`: by default any storage
 * server directory; tests pass their own servers' directories, since other runs may be live.
 */
export function strayStorageProcesses(dirs: readonly string[] = STORAGE_DIR_PREFIXES): number[] {
  return processesNaming(dirs);
}

/** `host` as a subjectAltName entry (IP: for addresses, DNS: for names). */
export function sanFor(host: string): string {
  return isIP(host) === 0 ? `DNS:${host}` : `IP:${host}`;
}
