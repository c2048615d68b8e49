import { ApiError } from "./client/api-error.ts";
import type { KubeClient } from "./client/kube-client.ts";
import { Resources } from "./client/resource.ts";
import type { Clock } from "./clock.ts";

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease {
  apiVersion: "coordination.k8s.io/v1";
  kind: "Lease";
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  /** Unique per process, e.g. pod name + random suffix. */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  clock: Clock;
  onEvent?: (message: string) => void;
}

/**
 * Leader election on a coordination.k8s.io Lease (defaults 15 s lease, 10 s renew deadline,
 * 2 s retry), with optimistic concurrency on the Lease's resourceVersion. Expiry is judged by
 * local time since this process last saw the record change, so clock skew between candidates
 * does not matter. Lease timestamps are wall-clock (Date.now); expiry uses the monotonic clock.
 *
 * Contract: `run` resolves only when leadership is lost or the signal aborts. The caller must
 * stop all work when it resolves; in MDO the process exits (a restarted pod starts clean).
 */
export class LeaderElector {
  private readonly client: KubeClient;
  private readonly o: Required<Omit<LeaderElectionOptions, "onEvent">> & Pick<LeaderElectionOptions, "onEvent">;
  private observed: { record: string; at: number } | undefined;
  /** When the foreign holder's lease, as last observed, runs out (monotonic ms). */
  private foreignExpiry: number | undefined;
  private leading = false;

  constructor(client: KubeClient, options: LeaderElectionOptions) {
    this.client = client;
    this.o = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, ...options };
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Waits until this process holds the lease; resolves false if the signal aborts first. */
  async acquire(signal: AbortSignal): Promise<boolean> {
    this.o.onEvent?.(`Waiting for Lease ${this.o.namespace}/${this.o.name} as ${this.o.identity}`);
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) {
        this.leading = true;
        this.o.onEvent?.(`Acquired Lease ${this.o.namespace}/${this.o.name}`);
        return true;
      }
      // Try again after the retry period, or right when the holder's lease runs out if sooner.
      const untilExpiry = this.foreignExpiry === undefined ? this.o.retryPeriodMs : this.foreignExpiry - this.o.clock.now() + 10;
      await this.o.clock.sleep(Math.max(10, Math.min(this.o.retryPeriodMs, untilExpiry)), signal).catch(() => undefined);
    }
    return false;
  }

  /**
   * Renews every retry period while leading. Resolves "lost" when no renewal succeeded within
   * the renew deadline (or another holder took over), "stopped" when the signal aborts.
   */
  async hold(signal: AbortSignal): Promise<"lost" | "stopped"> {
    let lastRenew = this.o.clock.now();
    while (!signal.aborted) {
      await this.o.clock.sleep(this.o.retryPeriodMs, signal).catch(() => undefined);
      if (signal.aborted) break;
      if (await this.tryAcquireOrRenew()) {
        lastRenew = this.o.clock.now();
      } else if (this.o.clock.now() - lastRenew > this.o.renewDeadlineMs || !this.leading) {
        this.leading = false;
        this.o.onEvent?.(`Lost Lease ${this.o.namespace}/${this.o.name}`);
        return "lost";
      }
    }
    return "stopped";
  }

  /** Gives the lease up (on shutdown) so a standby takes over at once instead of after expiry. */
  async release(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    const lease = await this.client.get<Lease>(Resources.leases, this.o.namespace, this.o.name);
    if (lease?.spec?.holderIdentity !== this.o.identity) return;
    await this.replace({ ...lease, spec: { ...lease.spec, holderIdentity: "", leaseDurationSeconds: 1, renewTime: micro(Date.now()) } });
    this.o.onEvent?.(`Released Lease ${this.o.namespace}/${this.o.name}`);
  }

  /** One attempt; false on conflict, on a live foreign holder or on any API error. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.o.clock.now();
    const mine: LeaseSpec = {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
      renewTime: micro(Date.now()),
    };
    try {
      const lease = await this.client.get<Lease>(Resources.leases, this.o.namespace, this.o.name);
      if (lease === null) {
        await this.client.create<Lease>(Resources.leases, {
          apiVersion: "coordination.k8s.io/v1", kind: "Lease",
          metadata: { name: this.o.name, namespace: this.o.namespace },
          spec: { ...mine, acquireTime: micro(Date.now()), leaseTransitions: 0 },
        });
        this.observe(JSON.stringify(mine), now);
        return true;
      }
      const spec = lease.spec ?? {};
      const record = JSON.stringify(spec);
      if (this.observed?.record !== record) this.observe(record, now);
      const holder = spec.holderIdentity ?? "";
      const expiresAt = (this.observed?.at ?? now) + (spec.leaseDurationSeconds ?? 0) * 1000;
      if (holder !== "" && holder !== this.o.identity && expiresAt > now) {
        this.leading = false;
        this.foreignExpiry = expiresAt;
        return false;
      }
      this.foreignExpiry = undefined;
      const transition = holder !== this.o.identity;
      const next: LeaseSpec = {
        ...mine,
        acquireTime: transition ? micro(Date.now()) : spec.acquireTime,
        leaseTransitions: (spec.leaseTransitions ?? 0) + (transition ? 1 : 0),
      };
      await this.replace({ ...lease, spec: next });
      this.observe(JSON.stringify(next), now);
      return true;
    } catch (error) {
      if (error instanceof ApiError) {
        if (!error.isConflict && error.status !== 409) this.o.onEvent?.(`Lease update failed: ${error.message}`);
        return false;
      }
      throw error;
    }
  }

  private observe(record: string, at: number): void {
    this.observed = { record, at };
  }

  private async replace(lease: Lease): Promise<void> {
    await this.client.transport.request({
      verb: "PUT",
      path: `/apis/coordination.k8s.io/v1/namespaces/${lease.metadata.namespace}/leases/${lease.metadata.name}`,
      body: lease,
    });
  }
}

/** RFC 3339 with microseconds, as MicroTime fields require. */
function micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
