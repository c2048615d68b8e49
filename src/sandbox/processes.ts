import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { readFile, writeFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { SandboxError } from "./errors.ts";

/** A long-running child that outlives neither its owner nor an explicit stop. */
export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
}

/**
 * Starts `command` detached in its own process group, stdout and stderr appended to
 * `<logDir>/<name>.log`. Detached, so a Ctrl-C in the terminal reaches the owner, which
 * then stops children in order; the reaper (see `startReaper`) covers owners that die.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  logDir: string,
  options: { env?: NodeJS.ProcessEnv } = {},
): ManagedProcess {
  const logFile = join(logDir, `${name}.log`);
  const fd = openSync(logFile, "a");
  try {
    const child = spawn(command, args, { detached: true, stdio: ["ignore", fd, fd], env: options.env ?? process.env });
    if (child.pid === undefined) throw new SandboxError(`Could not start ${name} (${command})`);
    const exited = new Promise<number | string>((resolve) => {
      child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
      child.once("error", (error) => resolve(error.message));
    });
    child.unref();
    return { name, pid: child.pid, logFile, exited };
  } finally {
    closeSync(fd);
  }
}

/**
 * True when a process with this pid exists (and may be signalled by us) and has not ended. A
 * zombie counts as ended: orphans (children of an owner that died) wait for PID 1 to reap them,
 * which on some machines takes seconds.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.charAt(stat.lastIndexOf(")") + 2) !== "Z";
  } catch {
    return true; // no /proc (not Linux): kill(0) is all we know
  }
}

/**
 * Sends SIGTERM to each process group, waits up to `graceMs` for them to end, then
 * SIGKILLs whatever is left. Processes that are already gone are ignored.
 */
export async function stopProcessGroups(pids: number[], graceMs = 10_000): Promise<void> {
  signalGroups(pids, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(100);
  signalGroups(pids.filter(isAlive), "SIGKILL");
  while (pids.some(isAlive) && Date.now() < deadline + 5_000) await sleep(50);
}

function signalGroups(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone; nothing to stop.
    }
  }
}

const PID_FILE = "pids";

/** Records the pids to stop, in start order; the reaper and `stop` read this file (the reaper stops the first one last). */
export async function writePidFile(dir: string, pids: number[]): Promise<void> {
  await writeFile(join(dir, PID_FILE), pids.join(" ") + "\n");
}

export async function readPidFile(dir: string): Promise<number[]> {
  try {
    const text = await readFile(join(dir, PID_FILE), "utf8");
    return text.split(/\s+/).filter(Boolean).map(Number).filter(Number.isInteger);
  } catch {
    return [];
  }
}

export async function removePidFile(dir: string): Promise<void> {
  await rm(join(dir, PID_FILE), { force: true });
}

/** Undoes everything a real node did to the host (see the script's header); a no-op without one. */
export const REAL_NODE_TEARDOWN = fileURLToPath(new URL("../../scripts/real-node-teardown", import.meta.url));

/**
 * Starts a detached watchdog that, once `ownerPid` has died while the pid file still
 * exists (the owner crashed or was SIGKILLed before stopping the cluster), tears the real node
 * down if there is one (scripts/real-node-teardown, which restores the host), terminates
 * every recorded process group and deletes `dir` (never crossing into a mount a failed
 * teardown left). A clean stop removes the pid file first, and the watchdog then exits on
 * its own within a second.
 */
export function startReaper(ownerPid: number, dir: string): void {
  const script = `
    owner="$1"; dir="$2"; teardown="$3"; pids="$dir/${PID_FILE}"
    # Ended = gone or a zombie (orphans wait for PID 1 to reap them).
    alive() { kill -0 "$1" 2>/dev/null || return 1; [ -r "/proc/$1/stat" ] || return 0
      [ "$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]; }
    while alive "$owner" && [ -f "$pids" ]; do sleep 1; done
    [ -f "$pids" ] || exit 0
    if [ -d "$dir/real-node" ]; then bash "$teardown" "$dir" >>"$dir/logs/real-node-teardown.log" 2>&1; fi
    list=$(cat "$pids")
    # The first pid (etcd, see writePidFile's callers) goes last: an apiserver that loses etcd
    # while shutting down hangs until SIGKILL.
    first=\${list%% *}; rest=\${list#"$first"}
    stop() { for p in $1; do kill -TERM -- "-$p" 2>/dev/null; done
      for i in $(seq 1 50); do alive=0; for p in $1; do alive "$p" && alive=1; done
        [ "$alive" = 0 ] && break; sleep 0.2; done
      for p in $1; do kill -KILL -- "-$p" 2>/dev/null; done; }
    stop "$rest"; stop "$first"
    rm -rf --one-file-system "$dir"`;
  const child = spawn("bash", ["-c", script, "mdo-reaper", String(ownerPid), dir, REAL_NODE_TEARDOWN], {
    detached: true,
    stdio: "ignore",
  });
  child.unref();
}
