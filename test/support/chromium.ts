// The system Chromium (Debian package `chromium`) for browser tests driven by puppeteer-core, which
// never downloads a browser. Installed on first use as the other host packages are: idempotent, at
// once when present, `apt-get update` only when the package lists are not there yet.
import { execFile } from "node:child_process";
import { access, constants, readdir } from "node:fs/promises";
import { promisify } from "node:util";

export const CHROMIUM_PATH = "/usr/bin/chromium";

const run = promisify(execFile);

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(() => true, () => false);
}

/**
 * The path of a Chromium executable, installing the Debian package as root when it is missing
 * (serialised by a lock file against parallel test processes). Rejects, saying what to install,
 * when it is missing and this process cannot install it.
 */
export async function ensureChromium(): Promise<string> {
  if (await executable(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.getuid?.() !== 0) throw new Error(`No Chromium at ${CHROMIUM_PATH}: install the Debian package (apt-get install chromium)`);
  const lists = await readdir("/var/lib/apt/lists").catch(() => []);
  const update = lists.some((f) => f.endsWith("_Packages") || f.endsWith("_Packages.lz4")) ? "" : "apt-get update -qq && ";
  const script = `exec 9>/tmp/mdo-chromium-install.lock; flock 9; [ -x ${CHROMIUM_PATH} ] && exit 0; ` +
    `${update}DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium`;
  try {
    await run("bash", ["-c", script], { timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    throw new Error(`Installing the Debian package chromium failed: ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
  }
  if (!(await executable(CHROMIUM_PATH))) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is not there`);
  return CHROMIUM_PATH;
}
