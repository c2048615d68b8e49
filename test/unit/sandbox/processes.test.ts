import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  isAlive, readPidFile, startProcess, startReaper, stopProcessGroups, writePidFile,
} from "../../../src/sandbox/processes.ts";

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return false;
}

test("stopProcessGroups ends a process and its children, escalating to SIGKILL", async () => {
  const dir = await mkdtemp(join(tmpdir(), "mdo-proc-"));
  // The shell ignores SIGTERM and has a child: both must be gone afterwards.
  const p = startProcess("stubborn", "bash", ["-c", "trap '' TERM; sleep 60 & wait"], dir);
  assert.ok(isAlive(p.pid));
  await stopProcessGroups([p.pid], 300);
  assert.equal(isAlive(p.pid), false);
  assert.notEqual(await p.exited, 0);
});

test("the pid file round-trips", async () => {
  const dir = await mkdtemp(join(tmpdir(), "mdo-pids-"));
  await writePidFile(dir, [12, 345]);
  assert.deepEqual(await readPidFile(dir), [12, 345]);
  assert.deepEqual(await readPidFile(join(dir, "missing")), []);
});

test("the reaper stops recorded processes and removes the directory when the owner dies", async () => {
  const dir = await mkdtemp(join(tmpdir(), "mdo-reap-"));
  const owner = spawn("sleep", ["60"], { stdio: "ignore" });
  const worker = startProcess("worker", "sleep", ["60"], dir);
  await writePidFile(dir, [worker.pid]);
  startReaper(owner.pid!, dir);
  await sleep(300);
  assert.ok(isAlive(worker.pid), "the worker lives while its owner does");
  owner.kill("SIGKILL");
  assert.ok(await waitUntil(() => !isAlive(worker.pid), 10_000), "worker stopped after the owner died");
  assert.ok(await waitUntil(async () => (await stat(dir).catch(() => null)) === null, 5_000), "directory removed");
});
