// The dashboard server's JSON endpoints and its event stream.
async function get(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${(await res.json().catch(() => ({}))).error ?? ""}`);
  return res.json();
}

export const config = () => get("/api/config");
export const list = () => get("/api/modeldeployments");
const path = (ns, name) => `/api/modeldeployments/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;
export const detail = (ns, name) => get(path(ns, name));
export const drift = (ns, name) => get(`${path(ns, name)}/drift`);

/** POSTs promote or abort with the confirmation token; resolves to the server's answer. */
export async function write(kind, ns, name, token) {
  const res = await fetch(`${path(ns, name)}/${kind}`, { method: "POST", headers: { "X-MDO-Confirm": token } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
  return body;
}

/** Calls onChange(key) for every ModelDeployment change; onState(true|false) as the stream opens and drops. */
export function events(onChange, onState) {
  const source = new EventSource("/api/events");
  source.addEventListener("open", () => onState(true));
  source.addEventListener("error", () => onState(false));
  source.addEventListener("change", (e) => onChange(JSON.parse(e.data).key));
  return source;
}
