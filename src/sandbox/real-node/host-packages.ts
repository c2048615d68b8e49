import { runProjectScript } from "../project-script.ts";

/**
 * As root, installs the Debian packages the real node needs when any is missing
 * (scripts/host-packages: runc, the CNI plugins, iptables, podman, debootstrap; instant when all
 * are there). Without root it does nothing: realNodeSupport() then says what is missing. Run it
 * before realNodeSupport() on a fresh machine, whose first check would otherwise fail on them.
 * Rejects with a SandboxError when apt-get fails.
 */
export async function installHostPackages(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  await runProjectScript("host-packages");
}
