// The benchmark's own child processes (model-server stand-in, agent, nginx, load generator):
// stdout read line by line, stderr kept for error messages, and a registry so an interrupted run
// stops every child it started.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/** Most stderr characters kept per child for error messages. */
const STDERR_TAIL = 4000;
/** How long a child has after SIGTERM before it gets SIGKILL. */
const STOP_GRACE_MS = 15_000;

const running = new Set<Child>();

export class Child {
  readonly name: string;
  readonly pid: number;
  private readonly process: ChildProcess;
  private readonly lines: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private stderr = "";
  private exitCode: number | null | undefined;
  /** stdout ended: every line the child printed has been queued. */
  private closed = false;
  /** Resolves when the process has exited (its stdout may outlive it in a grandchild, as nginx's workers hold it). */
  readonly exited: Promise<void>;

  constructor(name: string, command: string, args: readonly string[], cwd?: string) {
    this.name = name;
    this.process = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...(cwd !== undefined && { cwd }) });
    this.process.on("error", (error) => {
      this.stderr += `\n${error.message}`;
    });
    if (this.process.pid === undefined) throw new Error(`Could not start ${name} (${command})`);
    this.pid = this.process.pid;
    running.add(this);
    const lines = createInterface({ input: this.process.stdout! });
    lines.on("line", (line) => this.push(line));
    lines.once("close", () => {
      this.closed = true;
      this.push(undefined);
    });
    this.process.stderr!.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-STDERR_TAIL);
    });
    this.exited = new Promise((resolve) => {
      this.process.once("exit", (code, signal) => {
        this.exitCode = code ?? (signal === null ? null : -1);
        running.delete(this);
        resolve();
      });
    });
  }

  /** The next line the child prints; rejects if its output ends first or it stays silent for `timeoutMs`. */
  async nextLine(timeoutMs: number): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) return queued;
    if (this.closed) throw this.failure("exited");
    let timer: NodeJS.Timeout | undefined;
    const line = await new Promise<string | undefined>((resolve) => {
      this.waiting = resolve;
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    }).finally(() => {
      clearTimeout(timer);
      this.waiting = undefined;
    });
    if (line === undefined) throw this.failure(this.closed ? "exited" : `printed nothing for ${timeoutMs} ms`);
    return line;
  }

  /** The next stdout line parsed as JSON. */
  async nextJson(timeoutMs: number): Promise<unknown> {
    const line = await this.nextLine(timeoutMs);
    try {
      return JSON.parse(line);
    } catch (error) {
      throw new Error(`${this.name} printed a line that is not JSON: ${line}`, { cause: error });
    }
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves once the child has exited. */
  async stop(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.process.kill("SIGTERM");
    const timer = setTimeout(() => this.process.kill("SIGKILL"), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }


  private push(line: string | undefined): void {
    if (line !== undefined && this.waiting === undefined) {
      this.lines.push(line);
      return;
    }
    this.waiting?.(line);
  }

  private failure(what: string): Error {
    const code = this.exitCode === undefined ? "" : ` (exit code ${String(this.exitCode)})`;
    const tail = this.stderr.trim();
    return new Error(`${this.name} ${what}${code}${tail === "" ? "" : `; its stderr ends with:\n${tail}`}`);
  }
}

/**
 * Stops every child still running (SIGTERM, so nginx's master takes its workers along; SIGKILL
 * after the grace period): for SIGINT or SIGTERM of the benchmark itself.
 */
export function stopAllChildren(): void {
  for (const child of running) void child.stop();
}

/** A Node.js child running a TypeScript file with this process's Node.js. */
export function nodeChild(name: string, script: string, args: readonly string[], options: { cwd?: string; nodeFlags?: readonly string[] } = {}): Child {
  return new Child(name, process.execPath, [...(options.nodeFlags ?? []), script, ...args], options.cwd);
}
