import { SandboxError } from "./errors.ts";
import { runProjectScript } from "./project-script.ts";

/** An image built on this machine, as an archive that `ctr images import` takes. */
export interface BuiltImage {
  /** Full reference, e.g. docker.io/seldonio/mlserver:1.7.1. */
  name: string;
  archive: string;
}

/**
 * Builds (first time: minutes) or finds (warm: about a second) the images the real node runs,
 * through `scripts/images`, whose progress goes to this process's stderr. Never pulls.
 */
export async function resolveImages(): Promise<BuiltImage[]> {
  const lines = await runProjectScript("images");
  const images = lines.map((line) => {
    const [name = "", archive = ""] = line.split(" ");
    return { name, archive };
  });
  if (images.length === 0 || images.some((i) => i.name === "" || i.archive === "")) {
    throw new SandboxError(`scripts/images printed no "<image> <archive>" lines: ${JSON.stringify(lines)}`);
  }
  return images;
}
