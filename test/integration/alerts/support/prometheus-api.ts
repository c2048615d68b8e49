// The two Prometheus HTTP API reads the alert tests need: an instant query and the active alerts.

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface ActiveAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: "pending" | "firing";
  value: string;
}

interface ApiAnswer<T> {
  status: "success" | "error";
  data?: T;
  error?: string;
  errorType?: string;
}

async function read<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal: signal ?? AbortSignal.timeout(10_000) });
  const body = (await res.json()) as ApiAnswer<T>;
  if (res.status !== 200 || body.status !== "success" || body.data === undefined) {
    throw new Error(`${url} answered ${res.status}: ${body.errorType ?? ""} ${body.error ?? JSON.stringify(body)}`);
  }
  return body.data;
}

/** GET /api/v1/query; throws on any error the API reports (a bad expression included). */
export async function instantQuery(prometheus: string, expr: string): Promise<{ resultType: string; result: Sample[] | [number, string] }> {
  return read(`${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
}

/** GET /api/v1/alerts: every pending and firing alert. */
export async function activeAlerts(prometheus: string): Promise<ActiveAlert[]> {
  return (await read<{ alerts: ActiveAlert[] }>(`${prometheus}/api/v1/alerts`)).alerts;
}
