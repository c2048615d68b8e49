// Whether a followed file changed: device, inode, size and mtime in one string ("missing" when it
// cannot be stat'ed). Kubernetes swaps a mounted Secret or ConfigMap key by replacing a symlink,
// so any of these can be what changes.
import { stat } from "node:fs/promises";

export async function fileFingerprint(path: string): Promise<string> {
  try {
    const s = await stat(path);
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return "missing";
  }
}
