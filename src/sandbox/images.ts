import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SandboxError } from "./errors.ts";

/** An image archive for the real node, as scripts/images lists it. */
export interface ImageArchive {
  name: string;
  archive: string;
}

const IMAGES_SCRIPT = fileURLToPath(new URL("../../scripts/images", import.meta.url));

/**
 * Builds or finds the real node's images through `scripts/images` (progress on this process's
 * stderr; stdout lines `<image name> <archive path>`, importable with `ctr images import`).
 */
export function resolveImages(): Promise<ImageArchive[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [IMAGES_SCRIPT], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.once("error", (error) => reject(new SandboxError("Could not run scripts/images", { cause: error })));
    child.once("close", (code) => {
      const images = stdout.trim().split("\n").filter(Boolean).map((line) => {
        const [name, archive] = line.trim().split(/\s+/);
        return { name: name ?? "", archive: archive ?? "" };
      });
      if (code !== 0 || images.length === 0 || images.some((i) => i.name === "" || i.archive === "")) {
        reject(new SandboxError(`scripts/images failed (exit ${code}) or listed no images; see its output above`));
        return;
      }
      resolve(images);
    });
  });
}
