// A load generator that splits traffic between revisions the way the traffic router is told to:
// it polls the desired weights (status.traffic) and sends v2 inference requests at a constant
// rate, open loop, choosing each request's revision by smooth weighted round-robin — the same
// weights always give the same sequence (50/50 alternates, 75/25 sends every fourth request to
// the 25), with no randomness to make a test flaky. It records what it sent where.

/** Where one revision's requests go, and what they carry. */
export interface Backend {
  /** The inference URL (the revision's agent, POST). */
  readonly url: string;
  /** The next request body (JSON). */
  readonly body: () => unknown;
}

export interface WeightedLoadOptions {
  /** Requests per second, constant. */
  readonly ratePerSecond: number;
  /** Desired weight (0–100) per revision, e.g. from status.traffic. Errors keep the last weights. */
  readonly readWeights: () => Promise<ReadonlyMap<string, number>>;
  /** How often the weights are read; default 500 ms. */
  readonly pollMs?: number;
  /** The backend of a revision; undefined while it has none (its requests are counted as unrouted). */
  readonly backend: (revision: string) => Backend | undefined;
  /** Requests in flight at most; a send due beyond it is counted as skipped. Default 64. */
  readonly maxInFlight?: number;
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
}

/** What was sent to one revision. */
export interface RevisionTally {
  /** Requests chosen for the revision while it had no backend: not sent. */
  unrouted: number;
  /** Requests sent, by HTTP status; transport failures under status 0. */
  statuses: Map<number, number>;
}

/** One set of weights and what the round-robin picked while it held (sent, skipped or unrouted). */
export interface WeightsEpoch {
  atMs: number;
  weights: Record<string, number>;
  picks: Record<string, number>;
}

export interface WeightedLoad {
  /** Per revision, what was sent so far (live objects). */
  readonly tally: ReadonlyMap<string, RevisionTally>;
  /** Every distinct set of weights seen, when it was first seen (ms since start), and the revisions picked while it held. */
  readonly weightsSeen: readonly WeightsEpoch[];
  /** Sends due while maxInFlight requests were pending. */
  readonly skipped: () => number;
  /** Stops sending and waits for the requests in flight. Idempotent. */
  stop(): Promise<void>;
}

/** Smooth weighted round-robin (as nginx): each pick adds every weight to its credit, takes the largest, charges it the total. */
export class WeightedRoundRobin {
  private readonly credit = new Map<string, number>();

  /** The next revision for `weights`, or undefined when no weight is positive. Ties go to the smaller name. */
  pick(weights: ReadonlyMap<string, number>): string | undefined {
    let total = 0;
    let best: string | undefined;
    for (const [revision, weight] of [...weights.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (weight <= 0) continue;
      total += weight;
      const credit = (this.credit.get(revision) ?? 0) + weight;
      this.credit.set(revision, credit);
      if (best === undefined || credit > (this.credit.get(best) ?? 0)) best = revision;
    }
    for (const revision of this.credit.keys()) if ((weights.get(revision) ?? 0) <= 0) this.credit.delete(revision);
    if (best !== undefined) this.credit.set(best, (this.credit.get(best) ?? 0) - total);
    return best;
  }
}

export function startWeightedLoad(options: WeightedLoadOptions): WeightedLoad {
  const started = performance.now();
  const tally = new Map<string, RevisionTally>();
  const weightsSeen: WeightsEpoch[] = [];
  const inFlight = new Set<Promise<void>>();
  const rr = new WeightedRoundRobin();
  const maxInFlight = options.maxInFlight ?? 64;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let weights: ReadonlyMap<string, number> = new Map();
  let skipped = 0;
  let running = true;

  const tallyOf = (revision: string): RevisionTally => {
    let t = tally.get(revision);
    if (t === undefined) tally.set(revision, t = { unrouted: 0, statuses: new Map() });
    return t;
  };
  const poll = async (): Promise<void> => {
    try {
      weights = await options.readWeights();
    } catch {
      return; // keep the last weights; the next poll tries again
    }
    const record = Object.fromEntries([...weights.entries()].sort(([a], [b]) => a.localeCompare(b)));
    if (JSON.stringify(weightsSeen.at(-1)?.weights) !== JSON.stringify(record)) {
      weightsSeen.push({ atMs: Math.round(performance.now() - started), weights: record, picks: {} });
    }
  };
  const send = (revision: string, backend: Backend): void => {
    const t = tallyOf(revision);
    const count = (status: number): void => { t.statuses.set(status, (t.statuses.get(status) ?? 0) + 1); };
    const request = fetch(backend.url, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(backend.body()), signal: AbortSignal.timeout(timeoutMs),
    }).then(async (res) => {
      await res.arrayBuffer();
      count(res.status);
    }, () => count(0));
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  };

  const polling = (async () => {
    while (running) {
      await poll();
      await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
    }
  })();
  const sending = (async () => {
    await poll();
    const periodMs = 1000 / options.ratePerSecond;
    for (let k = 0; running; k++) {
      const wait = started + k * periodMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (!running) break;
      const revision = rr.pick(weights);
      if (revision === undefined) continue;
      const epoch = weightsSeen.at(-1);
      if (epoch !== undefined) epoch.picks[revision] = (epoch.picks[revision] ?? 0) + 1;
      const backend = options.backend(revision);
      if (backend === undefined) tallyOf(revision).unrouted++;
      else if (inFlight.size >= maxInFlight) skipped++;
      else send(revision, backend);
    }
  })();

  return {
    tally, weightsSeen, skipped: () => skipped,
    stop: async () => {
      running = false;
      await Promise.all([polling, sending]);
      await Promise.all([...inFlight]);
    },
  };
}
