// Security contexts that meet the Pod Security Standards' restricted profile.
import type { V1PodSecurityContext, V1SecurityContext } from "@kubernetes/client-node";

/** Pod level: non-root as the runtime's user, RuntimeDefault seccomp for every container. */
export function podSecurityContext(runAsUser: number): V1PodSecurityContext {
  return { runAsNonRoot: true, runAsUser, seccompProfile: { type: "RuntimeDefault" } };
}

/**
 * Container level, for every container including init containers: no privilege escalation, no
 * capabilities, non-root; the root filesystem read-only unless `readOnlyRootFilesystem` is false
 * (a runtime that writes outside its scratch volumes).
 */
export function containerSecurityContext(readOnlyRootFilesystem: boolean): V1SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    readOnlyRootFilesystem,
    runAsNonRoot: true,
  };
}
